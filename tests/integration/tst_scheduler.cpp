#include "CliRunner.h"
#include "TestCluster.h"
#include "app/BackupService.h"
#include "app/DumpService.h"
#include "app/JobRunner.h"
#include "app/Scheduler.h"
#include "app/SecretStore.h"
#include "app/ServerRegistry.h"
#include "app/TimerUnits.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

namespace {
QDateTime utc(const char *iso) { return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC(); }
}

// The scheduler with an injected clock against a real server and repository: what is due, a missed run running
// once, the spring-forward day, the job history, and the app and `schedule run-due` (another process) at once.
class TestScheduler : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QTemporaryDir m_dir;
    app::ServerRegistry m_registry;
    app::SecretStore m_secrets;
    std::unique_ptr<app::JobRunner> m_jobs;
    std::unique_ptr<app::BackupService> m_backups;
    std::unique_ptr<app::DumpService> m_dumps;
    app::ServerEntry m_server;
    QDateTime m_now;

    std::unique_ptr<app::Scheduler> scheduler()
    {
        auto s = std::make_unique<app::Scheduler>(&m_registry, m_backups.get());
        s->setDumpService(m_dumps.get());
        s->setClock([this] { return m_now; });
        return s;
    }
    // Runs what is due and waits until it finished; the states of the runs, in order.
    QStringList runDue(app::Scheduler &s)
    {
        QStringList states;
        const auto c = connect(&s, &app::Scheduler::taskFinished, this,
                               [&](qint64, const app::JobInfo &i) { states << app::JobInfo::stateName(i.state); });
        QSignalSpy idle(&s, &app::Scheduler::idle);
        if (s.runDue() > 0)
            idle.wait(120000);
        disconnect(c);
        return states;
    }
    QProcessEnvironment cliEnv(const QDateTime &now) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGARCHIVIST_REGISTRY"), m_registry.path());
        env.insert(QStringLiteral("PGARCHIVIST_SCHEDULE_NOW"), now.toString(Qt::ISODate));
        return env;
    }
    // A task of the test's server; the rest of its fields as the caller sets them on the result before add.
    app::ScheduledTask task(const QString &kind, const QString &calendar, const QDateTime &createdAt) const
    {
        app::ScheduledTask t;
        t.serverId = m_server.id;
        t.kind = kind;
        t.calendar = calendar;
        t.createdAt = createdAt;
        return t;
    }
    int recordedRuns(qint64 taskId) const
    {
        int n = 0;
        for (const app::JobRecord &r : m_registry.jobHistory())
            n += r.scheduleId == taskId ? 1 : 0;
        return n;
    }

private slots:
    void init()
    {
        // Each test starts with no tasks, whatever an earlier one left after failing.
        app::ScheduleStore store(m_registry);
        for (const app::ScheduledTask &t : store.tasks())
            QVERIFY(store.remove(t.id));
    }

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
        // A drill's restore_command is our CLI, as in the app (found next to it or on PATH).
        qputenv("PATH", QFileInfo(test::cliPath()).absolutePath().toUtf8() + ':' + qgetenv("PATH"));
        QVERIFY(m_registry.open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        m_secrets.setTimeout(1000);
        m_jobs = std::make_unique<app::JobRunner>(&m_registry);
        m_backups = std::make_unique<app::BackupService>(&m_secrets, m_jobs.get());
        m_dumps = std::make_unique<app::DumpService>(&m_secrets, m_jobs.get());
        app::ServerEntry e;
        e.name = QStringLiteral("main");
        e.conninfo = m_c->conninfo();
        e.repoDir = m_c->repoDir();
        auto saved = m_registry.save(e);
        QVERIFY(saved);
        m_server = *saved;
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t AS SELECT generate_series(1, 5000) AS i")));
    }

    void dumpTaskRunsAllDatabasesWithTheRoles()
    {
        app::ScheduleStore store(m_registry);
        auto added = store.add(task(QStringLiteral("dump"), QStringLiteral("*-*-* 04:00 America/New_York"), utc("2027-05-01T00:00:00Z")));
        QVERIFY2(added, qPrintable(added ? QString() : added.error().toString()));
        auto s = scheduler();
        m_now = utc("2027-05-01T08:30:00Z");  // 04:30 EDT: the day's run is due
        QCOMPARE(runDue(*s), QStringList{QStringLiteral("succeeded")});
        const app::JobRecord last = m_registry.jobHistory().first();
        QCOMPARE(last.kind, QStringLiteral("dump"));
        QCOMPARE(last.scheduleId, added->id);
        auto summary = engine::archiveSummary(m_c->repoDir(), QStringLiteral("main"));
        QVERIFY(summary && !summary->isEmpty());
        QCOMPARE(summary->first().dumpList.size(), 1);
        const engine::BackupListing d = summary->first().dumpList.first();
        QCOMPARE(d.kind, QStringLiteral("dump"));
        QVERIFY(d.globals);
        QVERIFY2(d.databases.contains(QStringLiteral("postgres")), qPrintable(d.databases.join(QLatin1Char(','))));
        QVERIFY(store.remove(added->id));
    }

    void backupDueMissedOnceAndTheSpringForwardDay()
    {
        app::ScheduleStore store(m_registry);
        auto added = store.add(task(QStringLiteral("backup"), QStringLiteral("*-*-* 02:30 Europe/Berlin"), utc("2027-03-25T12:00:00Z")));
        QVERIFY2(added, qPrintable(added ? QString() : added.error().toString()));
        auto s = scheduler();

        m_now = utc("2027-03-26T01:29:59Z");  // a second before 02:30 CET
        QVERIFY(s->dueTasks().isEmpty());
        m_now = utc("2027-03-27T00:00:00Z");  // the 26th's run was due at 01:30 UTC
        QCOMPARE(s->dueTasks().size(), 1);
        QCOMPARE(runDue(*s), QStringList{QStringLiteral("succeeded")});
        QCOMPARE(recordedRuns(added->id), 1);
        QVERIFY(s->dueTasks().isEmpty());  // the next slot is 27th 01:30 UTC

        // Three days later: two slots were missed (the 28th has no 02:30 in Berlin); it runs once.
        m_now = utc("2027-03-30T00:10:00Z");
        QCOMPARE(runDue(*s), QStringList{QStringLiteral("succeeded")});
        QCOMPARE(recordedRuns(added->id), 2);
        QVERIFY(s->dueTasks().isEmpty());
        // From the 29th 02:31 CEST the next slot skips nothing it should not: 30th 02:30 CEST = 00:30 UTC.
        QCOMPARE(store.task(added->id)->dueAt(), utc("2027-03-30T00:30:00Z"));
        const app::JobRecord last = m_registry.jobHistory().first();
        QCOMPARE(last.kind, QStringLiteral("backup"));
        QCOMPARE(last.scheduleId, added->id);
        QCOMPARE(last.state, QStringLiteral("succeeded"));
        QVERIFY(last.finishedAt >= last.startedAt);
        QVERIFY(!last.log.isEmpty());

        // Disabled: never due. The backups it made are in the repository.
        QVERIFY(store.setEnabled(added->id, false));
        m_now = m_now.addDays(10);
        QVERIFY(s->dueTasks().isEmpty());
        auto info = test::cli({QStringLiteral("info"), QStringLiteral("--repo"), m_c->repoDir(), QStringLiteral("--server"), QStringLiteral("main"), QStringLiteral("--json")});
        int baseBackups = 0;
        for (const QJsonValue &b : QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray())
            baseBackups += b[QStringLiteral("kind")].toString() == QLatin1String("base");
        QCOMPARE(baseBackups, 2);
        QVERIFY(store.remove(added->id));
    }

    void aFailedRunIsRecordedAsFailed()
    {
        app::ScheduleStore store(m_registry);
        app::ScheduledTask t = task(QStringLiteral("verify"), QStringLiteral("hourly UTC"), utc("2027-01-01T00:00:00Z"));
        t.backupId = QStringLiteral("no-such-backup");
        auto added = store.add(t);
        QVERIFY(added);
        auto s = scheduler();
        m_now = utc("2027-01-01T05:00:00Z");
        QCOMPARE(runDue(*s), QStringList{QStringLiteral("failed")});
        QCOMPARE(store.lastRuns().value(added->id).state, QStringLiteral("failed"));
        QVERIFY(store.remove(added->id));
    }

    void switchedBackOnItDoesNotRunForTheSlotsItWasOff()
    {
        // Off for three days, then on again: the next run is the next slot, not "now, for the slots missed".
        app::ScheduleStore store(m_registry);
        app::ScheduledTask t = task(QStringLiteral("expire"), QStringLiteral("daily UTC"), QDateTime::currentDateTimeUtc().addDays(-3));
        t.retainFull = 1;
        t.enabled = false;
        auto added = store.add(t);
        QVERIFY(added);
        app::Scheduler s(&m_registry, m_backups.get());  // the real clock
        QVERIFY(s.dueTasks().isEmpty());
        QVERIFY(store.setEnabled(added->id, true));
        QVERIFY2(s.dueTasks().isEmpty(), "switching a task on must not run it for the days it was off");
        QVERIFY(store.task(added->id)->dueAt() > QDateTime::currentDateTimeUtc());
        // A new calendar counts from now too.
        app::ScheduledTask changed = *store.task(added->id);
        changed.calendar = QStringLiteral("hourly UTC");
        QVERIFY(store.update(changed));
        QVERIFY(s.dueTasks().isEmpty());
    }

    void oneTaskAtATimePerRepository()
    {
        // A backup and a verify of one repository due together: the second waits for the first (they would fight
        // over the repository's lock), then runs.
        app::ScheduleStore store(m_registry);
        for (const char *kind : {"backup", "verify"}) {
            QVERIFY(store.add(task(QString::fromLatin1(kind), QStringLiteral("daily UTC"), utc("2027-07-01T12:00:00Z"))));
        }
        auto s = scheduler();
        m_now = utc("2027-07-02T00:00:01Z");
        QSignalSpy skipped(s.get(), &app::Scheduler::taskSkipped);
        QStringList first = runDue(*s);
        QCOMPARE(first, QStringList{QStringLiteral("succeeded")});
        QCOMPARE(skipped.count(), 1);
        QVERIFY(skipped.first().at(1).toString().contains(QStringLiteral("same repository")));
        QCOMPARE(s->dueTasks().size(), 1);  // the verify, still due
        QCOMPARE(runDue(*s), QStringList{QStringLiteral("succeeded")});
        QVERIFY(s->dueTasks().isEmpty());
    }

    void appAndRunDueNeverRunATaskTwice()
    {
        // A drill takes long enough to still run when the CLI (a systemd timer) looks; the CLI's clock is a day
        // later, so it finds the task due again, and must leave it to the app.
        app::ScheduleStore store(m_registry);
        auto added = store.add(task(QStringLiteral("drill"), QStringLiteral("daily UTC"), utc("2027-05-01T12:00:00Z")));
        QVERIFY(added);
        auto s = scheduler();
        m_now = utc("2027-05-02T00:00:01Z");
        test::CliOutput during;
        connect(s.get(), &app::Scheduler::taskStarted, this, [&] {
            QByteArray out, err;
            during.code = test::runCli({QStringLiteral("schedule"), QStringLiteral("run-due"), QStringLiteral("--json")}, &out, &err,
                                       cliEnv(utc("2027-05-03T00:00:01Z")));
            during.out = out;
            during.err = err;
        });
        const QStringList states = runDue(*s);
        QVERIFY2(states == QStringList{QStringLiteral("succeeded")}, qPrintable(m_registry.jobHistory().first().log));
        QVERIFY2(during.code == 0, during.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(during.out).object();
        QCOMPARE(j[QStringLiteral("started")].toInt(), 0);
        QCOMPARE(j[QStringLiteral("skipped")][0][QStringLiteral("task")].toInteger(), added->id);
        QVERIFY2(j[QStringLiteral("skipped")][0][QStringLiteral("why")].toString().contains(QStringLiteral("another process")), during.out.constData());
        QCOMPARE(recordedRuns(added->id), 1);
        // Afterwards, at the app's moment, the CLI finds nothing due: the app's run was recorded.
        QByteArray out;
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("run-due")}, &out, nullptr, cliEnv(m_now)), 0);
        QVERIFY2(out.contains("Nothing is due"), out.constData());
        const app::JobRecord drill = m_registry.jobHistory().first();
        QCOMPARE(drill.kind, QStringLiteral("drill"));
        QVERIFY2(drill.log.contains(QStringLiteral("Drill passed")), qPrintable(drill.log));
    }

    void cliListsAndRunsWhatIsDue()
    {
        // schedule add/list/run-due through the CLI, on the same registry the app uses.
        QProcessEnvironment env = cliEnv(utc("2027-06-01T10:00:00Z"));
        QByteArray out, err;
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("--server"), QStringLiteral("main"),
                               QStringLiteral("--kind"), QStringLiteral("expire"), QStringLiteral("--calendar"), QStringLiteral("*-*-* 03:00")},
                              &out, &err, env),
                 64);
        QVERIFY2(err.contains("needs a retention"), err.constData());
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("--server"), QStringLiteral("nope"),
                               QStringLiteral("--kind"), QStringLiteral("backup"), QStringLiteral("--calendar"), QStringLiteral("daily")},
                              &out, &err, env),
                 1);
        QVERIFY2(err.contains("no registered server named 'nope'") && err.contains("registered in pgArchivist"), err.constData());
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("--server"), QStringLiteral("main"),
                               QStringLiteral("--kind"), QStringLiteral("expire"), QStringLiteral("--retain-full"), QStringLiteral("1"),
                               QStringLiteral("--calendar"), QStringLiteral("*-*-* 03:00"), QStringLiteral("--json")},
                              &out, &err, env),
                 0);
        const QJsonObject added = QJsonDocument::fromJson(out).object();
        // Given without a zone, it is stored with this machine's (the test runs in Berlin time).
        QCOMPARE(added[QStringLiteral("calendar")].toString(), QStringLiteral("*-*-* 03:00:00 Europe/Berlin"));
        const qint64 id = added[QStringLiteral("id")].toInteger();
        // The app's scheduler, looking with the real clock, notices runs another process finished.
        app::Scheduler inApp(&m_registry, m_backups.get());
        QCOMPARE(inApp.runDue(), 0);
        QSignalSpy historyChanged(&inApp, &app::Scheduler::historyChanged);
        // Created now (real time): due from tomorrow 03:00; the CLI's clock says a week on.
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("run-due"), QStringLiteral("--json")}, &out, &err,
                              cliEnv(QDateTime::currentDateTimeUtc().addDays(7))),
                 0);
        const QJsonObject ran = QJsonDocument::fromJson(out).object();
        QCOMPARE(ran[QStringLiteral("started")].toInt(), 1);
        QCOMPARE(ran[QStringLiteral("runs")][0][QStringLiteral("task")].toInteger(), id);
        QCOMPARE(ran[QStringLiteral("runs")][0][QStringLiteral("state")].toString(), QStringLiteral("succeeded"));
        QCOMPARE(inApp.runDue(), 0);
        QCOMPARE(historyChanged.count(), 1);  // the calendar and the Schedules dialog reload
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("list"), QStringLiteral("--json")}, &out, &err, env), 0);
        const QJsonArray listed = QJsonDocument::fromJson(out).array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0][QStringLiteral("last_outcome")].toString(), QStringLiteral("succeeded"));
        QCOMPARE(listed[0][QStringLiteral("retain_full")].toInt(), 1);
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("disable"), QString::number(id)}, &out, &err, env), 0);
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("list"), QStringLiteral("--json")}, &out, &err, env), 0);
        QCOMPARE(QJsonDocument::fromJson(out).array()[0][QStringLiteral("enabled")].toBool(), false);
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("remove"), QString::number(id)}, &out, &err, env), 0);
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("remove"), QString::number(id)}, &out, &err, env), 1);
        QVERIFY2(err.contains("no scheduled task"), err.constData());
    }

    void installTimerWritesUnitsSystemdAccepts()
    {
        const QString dir = m_dir.filePath(QStringLiteral("units"));
        QByteArray out, err;
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("install-timer"), QStringLiteral("--directory"), dir}, &out, &err), 0);
        QVERIFY2(out.contains("[Timer]") && out.contains("schedule run-due") && out.contains("systemctl"), out.constData());
        const QString service = dir + QStringLiteral("/pgarchivist-schedule.service");
        QFile f(service);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains(QByteArray(QFileInfo(test::cliPath()).canonicalFilePath().toUtf8() + " schedule run-due")));
        QProcess verify;
        verify.start(QStringLiteral("systemd-analyze"), {QStringLiteral("verify"), dir + QStringLiteral("/pgarchivist-schedule.timer"), service});
        QVERIFY(verify.waitForFinished(30000));
        QVERIFY2(verify.exitCode() == 0, verify.readAllStandardError().constData());
        // The .deb installs the same units, for /usr/bin/pgarchivist-cli.
        const app::TimerUnits packaged = app::TimerUnits::make(QStringLiteral("/usr/bin/pgarchivist-cli"), true, QString(), QStringLiteral("/home/x"));
        for (const auto &[file, text] : {std::pair{QStringLiteral("service"), packaged.service}, std::pair{QStringLiteral("timer"), packaged.timer}}) {
            QFile p(qEnvironmentVariable("PGA_SOURCE_DIR") + QStringLiteral("/packaging/systemd/pgarchivist-schedule.") + file);
            QVERIFY(p.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromUtf8(p.readAll()), text);
        }
        // --print writes nothing.
        const QString other = m_dir.filePath(QStringLiteral("units2"));
        QCOMPARE(test::runCli({QStringLiteral("schedule"), QStringLiteral("install-timer"), QStringLiteral("--print"), QStringLiteral("--directory"), other}, &out, &err), 0);
        QVERIFY(!QFileInfo::exists(other));
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
