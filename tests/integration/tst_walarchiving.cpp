#include "TestCluster.h"
#include "core/WalParser.h"
#include "pg/ClientTools.h"
#include "repo/WalArchive.h"

#include <QtTest>

#include <csignal>
#include <random>
#include <sys/wait.h>

using namespace pga;
using pga::test::TestCluster;

// WAL archiving end to end against real PostgreSQL: archive_command = our push under pgbench, a
// pg_basebackup restored with restore_command = our get, a foreign cluster refused, damage caught,
// a push killed at random moments.
class TestWalArchiving : public QObject {
    Q_OBJECT
    QString m_cli;
    QTemporaryDir m_tmp{QStringLiteral("/tmp/pga-walarch-test.XXXXXX")};

    struct Run {
        int code = -1;
        QByteArray out, err;
    };
    Run cli(const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        p.start(m_cli, args);
        Run r;
        if (!p.waitForFinished(timeoutMs))
            return r;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        return r;
    }

    static QString firstSegment(const TestCluster &c)
    {
        const QStringList segs = QDir(c.dataDir() + QStringLiteral("/pg_wal")).entryList({QStringLiteral("0*")}, QDir::Files, QDir::Name);
        return segs.isEmpty() ? QString() : c.dataDir() + QStringLiteral("/pg_wal/") + segs.first();
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        m_cli = qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli");
        QVERIFY(QFileInfo(m_cli).isExecutable());
        QVERIFY(m_tmp.isValid());
    }

    void pgbenchArchivesAndReplaysThroughOurCommands()
    {
        // The repository lives in a directory the server's OS user owns: archive_command runs as that user.
        TestCluster::Options o;
        o.start = false;
        QString why;
        auto c = TestCluster::create(o, &why);
        if (!c)
            QSKIP(qPrintable(why));
        const QString repo = c->baseDir() + QStringLiteral("/repo");
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), repo}).code, 0);
        test::giveToServerUser(repo);
        QVERIFY(c->appendConf({QStringLiteral("wal_level = replica"), QStringLiteral("archive_mode = on"),
                               QStringLiteral("archive_command = '%1 archive-push --repo %2 --server main %p'").arg(m_cli, repo),
                               QStringLiteral("max_wal_senders = 4")}));
        QVERIFY(c->start());

        // Base backup without WAL: the restore must get every segment from the repository.
        const QString backup = c->baseDir() + QStringLiteral("/restore");
        auto bb = c->cluster().runTool(QStringLiteral("pg_basebackup"),
                                       {QStringLiteral("-h"), c->cluster().spec().socketDir, QStringLiteral("-p"),
                                        QString::number(c->port()), QStringLiteral("-U"), QStringLiteral("postgres"),
                                        QStringLiteral("-D"), backup, QStringLiteral("-X"), QStringLiteral("none"),
                                        QStringLiteral("-c"), QStringLiteral("fast")},
                                       60000);
        QVERIFY(bb);
        QVERIFY2(bb->exitCode == 0, bb->err.constData());

        auto pgbench = [&](const QStringList &args) {
            QStringList a{QStringLiteral("-h"), c->cluster().spec().socketDir, QStringLiteral("-p"), QString::number(c->port()),
                          QStringLiteral("-U"), QStringLiteral("postgres")};
            a << args << QStringLiteral("postgres");
            auto r = c->cluster().runTool(QStringLiteral("pgbench"), a, 120000);
            return r && r->exitCode == 0;
        };
        QVERIFY(pgbench({QStringLiteral("-i"), QStringLiteral("-s"), QStringLiteral("3"), QStringLiteral("-q")}));
        QVERIFY(pgbench({QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-T"), QStringLiteral("4")}));
        QVERIFY(c->query(QStringLiteral("CREATE TABLE marker AS SELECT 'archived-and-replayed'::text AS t")));
        const QString sum = c->scalar(QStringLiteral("SELECT sum(abalance)::text || '/' || (SELECT count(*) FROM pgbench_history) FROM pgbench_accounts"));
        const QString last = c->switchWal();
        QVERIFY2(c->waitForArchived(last, 60000), qPrintable(c->scalar(QStringLiteral("SELECT row_to_json(a)::text FROM pg_stat_archiver a"))));
        QCOMPARE(c->scalar(QStringLiteral("SELECT failed_count FROM pg_stat_archiver")), QStringLiteral("0"));

        // The catalog: one timeline, no gaps, commit times, no window without a base backup in the repository.
        Run info = cli({QStringLiteral("info"), QStringLiteral("--repo"), repo, QStringLiteral("--server"), QStringLiteral("main"),
                        QStringLiteral("--json")});
        QCOMPARE(info.code, 0);
        const QJsonObject server = QJsonDocument::fromJson(info.out).object().value(QStringLiteral("servers")).toArray().at(0).toObject();
        QCOMPARE(server.value(QStringLiteral("system_identifier")).toString(),
                 c->scalar(QStringLiteral("SELECT system_identifier::text FROM pg_control_system()")));
        QCOMPARE(server.value(QStringLiteral("pg_version")).toString(), QStringLiteral("15"));
        const QJsonObject tl = server.value(QStringLiteral("timelines")).toArray().at(0).toObject();
        QCOMPARE(tl.value(QStringLiteral("timeline")).toInt(), 1);
        QVERIFY2(tl.value(QStringLiteral("gaps")).toArray().isEmpty(), info.out.constData());
        QCOMPARE(tl.value(QStringLiteral("last_segment")).toString(), last);
        QVERIFY(tl.value(QStringLiteral("segments")).toInt() >= 3);
        QVERIFY(tl.value(QStringLiteral("window")).isNull());
        const QDateTime lastXact = QDateTime::fromString(tl.value(QStringLiteral("last_xact_time")).toString(), Qt::ISODateWithMs);
        QVERIFY2(lastXact.isValid() && qAbs(lastXact.secsTo(QDateTime::currentDateTimeUtc())) < 120, info.out.constData());

        // The per-segment record agrees with PostgreSQL's own pg_waldump: commit count, first and last commit time.
        {
            const QString dumpDir = c->baseDir() + QStringLiteral("/waldump");
            QVERIFY(QDir().mkpath(dumpDir));
            QCOMPARE(cli({QStringLiteral("archive-get"), QStringLiteral("--prefetch"), QStringLiteral("0"), QStringLiteral("--repo"),
                          repo, QStringLiteral("--server"), QStringLiteral("main"), last, dumpDir + QLatin1Char('/') + last})
                         .code,
                     0);
            pg::RunSpec spec;
            spec.program = *pg::ClientTools::program(QStringLiteral("pg_waldump"));
            spec.args = {dumpDir + QLatin1Char('/') + last};
            spec.extraEnv = {QStringLiteral("TZ=UTC")};
            auto dump = pg::runProcess(spec);  // exits non-zero at the end of valid WAL; the output is what counts
            QVERIFY(dump);
            int commits = 0;
            std::optional<qint64> first, lastUs;
            static const QRegularExpression re(QStringLiteral("desc: COMMIT (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)\\.(\\d{6}) UTC"));
            for (const QString &line : QString::fromUtf8(dump->out).split(QLatin1Char('\n'))) {
                const auto m = re.match(line);
                if (!m.hasMatch())
                    continue;
                ++commits;
                QDateTime t = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
                t.setTimeSpec(Qt::UTC);
                const qint64 us = t.toSecsSinceEpoch() * 1000000 + m.captured(2).toLongLong();
                first = first ? std::min(*first, us) : us;
                lastUs = lastUs ? std::max(*lastUs, us) : us;
            }
            auto r = repo::Repository::open(repo);
            QVERIFY(r);
            auto meta = repo::WalArchive(*r, QStringLiteral("main")).meta(*WalName::parse(last));
            QVERIFY(meta);
            QVERIFY2(commits > 0, dump->out.right(500).constData());
            QCOMPARE(meta->commits, commits);
            QCOMPARE(*meta->firstXactTimeUs, *first);
            QCOMPARE(*meta->lastXactTimeUs, *lastUs);
        }

        // Replay the backup through archive-get (with prefetch) on a second server and compare the data.
        pg::LocalCluster::Spec spec;
        spec.dataDir = backup;
        spec.socketDir = c->cluster().spec().socketDir;
        spec.port = pg::pickFreePort();
        spec.logFile = c->baseDir() + QStringLiteral("/restore.log");
        pg::LocalCluster restored(spec);
        QVERIFY(restored.appendConf({QStringLiteral("port = %1").arg(spec.port), QStringLiteral("archive_mode = off"),
                                     QStringLiteral("restore_command = '%1 archive-get --repo %2 --server main %f %p'").arg(m_cli, repo)}));
        QFile signal(backup + QStringLiteral("/recovery.signal"));
        QVERIFY(signal.open(QIODevice::WriteOnly));
        signal.close();
        test::giveToServerUser(backup + QStringLiteral("/recovery.signal"));
        QVERIFY2(restored.start(60000), qPrintable(restored.logTail()));
        bool promoted = false;
        QString restoredSum;
        for (int i = 0; i < 600 && !promoted; ++i) {
            auto conn = pg::Connection::connect({restored.conninfo()});
            if (conn) {
                auto r = (*conn)->exec(QStringLiteral("SELECT NOT pg_is_in_recovery()"));
                promoted = r && r->value(0, 0) == QLatin1String("t");
                if (promoted) {
                    auto s = (*conn)->exec(QStringLiteral("SELECT sum(abalance)::text || '/' || (SELECT count(*) FROM pgbench_history) "
                                                          "|| ':' || (SELECT t FROM marker) FROM pgbench_accounts"));
                    QVERIFY(s);
                    restoredSum = s->value(0, 0);
                }
            }
            if (!promoted)
                QThread::msleep(100);
        }
        const QString log = restored.logTail(30);
        (void)restored.stop(QStringLiteral("immediate"), 30000);
        QVERIFY2(promoted, qPrintable(log));
        QCOMPARE(restoredSum, sum + QStringLiteral(":archived-and-replayed"));
        QVERIFY2(log.contains(QStringLiteral("restored log file")), qPrintable(log));
    }

    void foreignClusterCorruptionAndKills()
    {
        TestCluster::Options o;
        o.start = false;
        QString why;
        auto a = TestCluster::create(o, &why);
        if (!a)
            QSKIP(qPrintable(why));
        auto b = TestCluster::create(o, &why);
        QVERIFY2(b, qPrintable(why));
        const QString repo = m_tmp.filePath(QStringLiteral("repo2"));
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), repo}).code, 0);
        const QString segA = firstSegment(*a), segB = firstSegment(*b);
        QVERIFY(!segA.isEmpty() && !segB.isEmpty());

        // Defaults from the environment, as a DBA would set them once.
        qputenv("PGARCHIVIST_REPO", repo.toLocal8Bit());
        qputenv("PGARCHIVIST_SERVER", "db");
        const auto cleanup = qScopeGuard([] {
            qunsetenv("PGARCHIVIST_REPO");
            qunsetenv("PGARCHIVIST_SERVER");
        });

        // Killed at random moments: never a visible partial file, and the retry succeeds.
        const QString tlDir = repo + QStringLiteral("/servers/db/wal/00000001");
        const QString name = QFileInfo(segA).fileName();
        std::mt19937 rng(4242);
        for (int i = 0; i < 12; ++i) {
            QProcess p;
            p.start(m_cli, {QStringLiteral("archive-push"), segA});
            QVERIFY(p.waitForStarted());
            QThread::usleep(std::uniform_int_distribution<int>(0, 60000)(rng));
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished();
            for (const QString &f : QDir(tlDir).entryList(QDir::Files))
                QCOMPARE(f, name + QStringLiteral(".zst"));
            if (i % 3 == 2)
                QDir(tlDir).removeRecursively();
        }
        // A write failure (file size limit: EFBIG, like a full disk): non-zero, clear, nothing left behind.
        QDir(tlDir).removeRecursively();
        QProcess limited;
        limited.start(QStringLiteral("bash"), {QStringLiteral("-c"), QStringLiteral("ulimit -f 64; exec \"$0\" archive-push \"$1\""), m_cli, segA});
        QVERIFY(limited.waitForFinished(60000));
        QCOMPARE(limited.exitStatus(), QProcess::NormalExit);
        QCOMPARE(limited.exitCode(), 1);
        const QByteArray limitedErr = limited.readAllStandardError();
        QVERIFY2(limitedErr.contains("disk is full"), limitedErr.constData());
        QVERIFY(QDir(tlDir).entryList(QDir::Files | QDir::Hidden).isEmpty());

        Run r = cli({QStringLiteral("archive-push"), segA});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QDir(tlDir).entryList(QDir::Files | QDir::Hidden), QStringList{name + QStringLiteral(".zst")});
        QCOMPARE(cli({QStringLiteral("archive-push"), segA}).code, 0);  // again: identical, fine

        // Another cluster's WAL under the same server name: refused, clearly.
        r = cli({QStringLiteral("archive-push"), segB});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("system identifier"), r.err.constData());
        r = cli({QStringLiteral("archive-push"), QStringLiteral("--server"), QStringLiteral("other"), segB});
        QCOMPARE(r.code, 0);  // under its own name it is welcome

        // Different content under an archived name (a copy of B's segment renamed to A's name): split brain.
        const QString fake = m_tmp.filePath(QStringLiteral("fake/") + name);
        QDir().mkpath(QFileInfo(fake).absolutePath());
        QByteArray bytes;
        {
            QFile fa(segA);
            QVERIFY(fa.open(QIODevice::ReadOnly));
            bytes = fa.readAll();
        }
        bytes[bytes.size() - 5] = char(bytes[bytes.size() - 5] ^ 1);
        {
            QFile ff(fake);
            QVERIFY(ff.open(QIODevice::WriteOnly));
            ff.write(bytes);
        }
        r = cli({QStringLiteral("archive-push"), fake});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("possible split brain"), r.err.constData());

        // archive-get: restores verified; missing is a quiet 1; a flipped byte stops recovery (exit > 125).
        const QString dest = m_tmp.filePath(QStringLiteral("RECOVERYXLOG"));
        r = cli({QStringLiteral("archive-get"), QStringLiteral("--prefetch"), QStringLiteral("0"), name, dest});
        QVERIFY2(r.code == 0, r.err.constData());
        {
            QFile fa(segA), fd(dest);
            QVERIFY(fa.open(QIODevice::ReadOnly) && fd.open(QIODevice::ReadOnly));
            QVERIFY(fa.readAll() == fd.readAll());
        }
        r = cli({QStringLiteral("archive-get"), QStringLiteral("00000001000000000000007F"), dest});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.isEmpty());
        const QString archived = tlDir + QLatin1Char('/') + name + QStringLiteral(".zst");
        QFile af(archived);
        QVERIFY(af.open(QIODevice::ReadWrite));
        af.seek(af.size() / 2);
        char ch = 0;
        af.getChar(&ch);
        af.seek(af.size() / 2);
        af.putChar(char(ch ^ 0x10));
        af.close();
        QFile::remove(dest);
        r = cli({QStringLiteral("archive-get"), name, dest});
        QVERIFY2(r.code > 125, r.err.constData());
        QVERIFY2(r.err.contains("damaged"), r.err.constData());
        QVERIFY(!QFileInfo::exists(dest));
    }
};

QTEST_GUILESS_MAIN(TestWalArchiving)
#include "tst_walarchiving.moc"
