#include "CliRunner.h"
#include "TestCluster.h"
#include "core/Lsn.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::cli;
using pga::test::TestCluster;

// Issue 11 (engine and CLI part): restore points read from the archived WAL, and targets checked against it
// before anything is written. A --target-name or --target-xid that the WAL does not hold would otherwise replay
// to the end of the WAL and end in FATAL, after the whole restore.
class TestRestoreTargets : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    QString m_firstBackup, m_secondBackup;
    QString m_lsnOne, m_lsnTwo;
    QString m_committedXid, m_abortedXid, m_preparedXid;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }
    QString backup()
    {
        auto b = cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        return b.code == 0 ? QJsonDocument::fromJson(b.out)[QStringLiteral("id")].toString() : QString::fromLocal8Bit(b.err);
    }
    test::CliOutput restore(const QString &name, const QStringList &target)
    {
        return cli(QStringList{QStringLiteral("restore")} + rs()
                   + QStringList{QStringLiteral("--target-dir"), m_c->baseDir() + QLatin1Char('/') + name, QStringLiteral("--target-action"),
                                 QStringLiteral("promote")}
                   + target);
    }
    // Starts a restored directory, waits until it is promoted, returns the rows of t in order.
    QString rowsAfterRecovery(const QString &name)
    {
        return test::queryRestored(m_c->baseDir() + QLatin1Char('/') + name, m_c->cluster().spec().socketDir,
                                   QStringLiteral("SELECT string_agg(v, ',' ORDER BY v) FROM t"));
    }

    void stopRestored(const QString &name)
    {
        pg::LocalCluster::Spec spec;
        spec.dataDir = m_c->baseDir() + QLatin1Char('/') + name;
        spec.socketDir = spec.dataDir;
        (void)pg::LocalCluster(spec).stop(QStringLiteral("immediate"), 30000);
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.conf = {QStringLiteral("max_prepared_transactions = 2")};
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t(v text)")));
        m_firstBackup = backup();
        QVERIFY2(m_firstBackup.startsWith(QLatin1String("20")), qPrintable(m_firstBackup));
        // rp-one, then a second backup, then a commit, an aborted transaction, rp-two and a later commit.
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('a')")));
        m_lsnOne = m_c->scalar(QStringLiteral("SELECT pg_create_restore_point('rp-one')"));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('b')")));
        QThread::msleep(1100);  // backup IDs have one-second resolution
        m_secondBackup = backup();
        QVERIFY2(m_secondBackup.startsWith(QLatin1String("20")), qPrintable(m_secondBackup));
        m_committedXid = m_c->scalar(QStringLiteral("WITH i AS (INSERT INTO t VALUES ('c') RETURNING 1) SELECT pg_current_xact_id()::text FROM i"));
        QVERIFY(m_c->query(QStringLiteral("BEGIN")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('rolled-back')")));
        m_abortedXid = m_c->scalar(QStringLiteral("SELECT pg_current_xact_id()::text"));
        QVERIFY(m_c->query(QStringLiteral("ROLLBACK")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('d')")));
        // A two-phase commit: its xid is in the COMMIT PREPARED record's body, not in the record header.
        QVERIFY(m_c->query(QStringLiteral("BEGIN")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('p')")));
        m_preparedXid = m_c->scalar(QStringLiteral("SELECT pg_current_xact_id()::text"));
        QVERIFY(m_c->query(QStringLiteral("PREPARE TRANSACTION 'p1'")));
        QVERIFY(m_c->query(QStringLiteral("COMMIT PREPARED 'p1'")));
        m_lsnTwo = m_c->scalar(QStringLiteral("SELECT pg_create_restore_point('rp-two')"));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('e')")));
        const QString last = m_c->switchWal();
        QVERIFY(m_c->waitForArchived(last, 60000));
        QVERIFY(!m_committedXid.isEmpty() && !m_abortedXid.isEmpty() && m_committedXid != m_abortedXid);
    }

    void restorePointsAreListedFromTheWal()
    {
        auto r = cli(QStringList{QStringLiteral("restore-points"), QStringLiteral("--json")} + rs());
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray points = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(points.size(), 2);
        QCOMPARE(points[0][QStringLiteral("name")].toString(), QStringLiteral("rp-one"));
        QCOMPARE(points[0][QStringLiteral("lsn")].toString(), m_lsnOne);  // as pg_create_restore_point() returned it
        QCOMPARE(points[0][QStringLiteral("timeline")].toInt(), 1);
        QCOMPARE(points[1][QStringLiteral("name")].toString(), QStringLiteral("rp-two"));
        QCOMPARE(points[1][QStringLiteral("lsn")].toString(), m_lsnTwo);
        const QDateTime at = QDateTime::fromString(points[1][QStringLiteral("time")].toString(), Qt::ISODateWithMs);
        QVERIFY2(at.isValid() && qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 120, qPrintable(points[1][QStringLiteral("time")].toString()));

        // info --json carries them per timeline, from what archive-push recorded (no WAL read).
        auto info = cli(QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs());
        const QJsonObject tl = QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("timelines")][0].toObject();
        QCOMPARE(tl[QStringLiteral("restore_points")].toArray().size(), 2);
        QCOMPARE(tl[QStringLiteral("restore_points")][1][QStringLiteral("name")].toString(), QStringLiteral("rp-two"));
        QVERIFY(tl[QStringLiteral("restore_points_complete")].toBool());

        auto human = cli(QStringList{QStringLiteral("restore-points")} + rs());
        QVERIFY2(human.out.contains(QByteArray("rp-one  LSN " + m_lsnOne.toLatin1())), human.out.constData());
    }

    void estimateBeforeAnyRestoreCalibrates()
    {
        // Nothing measured on this host yet (the test's own state directory): restore speed is calibrated, replay
        // speed assumed, and the basis says so. The backup and the amounts are what restore would use.
        auto r = cli(QStringList{QStringLiteral("estimate"), QStringLiteral("--target-name"), QStringLiteral("rp-two"), QStringLiteral("--json")} + rs());
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject e = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(e[QStringLiteral("backup")].toString(), m_secondBackup);
        QVERIFY(e[QStringLiteral("restore_bytes")].toInteger() > 10 << 20);
        QVERIFY(e[QStringLiteral("replay_wal_bytes")].toInteger() > 0);
        QVERIFY(e[QStringLiteral("restore_seconds")].toDouble() > 0 && e[QStringLiteral("replay_seconds")].toDouble() > 0);
        QCOMPARE(e[QStringLiteral("total_seconds")].toDouble(), e[QStringLiteral("restore_seconds")].toDouble() + e[QStringLiteral("replay_seconds")].toDouble());
        QVERIFY2(e[QStringLiteral("basis")].toString().contains(QStringLiteral("calibrated now"))
                     && e[QStringLiteral("basis")].toString().contains(QStringLiteral("assumed")),
                 r.out.constData());
        // A second estimate reuses that calibration instead of reading 64 MiB again (the wizard asks on every change).
        auto again = cli(QStringList{QStringLiteral("estimate"), QStringLiteral("--json")} + rs());
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(QJsonDocument::fromJson(again.out)[QStringLiteral("basis")].toString().contains(QStringLiteral("calibrated earlier")),
                 again.out.constData());
        // The same refusals as restore.
        auto nope = cli(QStringList{QStringLiteral("estimate"), QStringLiteral("--target-name"), QStringLiteral("nope")} + rs());
        QCOMPARE(nope.code, 1);
        QVERIFY2(nope.err.contains("No restore point named 'nope'"), nope.err.constData());
    }

    void unknownTargetsAreRefusedBeforeAnythingIsWritten()
    {
        auto name = restore(QStringLiteral("r-nope"), {QStringLiteral("--target-name"), QStringLiteral("nope")});
        QCOMPARE(name.code, 1);
        QVERIFY2(name.err.contains("No restore point named 'nope'") && name.err.contains("'rp-one'") && name.err.contains("'rp-two'"),
                 name.err.constData());
        QVERIFY(!QFileInfo::exists(m_c->baseDir() + QStringLiteral("/r-nope")));

        auto xid = restore(QStringLiteral("r-xid"), {QStringLiteral("--target-xid"), QStringLiteral("4000000")});
        QCOMPARE(xid.code, 1);
        QVERIFY2(xid.err.contains("Transaction 4000000 has no commit or abort"), xid.err.constData());
        auto aborted = restore(QStringLiteral("r-xid"), {QStringLiteral("--target-xid"), m_abortedXid});
        QCOMPARE(aborted.code, 1);
        QVERIFY2(aborted.err.contains("was rolled back") && aborted.err.contains("--target-exclusive"), aborted.err.constData());
        QVERIFY(!QFileInfo::exists(m_c->baseDir() + QStringLiteral("/r-xid")));
        QCOMPARE(restore(QStringLiteral("r-xid"), {QStringLiteral("--target-xid"), QStringLiteral("2")}).code, 64);
    }

    void aRestorePointPicksTheBackupBeforeIt()
    {
        // rp-one lies between the two backups: the newest backup that ends before it is the first.
        auto r = restore(QStringLiteral("r-one"), {QStringLiteral("--target-name"), QStringLiteral("rp-one")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains(m_firstBackup.toLatin1()), r.out.constData());
        QCOMPARE(rowsAfterRecovery(QStringLiteral("r-one")), QStringLiteral("a"));
        auto two = restore(QStringLiteral("r-two"), {QStringLiteral("--target-name"), QStringLiteral("rp-two")});
        QVERIFY2(two.code == 0, two.err.constData());
        QVERIFY2(two.out.contains(m_secondBackup.toLatin1()), two.out.constData());
        QCOMPARE(rowsAfterRecovery(QStringLiteral("r-two")), QStringLiteral("a,b,c,d,p"));
    }

    void aTransactionIdWithItsEpoch()
    {
        // pg_current_xact_id() prints epoch << 32 | xid; PostgreSQL reads that form and keeps the low 32 bits.
        const QString withEpoch = QString::number((quint64(1) << 32) + m_committedXid.toULongLong());
        auto r = restore(QStringLiteral("r-epoch"), {QStringLiteral("--target-xid"), withEpoch});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile conf(m_c->baseDir() + QStringLiteral("/r-epoch/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(conf.readAll().contains(QByteArray("recovery_target_xid = '" + m_committedXid.toLatin1() + "'")));
        QCOMPARE(rowsAfterRecovery(QStringLiteral("r-epoch")), QStringLiteral("a,b,c"));
    }

    void startFollowsReplayToTheTarget()
    {
        // --start: the restored server runs, replay is followed to the target, the JSON says where it got.
        auto r = restore(QStringLiteral("r-start"), {QStringLiteral("--target-name"), QStringLiteral("rp-two"), QStringLiteral("--start"),
                                                     QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o[QStringLiteral("state")].toString(), QStringLiteral("promoted"));
        QCOMPARE(o[QStringLiteral("backup")].toString(), m_secondBackup);
        QVERIFY(o[QStringLiteral("restored_bytes")].toInteger() > 10 << 20);
        QVERIFY(o[QStringLiteral("replayed_wal_bytes")].toInteger() > 0);
        QVERIFY(o[QStringLiteral("restore_seconds")].toDouble() > 0 && o[QStringLiteral("replay_seconds")].toDouble() > 0);
        QVERIFY2(pga::Lsn::parse(o[QStringLiteral("reached_lsn")].toString()).value_or(pga::Lsn()) >= *pga::Lsn::parse(m_lsnTwo), r.out.constData());
        QVERIFY2(QDateTime::fromString(o[QStringLiteral("reached_time")].toString(), Qt::ISODateWithMs).isValid(), r.out.constData());
        auto conn = pg::Connection::connect({o[QStringLiteral("conninfo")].toString()});
        QVERIFY2(conn, r.out.constData());
        auto rows = (*conn)->exec(QStringLiteral("SELECT string_agg(v, ',' ORDER BY v), current_setting('archive_mode') FROM t"));
        QVERIFY(rows);
        QCOMPARE(rows->value(0, 0), QStringLiteral("a,b,c,d,p"));
        QCOMPARE(rows->value(0, 1), QStringLiteral("off"));  // a restored copy never archives into the source's repository
        conn->reset();
        stopRestored(QStringLiteral("r-start"));

        // PostgreSQL's default action: paused at the target, read-only until pg_wal_replay_resume().
        auto paused = cli(QStringList{QStringLiteral("restore")} + rs()
                          + QStringList{QStringLiteral("--target-dir"), m_c->baseDir() + QStringLiteral("/r-paused"), QStringLiteral("--target-name"),
                                        QStringLiteral("rp-one"), QStringLiteral("--start")});
        QVERIFY2(paused.code == 0, paused.err.constData());
        QVERIFY2(paused.out.contains("The server is paused") && paused.out.contains("pg_wal_replay_resume"), paused.out.constData());
        stopRestored(QStringLiteral("r-paused"));

        // A server that cannot start (its port is taken) fails the command with the log's last lines.
        auto taken = restore(QStringLiteral("r-taken"), {QStringLiteral("--target-name"), QStringLiteral("rp-two"), QStringLiteral("--start"),
                                                         QStringLiteral("--port"), QString::number(m_c->port())});
        QCOMPARE(taken.code, 1);
        QVERIFY2(taken.err.contains("did not start") && taken.err.contains("Address already in use"), taken.err.constData());
    }

    void estimateUsesWhatThisHostMeasured()
    {
        // After restores and a replay on this host, the estimate comes from them.
        auto r = cli(QStringList{QStringLiteral("estimate"), QStringLiteral("--json")} + rs());
        QVERIFY2(r.code == 0, r.err.constData());
        const QString basis = QJsonDocument::fromJson(r.out)[QStringLiteral("basis")].toString();
        QVERIFY2(basis.contains(QStringLiteral("restore(s) measured on this host")) && basis.contains(QStringLiteral("replay(s) measured on this host")),
                 qPrintable(basis));
    }

    void aPreparedTransaction()
    {
        auto r = restore(QStringLiteral("r-prepared"), {QStringLiteral("--target-xid"), m_preparedXid});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(rowsAfterRecovery(QStringLiteral("r-prepared")), QStringLiteral("a,b,c,d,p"));
    }
};

QTEST_GUILESS_MAIN(TestRestoreTargets)
#include "tst_restore_targets.moc"
