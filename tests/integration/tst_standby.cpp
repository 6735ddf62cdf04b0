#include "CliRunner.h"
#include "TestCluster.h"
#include "core/Lsn.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// Standbys made from our repository, on real clusters: one streaming from the primary through a slot, one fed from
// the archive alone, one delayed by 10 s; then promotion, which refuses a delayed replica with pending WAL.
class TestStandby : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    QStringList m_started;  // data directories to stop at the end
    QString m_streaming;    // the streaming standby's conninfo, promoted last
    QString m_rescue;       // a replica delayed by 30 s, streaming since the start

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }

    // Creates and starts a standby; returns its conninfo (empty on failure, with the CLI's error logged).
    QString create(const QString &name, const QStringList &extra)
    {
        const QString dir = m_c->makeServerWritableDir(name) + QStringLiteral("/data");
        auto r = test::cli(QStringList{QStringLiteral("standby"), QStringLiteral("create")} + rs()
                           + QStringList{QStringLiteral("--target-dir"), dir, QStringLiteral("--start"), QStringLiteral("--json")} + extra);
        if (r.code != 0) {
            qWarning("standby create: %s", r.err.constData());
            return {};
        }
        m_started << dir;
        return QJsonDocument::fromJson(r.out)[QStringLiteral("conninfo")].toString();
    }

    static QString value(const QString &conninfo, const QString &sql) { return TestCluster::scalarAt(conninfo, sql); }

    static bool waitFor(const QString &conninfo, const QString &sql, const QString &expected, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (value(conninfo, sql) == expected)
                return true;
            QThread::msleep(200);
        }
        qWarning("%s: %s, expected %s", qPrintable(sql), qPrintable(value(conninfo, sql)), qPrintable(expected));
        return false;
    }

    QJsonObject status(const QString &conninfo)
    {
        auto r = test::cli({QStringLiteral("standby"), QStringLiteral("status"), QStringLiteral("--conninfo"), conninfo, QStringLiteral("--json")});
        return QJsonDocument::fromJson(r.out).object();
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.conf << QStringLiteral("archive_timeout = 0");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t(id int PRIMARY KEY, what text)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES (1, 'before the backup')")));
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
        // Made now, while the archive holds no commit younger than its delay: it replays the archive at once and streams.
        m_rescue = create(QStringLiteral("rescue"), {QStringLiteral("--primary-conninfo"), m_c->conninfo(), QStringLiteral("--delay"), QStringLiteral("30s")});
        QVERIFY(!m_rescue.isEmpty());
    }

    void cleanupTestCase()
    {
        for (const QString &dir : m_started) {
            pg::LocalCluster::Spec spec;
            spec.dataDir = dir;
            (void)pg::LocalCluster(spec).stop(QStringLiteral("immediate"), 30000);
        }
    }

    void refusesWhatWouldLeakOrCannotWork()
    {
        const QString dir = m_c->makeServerWritableDir(QStringLiteral("refused")) + QStringLiteral("/data");
        const QStringList base = QStringList{QStringLiteral("standby"), QStringLiteral("create")} + rs() + QStringList{QStringLiteral("--target-dir"), dir};
        auto pw = test::cli(base + QStringList{QStringLiteral("--primary-conninfo"), m_c->conninfo() + QStringLiteral(" password=secret")});
        QCOMPARE(pw.code, 64);
        QVERIFY2(pw.err.contains("passfile"), pw.err.constData());
        QCOMPARE(test::cli(base + QStringList{QStringLiteral("--delay"), QStringLiteral("ten seconds")}).code, 64);
        QCOMPARE(test::cli(base + QStringList{QStringLiteral("--slot"), QStringLiteral("s1")}).code, 64);  // a slot needs a primary
        QCOMPARE(test::cli(base + QStringList{QStringLiteral("--hot"), QStringLiteral("--warm")}).code, 64);
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/PG_VERSION")));
        // Without --start, a warm standby's settings say so and nothing runs.
        auto warm = test::cli(base + QStringList{QStringLiteral("--warm"), QStringLiteral("--json")});
        QVERIFY2(warm.code == 0, warm.err.constData());
        const QStringList settings = QJsonDocument::fromJson(warm.out)[QStringLiteral("settings")].toVariant().toStringList();
        QVERIFY2(settings.contains(QStringLiteral("hot_standby = off")), qPrintable(settings.join(QLatin1Char('\n'))));
        QVERIFY(settings.contains(QStringLiteral("recovery_target_timeline = 'latest'")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/standby.signal")));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/recovery.signal")));
    }

    void streamingArchiveFedAndDelayed()
    {
        const QString streaming = create(QStringLiteral("streaming"), {QStringLiteral("--primary-conninfo"), m_c->conninfo(), QStringLiteral("--slot"),
                                                                        QStringLiteral("sb1")});
        QVERIFY(!streaming.isEmpty());
        const QString archived = create(QStringLiteral("archivefed"), {});
        QVERIFY(!archived.isEmpty());
        const QString delayed = create(QStringLiteral("delayed"), {QStringLiteral("--primary-conninfo"), m_c->conninfo(), QStringLiteral("--delay"),
                                                                    QStringLiteral("10s")});
        QVERIFY(!delayed.isEmpty());
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT active FROM pg_replication_slots WHERE slot_name = 'sb1'")), QStringLiteral("t"));

        // The streaming standby follows within moments; its status names its receiver and slot.
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES (2, 'streamed')")));
        QElapsedTimer sinceCommit;
        sinceCommit.start();
        QVERIFY(waitFor(streaming, QStringLiteral("SELECT what FROM t WHERE id = 2"), QStringLiteral("streamed"), 20000));
        const QJsonObject st = status(streaming);
        QCOMPARE(st[QStringLiteral("in_recovery")].toBool(), true);
        QCOMPARE(st[QStringLiteral("receiver_status")].toString(), QStringLiteral("streaming"));
        QCOMPARE(st[QStringLiteral("slot")].toString(), QStringLiteral("sb1"));
        QCOMPARE(st[QStringLiteral("delay")].toString(), QStringLiteral("0"));

        // The delayed replica has received it but shows it only after its delay.
        QCOMPARE(value(delayed, QStringLiteral("SELECT count(*) FROM t WHERE id = 2")), QStringLiteral("0"));
        QVERIFY(sinceCommit.elapsed() < 8000);
        QCOMPARE(status(delayed)[QStringLiteral("delay")].toString(), QStringLiteral("10s"));
        // Promoting it now would apply the pending commit: refused, naming the delay.
        auto refused = test::cli({QStringLiteral("promote"), QStringLiteral("--conninfo"), delayed});
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains("delayed replica"), refused.err.constData());
        QVERIFY(waitFor(delayed, QStringLiteral("SELECT what FROM t WHERE id = 2"), QStringLiteral("streamed"), 30000));
        // Not before its delay: the replica counts from the commit record's time, taken a little before INSERT returned here.
        QVERIFY2(sinceCommit.elapsed() >= 9000, qPrintable(QString::number(sinceCommit.elapsed())));

        // The archive-fed standby replays the segment once it is archived.
        m_c->switchWal();
        QVERIFY(m_c->waitForArchiverIdle());
        QVERIFY(waitFor(archived, QStringLiteral("SELECT what FROM t WHERE id = 2"), QStringLiteral("streamed"), 30000));
        QCOMPARE(status(archived)[QStringLiteral("receiver_status")].toString(), QString());

        m_streaming = streaming;
    }

    void stopBeforeRescuesATableDroppedInsideTheDelay()
    {
        const QString delayed = m_rescue;
        QVERIFY(!delayed.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(status(delayed)[QStringLiteral("receiver_status")].toString(), QStringLiteral("streaming"), 60000);
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE precious AS SELECT g AS id FROM generate_series(1, 500) g")));
        quint32 dropXid = 0;
        {
            auto c = pg::Connection::connect({m_c->conninfo()});
            QVERIFY(c);
            QVERIFY((*c)->exec(QStringLiteral("BEGIN")));
            auto x = (*c)->exec(QStringLiteral("SELECT txid_current()"));
            QVERIFY(x);
            dropXid = x->value(0, 0).toUInt();
            QVERIFY((*c)->exec(QStringLiteral("DROP TABLE precious")));
            QVERIFY((*c)->exec(QStringLiteral("COMMIT")));
        }
        const auto afterDrop = Lsn::parse(m_c->scalar(QStringLiteral("SELECT pg_current_wal_lsn()")));
        QTRY_VERIFY_WITH_TIMEOUT(Lsn::parse(status(delayed)[QStringLiteral("receive_lsn")].toString()) >= afterDrop, 20000);

        // A target the standby has replayed already is refused, and replay goes on.
        auto late = test::cli({QStringLiteral("standby"), QStringLiteral("stop-before"), QStringLiteral("--conninfo"), delayed,
                               QStringLiteral("--target-lsn"), QStringLiteral("0/1000000")});
        QCOMPARE(late.code, 1);
        QVERIFY2(late.err.contains("Too late"), late.err.constData());
        QCOMPARE(status(delayed)[QStringLiteral("replay_state")].toString(), QStringLiteral("not paused"));

        // Stop just before the DROP: the table comes back on the promoted replica with every row; the primary has lost it.
        auto r = test::cli({QStringLiteral("standby"), QStringLiteral("stop-before"), QStringLiteral("--conninfo"), delayed, QStringLiteral("--target-xid"),
                            QString::number(dropXid), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(value(delayed, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("f"));
        QCOMPARE(value(delayed, QStringLiteral("SELECT count(*) FROM precious")), QStringLiteral("500"));
        QVERIFY(m_c->scalar(QStringLiteral("SELECT to_regclass('precious')")).isEmpty());
        // The targets it set are gone again, so a later recovery of this server does not stop there unasked.
        QCOMPARE(value(delayed, QStringLiteral("SELECT count(*) FROM pg_file_settings WHERE name LIKE 'recovery_target%' AND name <> 'recovery_target_timeline'")), QStringLiteral("0"));
        QCOMPARE(value(delayed, QStringLiteral("SELECT current_setting('recovery_min_apply_delay')")), QStringLiteral("0"));
    }

    // Last: a promoted standby archives its new timeline into the repository, which every later standby would follow.
    void promoteTheStreamingStandby()
    {
        QVERIFY(!m_streaming.isEmpty());
        // A WAL receiver streams from the standby (cascading) into the repository and follows it onto its new timeline.
        QProcess rx;
        rx.setProcessChannelMode(QProcess::MergedChannels);
        rx.start(test::cliPath(), QStringList{QStringLiteral("wal-receive")} + rs()
                                      + QStringList{QStringLiteral("--conninfo"), m_streaming, QStringLiteral("--status-interval"), QStringLiteral("1")});
        QVERIFY(rx.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(value(m_streaming, QStringLiteral("SELECT state FROM pg_stat_replication WHERE application_name = 'pgarchivist_receiver'")),
                                  QStringLiteral("streaming"), 20000);
        // Promote the streaming standby, checked against the repository: it takes writes on a new timeline.
        auto p = test::cli(QStringList{QStringLiteral("promote"), QStringLiteral("--conninfo"), m_streaming} + rs() + QStringList{QStringLiteral("--json")});
        QVERIFY2(p.code == 0, p.err.constData());
        // A new timeline: 2, or 3 when the rescued replica took 2 (both archive into the same repository).
        QVERIFY(QJsonDocument::fromJson(p.out)[QStringLiteral("timeline")].toInt() >= 2);
        QCOMPARE(value(m_streaming, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("f"));
        QVERIFY(TestCluster::scalarAt(m_streaming, QStringLiteral("INSERT INTO t VALUES (3, 'on the new primary') RETURNING id")) == QStringLiteral("3"));
        const int tli = QJsonDocument::fromJson(p.out)[QStringLiteral("timeline")].toInt();
        const QString segment = value(m_streaming, QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())"));
        QVERIFY(value(m_streaming, QStringLiteral("SELECT pg_switch_wal() IS NOT NULL")) == QStringLiteral("t"));
        const QString archived = m_repo + QStringLiteral("/servers/main/wal/%1/%2.zst").arg(tli, 8, 16, QLatin1Char('0')).arg(segment);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(archived), 30000);
        QVERIFY(QFileInfo::exists(m_repo + QStringLiteral("/servers/main/wal/%1/%2.history.zst").arg(tli, 8, 16, QLatin1Char('0')).arg(tli, 8, 16, QLatin1Char('0'))));
        rx.terminate();
        const bool stopped = rx.waitForFinished(20000);
        const QByteArray log = rx.readAll();
        QVERIFY2(stopped, log.constData());
        QVERIFY2(rx.exitCode() == 0, log.constData());
        QVERIFY2(log.contains(QStringLiteral("following timeline %1").arg(tli).toUtf8()), log.constData());
        // The promoted server archives its own .partial of the old timeline: the receiver left that name free.
        QTRY_COMPARE_WITH_TIMEOUT(value(m_streaming, QStringLiteral("SELECT failed_count FROM pg_stat_archiver")), QStringLiteral("0"), 5000);
        auto again = test::cli({QStringLiteral("promote"), QStringLiteral("--conninfo"), m_streaming});
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains("not a standby"), again.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestStandby)
#include "tst_standby.moc"
