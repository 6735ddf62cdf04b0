#include "CliRunner.h"
#include "PitrDriver.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// Restore of a cluster with a tablespace against real PostgreSQL 15 through the CLI (issue 5): the
// tablespace goes where --tablespace-map says, the restored server reads and replays into it there, and
// the source cluster's own tablespace (still live at the original location) is never written to.
class TestRestoreTablespace : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    QString m_old;  // the source cluster's tablespace location
    QString m_oid;

    using Run = test::CliOutput;
    static Run cli(const QStringList &args) { return test::cli(args); }
    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }
    Run restore(const QString &targetDir, const QStringList &extra)
    {
        return cli(QStringList{QStringLiteral("restore")} + rs() + QStringList{QStringLiteral("--target-dir"), targetDir} + extra);
    }
    void settle()
    {
        const QString last = m_c->switchWal();
        QVERIFY(m_c->waitForArchived(last, 60000));
    }
    // Every file under dir with its size and SHA-256: what "untouched" means to a DBA.
    static QMap<QString, QByteArray> snapshot(const QString &dir)
    {
        QMap<QString, QByteArray> files;
        QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString p = it.next();
            QByteArray v = "dir";
            if (it.fileInfo().isFile()) {
                QFile f(p);
                if (!f.open(QIODevice::ReadOnly))
                    v = "unreadable";
                else
                    v = QByteArray::number(f.size()) + ' ' + QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
            }
            files.insert(QDir(dir).relativeFilePath(p), v);
        }
        return files;
    }
    static QString scalar(const QString &conninfo, const QString &sql)
    {
        auto conn = pg::Connection::connect({conninfo});
        if (!conn)
            return QStringLiteral("ERROR: ") + conn.error().message;
        auto r = (*conn)->exec(sql);
        return r ? r->value(0, 0) : QStringLiteral("ERROR: ") + r.error().message;
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QVERIFY(QFileInfo(test::cliPath()).isExecutable());
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        // No autovacuum: nothing but this test may write into the tablespace, so "untouched" can be checked byte for byte.
        o.conf = {QStringLiteral("autovacuum = off")};
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        // The location must be an empty directory owned by the server's OS user (postgres when we are root).
        m_old = m_c->makeServerWritableDir(QStringLiteral("ts-old"));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLESPACE ts LOCATION '%1'").arg(m_old)));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t(i int, s text) TABLESPACE ts")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 1000) i")));
        m_oid = m_c->scalar(QStringLiteral("SELECT oid FROM pg_tablespace WHERE spcname = 'ts'"));
        QVERIFY(!m_oid.isEmpty());

        Run b = cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());
        const QJsonObject backup = QJsonDocument::fromJson(b.out).object();
        QVERIFY2(backup[QStringLiteral("id")].isString(), b.out.constData());
        // After the backup: rows only WAL replay can bring, into the tablespace.
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1001, 1234) i")));
        QVERIFY(m_c->query(QStringLiteral("VACUUM (FREEZE) t")));
        QVERIFY(m_c->query(QStringLiteral("CHECKPOINT")));
        settle();
    }

    void restoreWithTablespaceMap()
    {
        const QMap<QString, QByteArray> oldBefore = snapshot(m_old);
        QVERIFY2(oldBefore.size() >= 3, "the source tablespace has no files");
        const QString target = m_c->baseDir() + QStringLiteral("/r-mapped");
        const QString mappedTo = m_c->baseDir() + QStringLiteral("/ts-new");
        Run r = restore(target, {QStringLiteral("--tablespace-map"), m_old + QLatin1Char('=') + mappedTo});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString link = target + QStringLiteral("/pg_tblspc/") + m_oid;
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(QFileInfo(link).symLinkTarget(), mappedTo);
        QVERIFY2(QDir(mappedTo).entryList(QDir::Dirs | QDir::NoDotAndDotDot).join(QLatin1Char(',')).startsWith(QLatin1String("PG_15_")),
                 qPrintable(QDir(mappedTo).entryList().join(QLatin1Char(','))));

        auto server = test::RestoredServer::start(target, m_c->cluster().spec().socketDir);
        QVERIFY2(server, server ? "" : qPrintable(server.error().toString()));
        Status promoted = (*server)->waitForTarget(QStringLiteral("promote"));
        QVERIFY2(promoted, promoted ? "" : qPrintable(promoted.error().toString() + QLatin1Char('\n') + promoted.error().detail));
        // The rows from the backup and from replayed WAL, read through the tablespace at its new place.
        QCOMPARE(scalar((*server)->conninfo(), QStringLiteral("SELECT count(*) || '/' || sum(i) || '/' || bool_and(s = md5(i::text)) FROM t")),
                 QStringLiteral("1234/761995/true"));
        QCOMPARE(scalar((*server)->conninfo(), QStringLiteral("SELECT pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname = 'ts'")),
                 mappedTo);
        QVERIFY((*server)->stop());
        QCOMPARE(QFileInfo(link).symLinkTarget(), mappedTo);

        // --delta over that restore may rewrite the mapped tablespace: the data directory links to it.
        Run d = restore(target, {QStringLiteral("--delta"), QStringLiteral("--tablespace-map"), m_old + QLatin1Char('=') + mappedTo});
        QVERIFY2(d.code == 0, d.err.constData());
        QVERIFY2(d.out.contains("reused"), d.out.constData());
        QCOMPARE(QFileInfo(link).symLinkTarget(), mappedTo);

        // Neither the restore nor the restored server's recovery wrote into the source's tablespace.
        QCOMPARE(snapshot(m_old), oldBefore);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1234"));
    }

    void restoreOverTheLiveTablespaceIsRefused()
    {
        const QMap<QString, QByteArray> oldBefore = snapshot(m_old);
        // Without the map the tablespace would go to its original location, which the running source uses.
        const QString target = m_c->baseDir() + QStringLiteral("/r-unmapped");
        Run r = restore(target, {});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(m_old.toUtf8()) && r.err.contains("--tablespace-map"), r.err.constData());
        // --delta reuses a directory a previous restore made; the source's live tablespace is not one.
        Run d = restore(target, {QStringLiteral("--delta")});
        QCOMPARE(d.code, 1);
        QVERIFY2(d.err.contains(m_old.toUtf8()) && d.err.contains("--tablespace-map"), d.err.constData());
        QCOMPARE(snapshot(m_old), oldBefore);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) || '/' || sum(i) FROM t")), QStringLiteral("1234/761995"));

        // A map whose OLD is no tablespace of the backup is a mistake, not a silent restore to the original place.
        Run typo = restore(m_c->baseDir() + QStringLiteral("/r-typo"),
                           {QStringLiteral("--tablespace-map"), m_old + QStringLiteral("-typo=") + m_c->baseDir() + QStringLiteral("/ts-typo")});
        QCOMPARE(typo.code, 1);
        QVERIFY2(typo.err.contains("-typo") && typo.err.contains(m_old.toUtf8()), typo.err.constData());
        QVERIFY(!QFileInfo::exists(m_c->baseDir() + QStringLiteral("/ts-typo")));

        // A malformed map is a usage error that says what it wants.
        for (const QString &bad : {QStringLiteral("foo"), QStringLiteral("=/x"), QStringLiteral("/x=")}) {
            Run m = restore(m_c->baseDir() + QStringLiteral("/r-bad"), {QStringLiteral("--tablespace-map"), bad});
            QCOMPARE(m.code, 64);
            QVERIFY2(m.err.contains("OLD=NEW"), m.err.constData());
        }
        QCOMPARE(snapshot(m_old), oldBefore);
    }
};

QTEST_GUILESS_MAIN(TestRestoreTablespace)
#include "tst_restore_tablespace.moc"
