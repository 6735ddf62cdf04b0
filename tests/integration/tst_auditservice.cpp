// The audit service under the Configuration view: audits run as jobs against real PostgreSQL, every
// result is stored in the registry and survives reopening it, setting changes between audits are
// reported with when we noticed them and where the new value is set, and a fix re-audits.
#include "TestCluster.h"
#include "app/AppContext.h"
#include "pg/LocalCluster.h"

#include <QtTest>

using namespace pga;

class TestAuditService : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::TestCluster> m_cluster;
    qint64 m_serverId = 0;

    QString registryPath() const { return m_dir.filePath(QStringLiteral("registry.sqlite")); }

    static QStringList ids(const QList<audit::Finding> &findings)
    {
        QStringList out;
        for (const audit::Finding &f : findings)
            out << f.id;
        return out;
    }

    static bool auditNow(app::AppContext &app, qint64 id)
    {
        QSignalSpy done(&app.audits(), &app::AuditService::auditFinished);
        QSignalSpy failed(&app.audits(), &app::AuditService::auditFailed);
        if (!app.audits().runAudit(id))
            return false;
        if (!QTest::qWaitFor([&] { return done.count() + failed.count() > 0; }, 30000))
            return false;
        if (failed.count())
            qWarning("audit failed: %s", qPrintable(failed.first().at(1).toString()));
        return done.count() == 1;
    }

private slots:
    void initTestCase()
    {
        QString why;
        test::TestCluster::Options o;
        o.archiveToDir = true;
        o.conf = {QStringLiteral("archive_timeout = 0")};
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
    }

    void auditsAreStoredAndSurviveReopening()
    {
        {
            app::AppContext app;
            app.secrets().setTimeout(2000);
            QVERIFY(app.open(registryPath()));
            app::ServerEntry e;
            e.name = QStringLiteral("orders");
            e.conninfo = m_cluster->conninfo();
            auto saved = app.registry().save(e);
            QVERIFY(saved);
            m_serverId = saved->id;
            QVERIFY(!app.audits().latest(m_serverId));

            QVERIFY(auditNow(app, m_serverId));
            QVERIFY(app.audits().auditedThisSession(m_serverId));
            auto first = app.audits().latest(m_serverId);
            QVERIFY(first);
            QVERIFY(ids(first->record.findings).contains(QStringLiteral("archive_timeout.zero")));
            audit::Severity worst;
            QVERIFY(app.audits().worstSeverity(m_serverId, &worst));
            QVERIFY(app.audits().changes(m_serverId).isEmpty()); // one audit: nothing to compare yet
            // The audit ran as a job, in the history like any other.
            QVERIFY(std::any_of(app.jobs().jobIds().cbegin(), app.jobs().jobIds().cend(),
                                [&](int j) { return app.jobs().job(j).kind == QLatin1String("audit"); }));

            // A DBA changes archive_command behind our back; the next audit notices.
            QVERIFY(m_cluster->query(QStringLiteral("ALTER SYSTEM SET archive_command = 'test ! -f /nowhere/%f'")));
            QVERIFY(m_cluster->query(QStringLiteral("SELECT pg_reload_conf()")));
            QTRY_COMPARE_WITH_TIMEOUT(m_cluster->scalar(QStringLiteral("SHOW archive_command")),
                                      QStringLiteral("test ! -f /nowhere/%f"), 10000);
            QVERIFY(auditNow(app, m_serverId));
            QCOMPARE(app.audits().history(m_serverId).size(), 2);
        }
        // A new session reads what was stored.
        app::AppContext app;
        QVERIFY(app.open(registryPath()));
        const auto history = app.audits().history(m_serverId);
        QCOMPARE(history.size(), 2);
        QVERIFY(history[0].id > history[1].id);
        QVERIFY(history[0].takenAt >= history[1].takenAt);
        QCOMPARE(history[0].takenAt.timeSpec(), Qt::UTC);
        QVERIFY(!app.audits().auditedThisSession(m_serverId));
        const auto changes = app.audits().changes(m_serverId);
        const auto it = std::find_if(changes.cbegin(), changes.cend(), [](const app::AuditChange &c) {
            return c.change.name == QLatin1String("archive_command");
        });
        QVERIFY(it != changes.cend());
        QVERIFY2(it->change.oldValue.startsWith(QLatin1String("test ! -f "))
                     && it->change.oldValue != it->change.newValue,
                 qPrintable(it->change.oldValue));
        QCOMPARE(it->change.newValue, QStringLiteral("test ! -f /nowhere/%f"));
        QCOMPARE(it->noticedAt, history[0].takenAt);
        QCOMPARE(it->previousAuditAt, history[1].takenAt);
        QVERIFY2(it->sourceFile.endsWith(QLatin1String("postgresql.auto.conf")), qPrintable(it->sourceFile));
        QVERIFY(it->sourceLine > 0);

        // Removing the server removes its audits.
        QVERIFY(app.registry().remove(m_serverId));
        QVERIFY(app.registry().audits(m_serverId).isEmpty());
        QVERIFY(app.audits().history(m_serverId).isEmpty());
    }

    void fixReaudits()
    {
        app::AppContext app;
        app.secrets().setTimeout(2000);
        QVERIFY(app.open(registryPath()));
        app::ServerEntry e;
        e.name = QStringLiteral("fixme");
        e.conninfo = m_cluster->conninfo();
        auto saved = app.registry().save(e);
        QVERIFY(saved);
        QVERIFY(auditNow(app, saved->id));
        audit::Finding zero;
        const auto first = app.audits().latest(saved->id);
        QVERIFY(first);
        for (const audit::Finding &f : first->record.findings)
            if (f.id == QLatin1String("archive_timeout.zero"))
                zero = f;
        QVERIFY(!zero.fixSql.isEmpty());

        // A fix with placeholders is refused without running anything.
        audit::Finding placeholder = zero;
        placeholder.fixSql = QStringLiteral("ALTER SYSTEM SET archive_command = 'x --repo <repo>'");
        QVERIFY(!app.audits().applyFix(saved->id, placeholder));

        QSignalSpy applied(&app.audits(), &app::AuditService::fixApplied);
        QSignalSpy done(&app.audits(), &app::AuditService::auditFinished);
        QVERIFY(app.audits().applyFix(saved->id, zero));
        QVERIFY(app.audits().isBusy(saved->id));
        QVERIFY(!app.audits().runAudit(saved->id)); // one at a time per server
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QCOMPARE(applied.count(), 1);
        QVERIFY(app.audits().lastFixOutcome(saved->id).reloaded);
        QVERIFY(!app.audits().lastFixOutcome(saved->id).restartNeeded);
        QVERIFY(!ids(app.audits().latest(saved->id)->record.findings).contains(QStringLiteral("archive_timeout.zero")));
        QCOMPARE(app.audits().history(saved->id).size(), 2);
    }

    // A fix the role may not run: fixFailed says why (the server's words), no audit follows, nothing changed.
    void refusedFixSaysWhy()
    {
        QVERIFY(m_cluster->createRole(QStringLiteral("bob"), QStringLiteral("pw")));
        app::AppContext app;
        app.secrets().setTimeout(2000);
        QVERIFY(app.open(registryPath()));
        app::ServerEntry e;
        e.name = QStringLiteral("as-bob");
        e.conninfo = m_cluster->conninfo() + QStringLiteral(" user=bob");
        auto saved = app.registry().save(e);
        QVERIFY(saved);
        audit::Finding f;
        f.id = QStringLiteral("archive_timeout.short");
        f.fixSql = QStringLiteral("ALTER SYSTEM SET archive_timeout = '10min'");
        f.needs = audit::Needs::Reload;
        QSignalSpy failed(&app.audits(), &app::AuditService::fixFailed);
        QSignalSpy applied(&app.audits(), &app::AuditService::fixApplied);
        QVERIFY(app.audits().applyFix(saved->id, f));
        QVERIFY(failed.wait(30000));
        QCOMPARE(applied.count(), 0);
        QCOMPARE(failed.first().at(1).toString(), f.id);
        const QString why = failed.first().at(2).toString();
        QVERIFY2(why.contains(QStringLiteral("permission denied")) || why.contains(QStringLiteral("superuser")),
                 qPrintable(why));
        QCOMPARE(app.audits().lastError(saved->id), why);
        QVERIFY(app.audits().history(saved->id).isEmpty());
        QCOMPARE(m_cluster->scalar(QStringLiteral("SHOW archive_timeout")), QStringLiteral("5min"));
    }

    // An unreachable server: the audit fails with libpq's reason, nothing is stored, the last good audit stays.
    void unreachableServerFailsWithTheReason()
    {
        app::AppContext app;
        app.secrets().setTimeout(2000);
        QVERIFY(app.open(registryPath()));
        app::ServerEntry e;
        e.name = QStringLiteral("gone");
        const int port = pg::pickFreePort();
        e.conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=postgres connect_timeout=3").arg(port);
        auto saved = app.registry().save(e);
        QVERIFY(saved);
        QSignalSpy failed(&app.audits(), &app::AuditService::auditFailed);
        QVERIFY(app.audits().runAudit(saved->id));
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.first().at(0).toLongLong(), saved->id);
        const QString why = failed.first().at(1).toString();
        QVERIFY2(why.contains(QStringLiteral("127.0.0.1")) && why.contains(QString::number(port)), qPrintable(why));
        QCOMPARE(app.audits().lastError(saved->id), why);
        QVERIFY(!app.audits().isBusy(saved->id));
        QVERIFY(!app.audits().auditedThisSession(saved->id));
        QVERIFY(app.audits().history(saved->id).isEmpty());
        QVERIFY(app.registry().audits(saved->id).isEmpty());
    }

    // With the server's repository registered, the recommended archive-push is complete: Apply can run it.
    void knownRepositoryFillsTheArchivePushFix()
    {
        QVERIFY(m_cluster->query(QStringLiteral("ALTER SYSTEM SET archive_command = 'cp %p /tmp/nowhere/%f'")));
        QVERIFY(m_cluster->query(QStringLiteral("SELECT pg_reload_conf()")));
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster->scalar(QStringLiteral("SHOW archive_command")),
                                  QStringLiteral("cp %p /tmp/nowhere/%f"), 10000);
        app::AppContext app;
        app.secrets().setTimeout(2000);
        QVERIFY(app.open(registryPath()));
        const auto pushFix = [&](const QString &name, const QString &repo) -> audit::Finding {
            app::ServerEntry e;
            e.name = name;
            e.conninfo = m_cluster->conninfo();
            e.repoDir = repo;
            e.repoServer = repo.isEmpty() ? QString() : QStringLiteral("orders");
            auto saved = app.registry().save(e);
            if (!saved || !auditNow(app, saved->id))
                return {};
            const auto latest = app.audits().latest(saved->id);
            for (const audit::Finding &f : latest->record.findings)
                if (f.fixSql.contains(QLatin1String("archive-push")))
                    return f;
            return {};
        };
        const audit::Finding unknown = pushFix(QStringLiteral("no-repo"), QString());
        QVERIFY2(audit::fixNeedsInput(unknown), qPrintable(unknown.fixSql));
        const audit::Finding known = pushFix(QStringLiteral("with-repo"), QStringLiteral("/srv/pga repo"));
        QVERIFY2(!known.fixSql.isEmpty() && !audit::fixNeedsInput(known), qPrintable(known.fixSql));
        QVERIFY2(known.fixSql.contains(QStringLiteral("/srv/pga repo"))
                     && known.fixSql.contains(QStringLiteral("--server orders")),
                 qPrintable(known.fixSql));
    }
};

QTEST_GUILESS_MAIN(TestAuditService)
#include "tst_auditservice.moc"
