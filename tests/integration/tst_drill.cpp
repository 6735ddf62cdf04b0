#include "ChunkDamage.h"
#include "CliRunner.h"
#include "TestCluster.h"
#include "engine/RtoEstimate.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// pgarchivist-cli drill against a real PostgreSQL 15 backup: restore, replay to the end of WAL, pg_amcheck, row
// counts against the source, timings kept for the RTO estimate, the copy removed; and a drill that must fail.
class TestDrill : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo, m_backup;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }
    QString scratch(const QString &name) const { return m_c->makeServerWritableDir(QStringLiteral("drills")) + QLatin1Char('/') + name; }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE orders(id int PRIMARY KEY, note text)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 20000) g")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE small(i int)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO small VALUES (1), (2), (3)")));
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());
        m_backup = QJsonDocument::fromJson(b.out)[QStringLiteral("id")].toString();
        // Rows after the backup: replay must bring them, so the copy matches the source.
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO orders SELECT g, 'after' FROM generate_series(20001, 20500) g")));
        QVERIFY(m_c->waitForArchived(m_c->switchWal()));
        QVERIFY(m_c->waitForArchiverIdle());
    }

    void drillPassesAndCleansUp()
    {
        const QString dir = scratch(QStringLiteral("ok"));
        const QString rates = engine::HostRates::defaultPath();
        QFile::remove(rates);
        auto r = test::cli(QStringList{QStringLiteral("drill")} + rs()
                           + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--scratch"), dir, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, QByteArray(r.out + r.err).constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j[QStringLiteral("outcome")].toString(), QStringLiteral("passed"));
        QCOMPARE(j[QStringLiteral("backup")].toString(), m_backup);
        QCOMPARE(j[QStringLiteral("amcheck")].toString(), QStringLiteral("ok"));
        QVERIFY(j[QStringLiteral("restore_seconds")].toDouble() > 0);
        QVERIFY(j[QStringLiteral("replay_seconds")].toDouble() > 0);
        QVERIFY(j[QStringLiteral("replayed_wal_bytes")].toDouble() > 0);
        // The largest table comes first, with the rows written after the backup (replayed) and the source's count.
        const QJsonArray counts = j[QStringLiteral("row_counts")].toArray();
        QVERIFY2(counts.size() >= 2, r.out.constData());
        QCOMPARE(counts[0][QStringLiteral("database")].toString(), QStringLiteral("postgres"));
        QCOMPARE(counts[0][QStringLiteral("table")].toString(), QStringLiteral("public.orders"));
        QCOMPARE(counts[0][QStringLiteral("restored")].toInteger(), 20500);
        QCOMPARE(counts[0][QStringLiteral("source")].toInteger(), 20500);
        QVERIFY2(!QFileInfo::exists(dir), "the drill's copy must be removed");
        // The timings feed the RTO estimate.
        const engine::HostRates kept = engine::HostRates::load(rates);
        QCOMPARE(kept.restoreBytesPerSec.size(), 1);
        QCOMPARE(kept.replayBytesPerSec.size(), 1);
        // No server of the copy is left running.
        QProcess ps;
        ps.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), dir});
        ps.waitForFinished();
        QCOMPARE(ps.readAllStandardOutput(), QByteArray());
    }

    void drillOfADamagedBackupFails()
    {
        test::ChunkDamage damage(m_repo, QStringLiteral("main"), m_backup, QStringLiteral("global/pg_control"));
        QVERIFY(damage.ok());
        const QString dir = scratch(QStringLiteral("bad"));
        auto r = test::cli(QStringList{QStringLiteral("drill")} + rs() + QStringList{QStringLiteral("--scratch"), dir, QStringLiteral("--json")});
        damage.undo();
        QCOMPARE(r.code, 1);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j[QStringLiteral("outcome")].toString(), QStringLiteral("failed"));
        QCOMPARE(j[QStringLiteral("failed_step")].toString(), QStringLiteral("restore"));
        QVERIFY2(j[QStringLiteral("failure")].toString().contains(QStringLiteral("damaged")), qPrintable(j[QStringLiteral("failure")].toString()));
        QVERIFY(!QFileInfo::exists(dir));
    }

    void forecastFromTheCommandLine()
    {
        // The WAL view's forecast, as a script gets it: growth measured from this repository, a what-if retention.
        auto r = test::cli(QStringList{QStringLiteral("forecast")} + rs()
                           + QStringList{QStringLiteral("--retain-full"), QStringLiteral("1"), QStringLiteral("--price"), QStringLiteral("0.05"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const qint64 current = j[QStringLiteral("current_bytes")].toInteger();
        QVERIFY(current > 0);
        const QJsonArray points = j[QStringLiteral("points")].toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[2][QStringLiteral("days")].toInt(), 365);
        QVERIFY(points[0][QStringLiteral("bytes")].toInteger() >= current);
        QCOMPARE(points[2][QStringLiteral("monthly_cost")].toDouble(), double(points[2][QStringLiteral("bytes")].toInteger()) / double(1LL << 30) * 0.05);
        QVERIFY(j[QStringLiteral("window_days")].toDouble() > 0);
        QCOMPARE(test::cli(QStringList{QStringLiteral("forecast")} + rs() + QStringList{QStringLiteral("--price"), QStringLiteral("cheap")}).code, 64);
    }

    void aCopyWithoutAKnownSuperuserFailsInsteadOfWaiting()
    {
        // A source whose bootstrap superuser is neither postgres nor the data directory's owner: replay cannot be
        // followed, and the drill must say so and clean up, not wait forever (it used to).
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("odd");
        o.initdbArgs = {QStringLiteral("-U"), QStringLiteral("dba")};
        QString why;
        auto c = TestCluster::create(o, &why);
        if (!c)
            QSKIP(qPrintable(why));
        const QString conninfo = QStringLiteral("host=%1 port=%2 user=dba dbname=postgres").arg(c->cluster().spec().socketDir).arg(c->port());
        const QStringList odd{QStringLiteral("--repo"), c->repoDir(), QStringLiteral("--server"), QStringLiteral("odd")};
        auto b = test::cli(QStringList{QStringLiteral("backup")} + odd + QStringList{QStringLiteral("--conninfo"), conninfo});
        QVERIFY2(b.code == 0, b.err.constData());
        const QString dir = c->makeServerWritableDir(QStringLiteral("drills")) + QStringLiteral("/odd");
        auto r = test::cli(QStringList{QStringLiteral("drill")} + odd + QStringList{QStringLiteral("--scratch"), dir, QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j[QStringLiteral("failed_step")].toString(), QStringLiteral("start"));
        QVERIFY2(j[QStringLiteral("failure")].toString().contains(QStringLiteral("none of the roles")), r.out.constData());
        QVERIFY(!QFileInfo::exists(dir));
    }

    void refusesAnExistingScratchDirectory()
    {
        const QString dir = scratch(QStringLiteral("taken"));
        QVERIFY(QDir().mkpath(dir));
        QFile keep(dir + QStringLiteral("/precious"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        auto r = test::cli(QStringList{QStringLiteral("drill")} + rs() + QStringList{QStringLiteral("--scratch"), dir});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("already exists"), r.err.constData());
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/precious")));
    }
};

QTEST_GUILESS_MAIN(TestDrill)
#include "tst_drill.moc"
