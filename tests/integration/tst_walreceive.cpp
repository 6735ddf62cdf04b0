#include "CliRunner.h"
#include "TestCluster.h"
#include "core/Lsn.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"

#include <QtTest>

#include <csignal>

using namespace pga;
using pga::test::TestCluster;

// wal-receive against a real primary: as a synchronous standby every commit the primary acknowledged is durable in the
// repository, so a restore after the primary is killed mid-segment has it; the receiver reconnects when the primary
// comes back, and the .partial gives way to the whole segment, which archive_command pushes too with the same bytes.
class TestWalReceive : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    QProcess m_rx;
    QByteArray m_rxLog;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }

    void startReceiver(const QStringList &extra)
    {
        m_rx.setProcessChannelMode(QProcess::MergedChannels);
        m_rx.start(test::cliPath(), QStringList{QStringLiteral("wal-receive")} + rs()
                                        + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--status-interval"),
                                                      QStringLiteral("1")}
                                        + extra);
        QVERIFY(m_rx.waitForStarted());
    }

    QJsonObject receiverStateOf(const QString &server)
    {
        auto r = test::cli({QStringLiteral("info"), QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), server, QStringLiteral("--json")});
        const QJsonArray servers = QJsonDocument::fromJson(r.out)[QStringLiteral("servers")].toArray();
        return servers.isEmpty() ? QJsonObject() : servers[0][QStringLiteral("receiver")].toObject();
    }
    QJsonObject receiverState() { return receiverStateOf(QStringLiteral("main")); }

    // Waits until the receiver's durable position reaches lsn.
    bool waitForFlush(const QString &lsn, int timeoutMs = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const QString flush = receiverState()[QStringLiteral("flush_lsn")].toString();
            if (!flush.isEmpty() && Lsn::parse(flush) >= Lsn::parse(lsn))
                return true;
            QThread::msleep(200);
        }
        return false;
    }

    QStringList auditIds()
    {
        auto r = test::cli({QStringLiteral("check"), QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QStringList ids;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out)[QStringLiteral("findings")].toArray())
            ids << v[QStringLiteral("id")].toString();
        return ids;
    }

    QString streamPartials() const
    {
        return QDir(m_repo + QStringLiteral("/servers/main/stream")).entryList({QStringLiteral("*.partial")}, QDir::Files).join(QLatin1Char(','));
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.fsync = true;
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE ledger(id int PRIMARY KEY, note text)")));
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
    }

    void cleanupTestCase()
    {
        if (m_rx.state() != QProcess::NotRunning) {
            m_rx.kill();
            m_rx.waitForFinished();
        }
    }

    void refusesBadCommandLines()
    {
        QCOMPARE(test::cli(QStringList{QStringLiteral("wal-receive")} + rs()).code, 64);
        QCOMPARE(test::cli(QStringList{QStringLiteral("wal-receive")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(),
                                                                                       QStringLiteral("--create-slot")}).code, 64);
        // A slot that does not exist, without --create-slot: the reason and the fix, and nothing streamed.
        auto r = test::cli(QStringList{QStringLiteral("wal-receive")} + rs()
                           + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--slot"), QStringLiteral("nope")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--create-slot"), r.err.constData());
        QCOMPARE(streamPartials(), QString());

        // install-unit writes a service with the same command line (quoted for systemd), never a password.
        const QString unitDir = m_c->baseDir() + QStringLiteral("/units");
        QDir().mkpath(unitDir);
        const QStringList unit = QStringList{QStringLiteral("wal-receive")} + rs()
                                 + QStringList{QStringLiteral("--slot"), QStringLiteral("rx"), QStringLiteral("install-unit"), QStringLiteral("--unit-dir"), unitDir};
        QCOMPARE(test::cli(unit + QStringList{QStringLiteral("--conninfo"), m_c->conninfo() + QStringLiteral(" password=x")}).code, 64);
        auto u = test::cli(unit + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(u.code == 0, u.err.constData());
        QFile f(unitDir + QStringLiteral("/pgarchivist-wal-receive-main.service"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY2(text.contains(QStringLiteral("\"wal-receive\" \"--repo\" \"%1\"").arg(m_repo)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\"--slot\" \"rx\"")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Restart=always")));
        // The service runs as the repository's owner, the one user who may write it.
        QVERIFY2(text.contains(QStringLiteral("User=%1\n").arg(QFileInfo(m_repo + QStringLiteral("/pgarchivist-repo.json")).owner())), qPrintable(text));
    }

    void synchronousReceiverKeepsEveryAcknowledgedCommit()
    {
        startReceiver({QStringLiteral("--slot"), QStringLiteral("rx"), QStringLiteral("--create-slot"), QStringLiteral("--synchronous")});
        QVERIFY(m_c->appendConf({QStringLiteral("synchronous_standby_names = 'pgarchivist_receiver'")}));
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_reload_conf()")));
        QElapsedTimer t;
        t.start();
        QString syncState;
        while (t.elapsed() < 30000 && syncState != QLatin1String("sync")) {
            syncState = m_c->scalar(QStringLiteral("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'pgarchivist_receiver'"));
            QThread::msleep(200);
        }
        QVERIFY2(syncState == QLatin1String("sync"), qPrintable(QString::fromUtf8(m_rx.readAll())));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT slot_type || ':' || active FROM pg_replication_slots WHERE slot_name = 'rx'")),
                 QStringLiteral("physical:true"));
        // The audit is content with a receiver on a slot, and names one without (here a second, into another server name).
        QVERIFY(!auditIds().contains(QStringLiteral("slot.missing_for_receiver")));
        QProcess noSlot;
        noSlot.start(test::cliPath(), {QStringLiteral("wal-receive"), QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("other"),
                                       QStringLiteral("--conninfo"), m_c->conninfo() + QStringLiteral(" application_name=unslotted")});
        QVERIFY(noSlot.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_c->scalar(QStringLiteral("SELECT state FROM pg_stat_replication WHERE application_name = 'unslotted'")) == QLatin1String("streaming"), 20000);
        QVERIFY(auditIds().contains(QStringLiteral("slot.missing_for_receiver")));
        noSlot.terminate();
        QVERIFY(noSlot.waitForFinished(20000));

        // Each commit returns only after the receiver acknowledged its flush; then the primary dies mid-segment.
        for (int i = 1; i <= 200; ++i)
            QVERIFY(m_c->query(QStringLiteral("INSERT INTO ledger VALUES (%1, 'acknowledged')").arg(i)));
        const QString lastCommit = m_c->scalar(QStringLiteral("SELECT pg_current_wal_lsn()"));
        const QJsonObject state = receiverState();
        QVERIFY2(state[QStringLiteral("connected")].toBool(), qPrintable(QJsonDocument(state).toJson()));
        QCOMPARE(state[QStringLiteral("slot")].toString(), QStringLiteral("rx"));
        QVERIFY(waitForFlush(lastCommit, 10000));
        QVERIFY(m_c->stop(QStringLiteral("immediate")));
        QVERIFY2(!streamPartials().isEmpty(), "the segment in progress is a .partial in the repository");

        // A restore to the end of the WAL has every acknowledged row: the last ones exist only in the stream's .partial.
        const QString dir = m_c->makeServerWritableDir(QStringLiteral("restored")) + QStringLiteral("/data");
        auto r = test::cli(QStringList{QStringLiteral("restore")} + rs()
                           + QStringList{QStringLiteral("--target-dir"), dir, QStringLiteral("--target-action"), QStringLiteral("promote")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(test::queryRestored(dir, m_c->baseDir(), QStringLiteral("SELECT count(*) || '/' || max(id) FROM ledger")),
                 QStringLiteral("200/200"));
        QFile log(dir + QStringLiteral(".log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains("restored its streamed or partial part"), "the last rows came from the stream's .partial");
    }

    void reconnectsAndReplacesThePartialWithTheSegment()
    {
        QVERIFY(m_c->start());
        QVERIFY(m_c->query(QStringLiteral("ALTER SYSTEM SET synchronous_standby_names = ''")));
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_reload_conf()")));
        const QString partialBefore = streamPartials();
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO ledger SELECT g, 'after restart' FROM generate_series(201, 300) g")));
        const QString switched = m_c->switchWal();
        QVERIFY(m_c->waitForArchived(switched));
        QVERIFY2(waitForFlush(m_c->scalar(QStringLiteral("SELECT pg_current_wal_lsn()"))), m_rx.readAll().constData());
        QTRY_VERIFY_WITH_TIMEOUT(!streamPartials().contains(partialBefore.left(24)), 20000);
        // The segment is archived whole, once: by whichever of archive_command and the receiver came first, with the same bytes.
        QVERIFY(QFileInfo::exists(m_repo + QStringLiteral("/servers/main/wal/00000001/") + partialBefore.left(24) + QStringLiteral(".zst")));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT failed_count FROM pg_stat_archiver")), QStringLiteral("0"));

        ::kill(pid_t(m_rx.processId()), SIGTERM);
        QVERIFY(m_rx.waitForFinished(20000));
        m_rxLog = m_rx.readAll();
        QVERIFY2(m_rx.exitCode() == 0, m_rxLog.constData());
        QVERIFY2(m_rxLog.contains("Reconnecting"), m_rxLog.constData());
        QVERIFY2(!m_rxLog.contains("different"), m_rxLog.constData());
        QCOMPARE(receiverState()[QStringLiteral("connected")].toBool(), false);
    }

    // Without a slot the server may recycle WAL the receiver has not got: it says so and what to do, keeps what it had
    // streamed as a .partial in the archive, and starts again where the server is.
    void recycledWalWithoutASlot()
    {
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_drop_replication_slot('rx')")));  // it would keep every segment
        const QStringList gone{QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("gone"), QStringLiteral("--conninfo"),
                               m_c->conninfo(), QStringLiteral("--status-interval"), QStringLiteral("1")};
        QProcess rx;
        rx.setProcessChannelMode(QProcess::MergedChannels);
        rx.start(test::cliPath(), QStringList{QStringLiteral("wal-receive")} + gone);
        QVERIFY(rx.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(m_repo + QStringLiteral("/servers/gone/stream")).entryList({QStringLiteral("*.partial")}, QDir::Files).isEmpty(), 20000);
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO ledger VALUES (1000, 'before the gap')")));
        QTest::qWait(1000);
        rx.terminate();
        QVERIFY(rx.waitForFinished(20000));
        const QString partial = QDir(m_repo + QStringLiteral("/servers/gone/stream")).entryList({QStringLiteral("*.partial")}, QDir::Files).value(0);
        QVERIFY(!partial.isEmpty());
        // Segments go by and checkpoints recycle them (nothing keeps them: no slot, wal_keep_size 0).
        for (int i = 0; i < 6; ++i) {
            QVERIFY(m_c->query(QStringLiteral("INSERT INTO ledger SELECT g, 'filler' FROM generate_series(%1, %2) g").arg(2000 + i * 100).arg(2099 + i * 100)));
            m_c->switchWal();
            if (i % 2)
                QVERIFY(m_c->query(QStringLiteral("CHECKPOINT")));
        }
        QVERIFY(m_c->waitForArchiverIdle());
        QVERIFY(m_c->query(QStringLiteral("CHECKPOINT")));
        QVERIFY(m_c->scalar(QStringLiteral("SELECT count(*) FROM pg_ls_waldir() WHERE name = '%1'").arg(partial.left(24))) == QStringLiteral("0"));

        rx.start(test::cliPath(), QStringList{QStringLiteral("wal-receive")} + gone);
        QVERIFY(rx.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(m_repo + QStringLiteral("/servers/gone/wal/00000001/") + partial + QStringLiteral(".zst")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(receiverStateOf(QStringLiteral("gone"))[QStringLiteral("connected")].toBool(), 30000);
        rx.terminate();
        QVERIFY(rx.waitForFinished(20000));
        const QByteArray log = rx.readAll();
        QVERIFY2(log.contains("no longer has the WAL") && log.contains("--slot NAME --create-slot"), log.constData());
    }
};

QTEST_GUILESS_MAIN(TestWalReceive)
#include "tst_walreceive.moc"
