#include "AuditFixture.h"

#include <QtTest>

using namespace pga;
using namespace pga::audit;
using namespace pga::test;

// The findings about standbys, WAL receivers and switchback (issue 15).
class TestAuditReplication : public QObject {
    Q_OBJECT

private slots:
    void replicationFindings()
    {
        AuditSnapshot s = healthy();
        s.replicasReadable = true;
        s.replicas << Replica{QStringLiteral("pgarchivist_receiver"), QStringLiteral("streaming"), QStringLiteral("async"), false, QStringLiteral("10.0.0.5")}
                   << Replica{QStringLiteral("standby1"), QStringLiteral("streaming"), QStringLiteral("async"), true, QStringLiteral("10.0.0.6")}
                   << Replica{QStringLiteral("pg_basebackup"), QStringLiteral("backup"), QStringLiteral("async"), false, QStringLiteral("local")};
        auto f = runAuditRules(s);
        // Only the streaming replica without a slot; a base backup's walsender is not a receiver.
        QCOMPARE(ids(f), QStringList{QStringLiteral("slot.missing_for_receiver")});
        QCOMPARE(f[0].setting, QStringLiteral("pgarchivist_receiver"));
        QCOMPARE(f[0].severity, Severity::Warning);

        // pg_rewind needs checksums or wal_log_hints.
        s = healthy();
        s.dataChecksums = false;
        set(s, QStringLiteral("wal_log_hints"), QStringLiteral("off"), QStringLiteral("postmaster"));
        f = runAuditRules(s);
        QVERIFY(ids(f).contains(QStringLiteral("rewind.unavailable")));
        QCOMPARE(find(f, QStringLiteral("rewind.unavailable"))->fixSql, QStringLiteral("ALTER SYSTEM SET wal_log_hints = 'on'"));
        QCOMPARE(find(f, QStringLiteral("rewind.unavailable"))->needs, Needs::Restart);
        set(s, QStringLiteral("wal_log_hints"), QStringLiteral("on"), QStringLiteral("postmaster"));
        QVERIFY(!ids(runAuditRules(s)).contains(QStringLiteral("rewind.unavailable")));

        // hot_standby_feedback matters on a hot standby only.
        s = healthy();
        set(s, QStringLiteral("hot_standby"), QStringLiteral("on"), QStringLiteral("postmaster"));
        set(s, QStringLiteral("hot_standby_feedback"), QStringLiteral("off"), QStringLiteral("sighup"));
        QVERIFY(!ids(runAuditRules(s)).contains(QStringLiteral("standby.no_hot_standby_feedback")));
        s.inRecovery = true;
        f = runAuditRules(s);
        QVERIFY(ids(f).contains(QStringLiteral("standby.no_hot_standby_feedback")));
        QCOMPARE(find(f, QStringLiteral("standby.no_hot_standby_feedback"))->needs, Needs::Reload);
    }
};

QTEST_GUILESS_MAIN(TestAuditReplication)
#include "tst_auditreplication.moc"
