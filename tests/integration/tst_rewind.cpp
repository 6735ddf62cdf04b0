#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"
#include "pg/LocalCluster.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// Switchback with pg_rewind on checksummed clusters: the standby made from our backup is promoted while the old primary
// goes on writing (split brain); rewind makes the old primary a standby of the new one, its divergent row gone and the
// new primary's rows there. A cluster with neither checksums nor wal_log_hints is refused before anything changes.
class TestRewind : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_a;
    QString m_repo, m_b, m_bDir;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.initdbArgs << QStringLiteral("--data-checksums");
        QString why;
        m_a = TestCluster::create(o, &why);
        if (!m_a)
            QSKIP(qPrintable(why));
        m_repo = m_a->repoDir();
        QVERIFY(m_a->query(QStringLiteral("CREATE TABLE t(id int PRIMARY KEY, what text)")));
        QVERIFY(m_a->query(QStringLiteral("INSERT INTO t VALUES (1, 'shared history')")));
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_a->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
    }

    void cleanupTestCase()
    {
        if (!m_bDir.isEmpty()) {
            pg::LocalCluster::Spec spec;
            spec.dataDir = m_bDir;
            (void)pg::LocalCluster(spec).stop(QStringLiteral("immediate"), 30000);
        }
    }

    void refusedWithoutChecksumsOrHints()
    {
        TestCluster::Options o;
        o.start = false;
        QString why;
        auto plain = TestCluster::create(o, &why);
        QVERIFY2(plain, qPrintable(why));
        const QString version = QFileInfo(plain->dataDir() + QStringLiteral("/global/pg_control")).lastModified().toString(Qt::ISODateWithMs);
        auto r = test::cli(QStringList{QStringLiteral("rewind"), QStringLiteral("--target-dir"), plain->dataDir(), QStringLiteral("--source-conninfo"),
                                       m_a->conninfo()} + rs());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("neither data checksums nor wal_log_hints"), r.err.constData());
        QVERIFY2(r.err.contains("standby create --repo"), r.err.constData());  // the way out it offers
        QCOMPARE(QFileInfo(plain->dataDir() + QStringLiteral("/global/pg_control")).lastModified().toString(Qt::ISODateWithMs), version);
        QVERIFY(!QFileInfo::exists(plain->dataDir() + QStringLiteral("/standby.signal")));
        // A running old primary is refused too.
        auto running = test::cli({QStringLiteral("rewind"), QStringLiteral("--target-dir"), m_a->dataDir(), QStringLiteral("--source-conninfo"), m_a->conninfo()});
        QCOMPARE(running.code, 64);
        QVERIFY2(running.err.contains("is running"), running.err.constData());
    }

    void switchBackAfterSplitBrain()
    {
        m_bDir = m_a->makeServerWritableDir(QStringLiteral("b")) + QStringLiteral("/data");
        auto c = test::cli(QStringList{QStringLiteral("standby"), QStringLiteral("create")} + rs()
                           + QStringList{QStringLiteral("--target-dir"), m_bDir, QStringLiteral("--primary-conninfo"), m_a->conninfo(), QStringLiteral("--start"),
                                         QStringLiteral("--json")});
        QVERIFY2(c.code == 0, c.err.constData());
        m_b = QJsonDocument::fromJson(c.out)[QStringLiteral("conninfo")].toString();
        QVERIFY(m_a->query(QStringLiteral("INSERT INTO t VALUES (2, 'replicated')")));
        QTRY_COMPARE_WITH_TIMEOUT(TestCluster::scalarAt(m_b, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("2"), 20000);

        // Failover to B while A, cut off, goes on writing: A's row 3 exists on A only.
        auto p = test::cli({QStringLiteral("promote"), QStringLiteral("--conninfo"), m_b});
        QVERIFY2(p.code == 0, p.err.constData());
        QVERIFY(m_a->query(QStringLiteral("INSERT INTO t VALUES (3, 'lost with the old primary')")));
        QVERIFY(TestCluster::scalarAt(m_b, QStringLiteral("INSERT INTO t VALUES (4, 'on the new primary') RETURNING id")) == QStringLiteral("4"));
        QVERIFY(m_a->stop());

        auto r = test::cli(QStringList{QStringLiteral("rewind"), QStringLiteral("--target-dir"), m_a->dataDir(), QStringLiteral("--source-conninfo"), m_b,
                                       QStringLiteral("--slot"), QStringLiteral("old_primary"), QStringLiteral("--start"), QStringLiteral("--json")}
                           + rs());
        QVERIFY2(r.code == 0, r.err.constData());
        const QStringList settings = QJsonDocument::fromJson(r.out)[QStringLiteral("settings")].toVariant().toStringList();
        QVERIFY2(settings.contains(QStringLiteral("primary_slot_name = 'old_primary'")), qPrintable(settings.join(QLatin1Char('\n'))));
        QVERIFY(QFileInfo::exists(m_a->dataDir() + QStringLiteral("/standby.signal")));

        // A is now B's standby: B's rows, not its own divergent one, and it keeps following B.
        QTRY_COMPARE_WITH_TIMEOUT(m_a->scalar(QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM t")), QStringLiteral("1,2,4"), 30000);
        QCOMPARE(m_a->scalar(QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("t"));
        QVERIFY(TestCluster::scalarAt(m_b, QStringLiteral("INSERT INTO t VALUES (5, 'after switchback') RETURNING id")) == QStringLiteral("5"));
        QTRY_COMPARE_WITH_TIMEOUT(m_a->scalar(QStringLiteral("SELECT count(*) FROM t WHERE id = 5")), QStringLiteral("1"), 20000);
        QCOMPARE(TestCluster::scalarAt(m_b, QStringLiteral("SELECT active FROM pg_replication_slots WHERE slot_name = 'old_primary'")), QStringLiteral("t"));
    }
};

QTEST_GUILESS_MAIN(TestRewind)
#include "tst_rewind.moc"
