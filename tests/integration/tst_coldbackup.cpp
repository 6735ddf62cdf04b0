#include "CliRunner.h"
#include "PitrDriver.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// pgarchivist-cli cold-backup against a real PostgreSQL 15 cluster with data checksums and a tablespace (issue 13):
// refused while it runs and after a crash, taken when it is shut down (pg_checksums first), verified, and restored
// by ID into a new directory that starts as it was, with no recovery settings, its tablespace mapped.
class TestColdBackup : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo, m_ts, m_id;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("cold")}; }
    // With a configuration directory outside the data directory, as Debian keeps one.
    QString configDir() const { return m_c->baseDir() + QStringLiteral("/etc-main"); }
    test::CliOutput coldBackup() const
    {
        return test::cli(QStringList{QStringLiteral("cold-backup")} + rs()
                         + QStringList{QStringLiteral("--data-dir"), m_c->dataDir(), QStringLiteral("--config-dir"), configDir(), QStringLiteral("--json")});
    }
    static QString scalar(const QString &conninfo, const QString &sql) { return TestCluster::scalarAt(conninfo, sql); }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.initdbArgs = {QStringLiteral("--data-checksums")};
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->baseDir() + QStringLiteral("/repo");
        auto init = test::cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), m_repo});
        QVERIFY2(init.code == 0, init.err.constData());
        m_ts = m_c->makeServerWritableDir(QStringLiteral("ts"));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLESPACE ts LOCATION '%1'").arg(m_ts)));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE inside(i int, s text) TABLESPACE ts")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO inside SELECT i, md5(i::text) FROM generate_series(1, 5000) i")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE outside AS SELECT g FROM generate_series(1, 777) g")));
        QVERIFY(QDir().mkpath(configDir() + QStringLiteral("/conf.d")));
        QFile conf(configDir() + QStringLiteral("/conf.d/tuning.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("work_mem = '64MB'\n");
    }

    void refusedWhileRunning()
    {
        auto r = coldBackup();
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("is running") && r.err.contains("PID"), r.err.constData());
        QVERIFY(!QDir(m_repo + QStringLiteral("/servers/cold/backups")).exists()
                || QDir(m_repo + QStringLiteral("/servers/cold/backups")).isEmpty());
    }

    void refusedAfterACrash()
    {
        QVERIFY(m_c->stop(QStringLiteral("immediate")));  // what a power cut leaves: "in production", no postmaster
        auto r = coldBackup();
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not shut down cleanly") && r.err.contains("in production"), r.err.constData());
        QVERIFY(m_c->start());
    }

    void refusedWhenAPageIsDamaged()
    {
        // A flipped byte inside a data page of "outside": pg_checksums --check finds it before anything is copied.
        const QString rel = m_c->scalar(QStringLiteral("SELECT pg_relation_filepath('outside')"));
        QVERIFY(!rel.isEmpty());
        QVERIFY(m_c->stop());
        QFile f(m_c->dataDir() + QLatin1Char('/') + rel);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(4000));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(4000));
        QVERIFY(f.putChar(char(c ^ 0x5a)));
        f.close();
        auto r = coldBackup();
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("pg_checksums") && r.err.contains("damaged"), r.err.constData());
        QVERIFY(!QDir(m_repo + QStringLiteral("/servers/cold/backups")).exists()
                || QDir(m_repo + QStringLiteral("/servers/cold/backups")).isEmpty());
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(4000));
        QVERIFY(f.putChar(c));
        f.close();
        QVERIFY(m_c->start());
    }

    void takenWhenShutDown()
    {
        QVERIFY(m_c->stop());
        auto r = coldBackup();
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        m_id = j[QStringLiteral("id")].toString();
        QVERIFY2(m_id.endsWith(QLatin1String("-C")), r.out.constData());
        QCOMPARE(j[QStringLiteral("kind")].toString(), QStringLiteral("cold"));
        QCOMPARE(j[QStringLiteral("tablespaces")].toInt(), 1);
        auto info = test::cli(QStringList{QStringLiteral("info")} + rs() + QStringList{QStringLiteral("--json")});
        const QJsonObject b = QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")][0].toObject();
        QCOMPARE(b[QStringLiteral("kind")].toString(), QStringLiteral("cold"));
        QCOMPARE(b[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        auto v = test::cli(QStringList{QStringLiteral("verify")} + rs());
        QVERIFY2(v.code == 0, v.out.constData());
        // A second cold backup of the unchanged cluster stores (almost) nothing new: the chunk store dedups.
        auto again = coldBackup();
        QVERIFY2(again.code == 0, again.err.constData());
        const QJsonObject a = QJsonDocument::fromJson(again.out).object();
        QVERIFY2(a[QStringLiteral("new_bytes")].toInteger() * 20 < a[QStringLiteral("logical_bytes")].toInteger(), again.out.constData());
        QVERIFY(m_c->start());
    }

    void restoredByIdStartsAsItWas()
    {
        QVERIFY(!m_id.isEmpty());
        // The source runs again and writes more: the restore must bring the state at the cold backup, not this.
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO inside VALUES (-1, 'after')")));
        const QString target = m_c->makeServerWritableDir(QStringLiteral("restored"));
        QDir(target).removeRecursively();
        const QString mapped = m_c->baseDir() + QStringLiteral("/ts-restored");
        const QString confTo = m_c->baseDir() + QStringLiteral("/etc-restored");
        // The configuration directory still exists where it was: restoring over it is refused, like a live tablespace.
        auto over = test::cli(QStringList{QStringLiteral("restore")} + rs()
                              + QStringList{QStringLiteral("--backup"), m_id, QStringLiteral("--target-dir"), target, QStringLiteral("--tablespace-map"),
                                            m_ts + QLatin1Char('=') + mapped});
        QCOMPARE(over.code, 1);
        QVERIFY2(over.err.contains(configDir().toUtf8()), over.err.constData());
        auto refused = test::cli(QStringList{QStringLiteral("restore")} + rs()
                                 + QStringList{QStringLiteral("--backup"), m_id, QStringLiteral("--target-dir"), target, QStringLiteral("--target-time"),
                                               QStringLiteral("2026-01-01 00:00:00+00")});
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains("cold backup"), refused.err.constData());
        // The restore wizard plans through the same estimate: the cold backup, its bytes, no WAL to replay.
        auto plan = test::cli(QStringList{QStringLiteral("estimate")} + rs() + QStringList{QStringLiteral("--backup"), m_id, QStringLiteral("--json")});
        QVERIFY2(plan.code == 0, plan.err.constData());
        const QJsonObject pj = QJsonDocument::fromJson(plan.out).object();
        QCOMPARE(pj[QStringLiteral("backup")].toString(), m_id);
        QCOMPARE(pj[QStringLiteral("replay_wal_bytes")].toInteger(), 0);
        QVERIFY(pj[QStringLiteral("restore_bytes")].toInteger() > 0);
        auto r = test::cli(QStringList{QStringLiteral("restore")} + rs()
                           + QStringList{QStringLiteral("--backup"), m_id, QStringLiteral("--target-dir"), target, QStringLiteral("--tablespace-map"),
                                         m_ts + QLatin1Char('=') + mapped, QStringLiteral("--tablespace-map"), configDir() + QLatin1Char('=') + confTo});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile restoredConf(confTo + QStringLiteral("/conf.d/tuning.conf"));
        QVERIFY(restoredConf.open(QIODevice::ReadOnly));
        QCOMPARE(restoredConf.readAll(), QByteArray("work_mem = '64MB'\n"));
        QVERIFY2(r.out.contains("nothing to replay"), r.out.constData());
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/recovery.signal")));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/backup_label")));
        QCOMPARE(QFileInfo(target + QStringLiteral("/pg_tblspc")).isDir(), true);
        auto server = test::RestoredServer::start(target, m_c->cluster().spec().socketDir);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        const QString ci = (*server)->conninfo();
        QTRY_COMPARE_WITH_TIMEOUT(scalar(ci, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("f"), 30000);
        QCOMPARE(scalar(ci, QStringLiteral("SELECT count(*) || '/' || bool_and(s = md5(i::text)) FROM inside")), QStringLiteral("5000/true"));
        QCOMPARE(scalar(ci, QStringLiteral("SELECT count(*) FROM outside")), QStringLiteral("777"));
        QCOMPARE(scalar(ci, QStringLiteral("SELECT pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname = 'ts'")), mapped);
        QVERIFY((*server)->stop());
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM inside")), QStringLiteral("5001"));
    }
};

QTEST_GUILESS_MAIN(TestColdBackup)
#include "tst_coldbackup.moc"
