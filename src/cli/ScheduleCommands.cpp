#include "CommandSupport.h"
#include "Commands.h"
#include "app/BackupService.h"
#include "app/JobRunner.h"
#include "app/Scheduler.h"
#include "app/SecretStore.h"
#include "app/ServerRegistry.h"
#include "app/TimerUnits.h"
#include "core/CalendarSpec.h"
#include "core/TimeText.h"

#include <pwd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

// `pgarchivist-cli schedule list|add|remove|enable|disable|run-due|install-timer`: the scheduled tasks the
// app's Schedules dialog edits, in the same registry ($PGARCHIVIST_REGISTRY or the default).
namespace pga::cli {

namespace {

bool openRegistry(app::ServerRegistry &registry)
{
    const QString path = qEnvironmentVariableIsEmpty("PGARCHIVIST_REGISTRY") ? app::ServerRegistry::defaultPath()
                                                                             : qEnvironmentVariable("PGARCHIVIST_REGISTRY");
    if (Status s = registry.open(path); !s) {
        printError(s.error());
        return false;
    }
    if (!registry.notice().isEmpty())
        printError(registry.notice());
    return true;
}

// A registered server; schedules belong to servers registered in the app (there is no --conninfo here).
Result<app::ServerEntry> registeredServer(const app::ServerRegistry &registry, const QString &name)
{
    auto e = registry.serverByName(name);
    if (!e && e.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound,
                     QStringLiteral("There is no registered server named '%1'. Schedules belong to servers registered in pgArchivist "
                                    "(Server -> Add Server); the registry is %2.").arg(name, registry.path()));
    return e;
}

QHash<qint64, QString> serverNames(const app::ServerRegistry &registry)
{
    QHash<qint64, QString> names;
    for (const app::ServerEntry &e : registry.servers())
        names.insert(e.id, e.name);
    return names;
}

bool taskId(const CommandParser &p, qint64 *id)
{
    const QStringList pos = p.positionalArguments();
    bool ok = false;
    *id = pos.size() == 1 ? pos.first().toLongLong(&ok) : 0;
    if (!ok || *id <= 0) {
        printError(QStringLiteral("Give one task id (see pgarchivist-cli schedule list)."));
        return false;
    }
    return true;
}

QString when(const QDateTime &t, const QTimeZone &zone)
{
    return t.isValid() ? QStringLiteral("%1 (local: %2)").arg(runTimeText(t, zone), runTimeText(t, QTimeZone::systemTimeZone()))
                       : QStringLiteral("never");
}

QJsonObject taskJson(const app::ScheduledTask &t, const QString &server, const app::JobRecord *last)
{
    const QDateTime next = t.enabled ? t.dueAt() : QDateTime();
    QJsonObject o{{QStringLiteral("id"), t.id},
                  {QStringLiteral("server"), server},
                  {QStringLiteral("kind"), t.kind},
                  {QStringLiteral("calendar"), t.calendar},
                  {QStringLiteral("enabled"), t.enabled},
                  {QStringLiteral("next_run"), next.isValid() ? QJsonValue(next.toUTC().toString(Qt::ISODate)) : QJsonValue()},
                  {QStringLiteral("last_run"), t.lastRunAt.isValid() ? QJsonValue(t.lastRunAt.toUTC().toString(Qt::ISODate)) : QJsonValue()},
                  {QStringLiteral("last_outcome"), last ? QJsonValue(last->state) : QJsonValue()}};
    if (t.retainFull > 0)
        o.insert(QStringLiteral("retain_full"), t.retainFull);
    if (t.retainDays > 0)
        o.insert(QStringLiteral("retain_days"), t.retainDays);
    if (!t.backupId.isEmpty())
        o.insert(QStringLiteral("backup"), t.backupId);
    return o;
}

int list(const QStringList &args)
{
    CommandParser p(QStringLiteral("schedule list"), QStringLiteral("List the scheduled tasks, their next run (in the task's zone and "
                                                                    "local time) and how the last one went."));
    p.addOption({QStringLiteral("server"), QStringLiteral("Only this registered server's tasks."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    app::ServerRegistry registry;
    if (!openRegistry(registry))
        return ExitFailure;
    qint64 serverId = 0;
    if (p.isSet(QStringLiteral("server"))) {
        auto e = registeredServer(registry, p.value(QStringLiteral("server")));
        if (!e) {
            printError(e.error());
            return ExitFailure;
        }
        serverId = e->id;
    }
    app::ScheduleStore store(registry);
    const auto lastRuns = store.lastRuns();
    const QHash<qint64, QString> names = serverNames(registry);
    QJsonArray arr;
    const QList<app::ScheduledTask> tasks = store.tasks(serverId);
    for (const app::ScheduledTask &t : tasks) {
        const auto found = lastRuns.constFind(t.id);
        const app::JobRecord *last = found != lastRuns.constEnd() ? &found.value() : nullptr;
        if (p.isSet(QStringLiteral("json"))) {
            arr.append(taskJson(t, names.value(t.serverId), last));
            continue;
        }
        const auto spec = CalendarSpec::parse(t.calendar);
        out() << t.id << "  " << names.value(t.serverId) << "  " << t.describe() << (t.enabled ? "" : "  [disabled]") << '\n'
              << "    next: " << (t.enabled && spec ? when(t.dueAt(), spec->zone()) : QStringLiteral("-")) << '\n'
              << "    last: " << (last ? QStringLiteral("%1, %2").arg(last->state, runTimeText(last->finishedAt, QTimeZone::systemTimeZone()))
                                       : QStringLiteral("never ran"))
              << '\n';
    }
    if (p.isSet(QStringLiteral("json")))
        printJsonArray(arr);
    else if (tasks.isEmpty())
        out() << "No scheduled tasks. Add one with: pgarchivist-cli schedule add --server NAME --kind backup --calendar 'daily'\n";
    out().flush();
    return ExitOk;
}

int add(const QStringList &args)
{
    CommandParser p(QStringLiteral("schedule add"), QStringLiteral("Schedule a backup, verify, expire, drill or dump of a registered server."));
    p.addOption({QStringLiteral("server"), QStringLiteral("The registered server."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("kind"), QStringLiteral("backup, verify, expire, drill or dump (every database with the roles)."), QStringLiteral("KIND")});
    p.addOption({QStringLiteral("calendar"), QStringLiteral("When, as a systemd calendar expression with its zone, e.g. "
                                                            "'Sun *-*-* 01:00 Europe/Berlin' or 'daily' (see systemd.time(7))."),
                 QStringLiteral("SPEC")});
    p.addOption({QStringLiteral("retain-full"), QStringLiteral("expire: keep the newest N backups."), QStringLiteral("N")});
    p.addOption({QStringLiteral("retain-days"), QStringLiteral("expire: keep what recovery to the last D days needs."), QStringLiteral("D")});
    p.addOption({QStringLiteral("backup"), QStringLiteral("verify/drill: only this backup (default: all / the newest)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("disabled"), QStringLiteral("Add it switched off.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the new task as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (!p.isSet(QStringLiteral("server")) || !p.isSet(QStringLiteral("kind")) || !p.isSet(QStringLiteral("calendar"))) {
        printError(QStringLiteral("schedule add needs --server NAME, --kind KIND and --calendar SPEC."));
        return ExitUsage;
    }
    app::ScheduledTask t;
    t.kind = p.value(QStringLiteral("kind"));
    t.calendar = p.value(QStringLiteral("calendar"));
    t.backupId = p.value(QStringLiteral("backup"));
    t.enabled = !p.isSet(QStringLiteral("disabled"));
    if (!intOption(p, QStringLiteral("retain-full"), 1, 100000, &t.retainFull) || !intOption(p, QStringLiteral("retain-days"), 1, 100000, &t.retainDays))
        return ExitUsage;
    if (Status s = app::ScheduleStore::validate(t); !s) {
        printError(s.error());
        return ExitUsage;
    }
    app::ServerRegistry registry;
    if (!openRegistry(registry))
        return ExitFailure;
    auto e = registeredServer(registry, p.value(QStringLiteral("server")));
    if (!e) {
        printError(e.error());
        return ExitFailure;
    }
    t.serverId = e->id;
    auto added = app::ScheduleStore(registry).add(t);
    if (!added) {
        printError(added.error());
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson(taskJson(*added, e->name, nullptr));
    } else {
        const auto spec = CalendarSpec::parse(added->calendar);
        out() << "Added task " << added->id << ": " << added->describe() << '\n';
        for (const QDateTime &n : spec->nextRuns(QDateTime::currentDateTimeUtc(), 5))
            out() << "  next: " << when(n, spec->zone()) << '\n';
    }
    out().flush();
    return ExitOk;
}

int change(const QStringList &args, const QString &verb)
{
    CommandParser p(QStringLiteral("schedule ") + verb, verb == QLatin1String("remove") ? QStringLiteral("Remove a scheduled task (its past runs stay in the history).")
                                                     : QStringLiteral("Switch a scheduled task %1.").arg(verb == QLatin1String("enable") ? QStringLiteral("on") : QStringLiteral("off")));
    p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The task (see schedule list)."));
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    qint64 id = 0;
    if (!taskId(p, &id))
        return ExitUsage;
    app::ServerRegistry registry;
    if (!openRegistry(registry))
        return ExitFailure;
    app::ScheduleStore store(registry);
    const Status s = verb == QLatin1String("remove") ? store.remove(id) : store.setEnabled(id, verb == QLatin1String("enable"));
    if (!s) {
        printError(s.error());
        return ExitFailure;
    }
    out() << "Task " << id << (verb == QLatin1String("remove") ? " removed" : verb == QLatin1String("enable") ? " enabled" : " disabled") << ".\n";
    out().flush();
    return ExitOk;
}

// Exit 0 when every task it ran succeeded (or none was due), 1 when one failed.
int runDue(const QStringList &args)
{
    CommandParser p(QStringLiteral("schedule run-due"),
                    QStringLiteral("Run the scheduled tasks that are due, once each (what a systemd timer calls every minute). A task "
                                   "the app or another run-due is running is left to it."));
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    app::ServerRegistry registry;
    if (!openRegistry(registry))
        return ExitFailure;
    app::SecretStore secrets;
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        secrets.setTimeout(2000);  // no keychain without a session bus: libpq's own sources (~/.pgpass) then
    app::JobRunner jobs(&registry);
    app::BackupService backups(&secrets, &jobs);
    app::DumpService dumps(&secrets, &jobs);
    app::Scheduler scheduler(&registry, &backups);
    scheduler.setDumpService(&dumps);
    // For tests of missed and overlapping runs: run as if it were this moment (ISO 8601 with its zone).
    if (const QString now = qEnvironmentVariable("PGARCHIVIST_SCHEDULE_NOW"); !now.isEmpty()) {
        const QDateTime t = QDateTime::fromString(now, Qt::ISODate);
        if (!t.isValid()) {
            printError(QStringLiteral("PGARCHIVIST_SCHEDULE_NOW=%1 is not an ISO 8601 time with a zone.").arg(now));
            return ExitUsage;
        }
        scheduler.setClock([t] { return t.toUTC(); });
    }
    QJsonArray runs, skipped;
    bool allOk = true;
    const QHash<qint64, QString> names = serverNames(registry);
    const bool json = p.isSet(QStringLiteral("json"));
    QObject::connect(&scheduler, &app::Scheduler::taskSkipped, [&](qint64 id, const QString &why) {
        skipped.append(QJsonObject{{QStringLiteral("task"), id}, {QStringLiteral("why"), why}});
        if (!json)
            out() << "Task " << id << " skipped: " << why << '\n';
    });
    QObject::connect(&scheduler, &app::Scheduler::taskFinished, [&](qint64 id, const app::JobInfo &info) {
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        allOk = allOk && ok;
        const QString message = info.error.isError() ? info.error.toString() : info.currentStep;
        runs.append(QJsonObject{{QStringLiteral("task"), id},
                                {QStringLiteral("kind"), info.kind},
                                {QStringLiteral("server"), names.value(info.serverId)},
                                {QStringLiteral("state"), app::JobInfo::stateName(info.state)},
                                {QStringLiteral("started"), info.startedAt.toUTC().toString(Qt::ISODateWithMs)},
                                {QStringLiteral("finished"), info.finishedAt.toUTC().toString(Qt::ISODateWithMs)},
                                {QStringLiteral("message"), message}});
        if (!json)
            out() << "Task " << id << " (" << info.title << "): " << app::JobInfo::stateName(info.state) << " in "
                  << QString::number(info.startedAt.msecsTo(info.finishedAt) / 1000.0, 'f', 1) << " s. " << message << '\n';
        out().flush();
    });
    QObject::connect(&scheduler, &app::Scheduler::idle, QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    const int started = scheduler.runDue();
    if (started > 0)
        QCoreApplication::exec();
    (void)jobs.waitForDone();
    if (json)
        printJson({{QStringLiteral("started"), started}, {QStringLiteral("runs"), runs}, {QStringLiteral("skipped"), skipped}});
    else if (started == 0 && skipped.isEmpty())
        out() << "Nothing is due.\n";
    out().flush();
    return allOk ? ExitOk : ExitFailure;
}

int installTimer(const QStringList &args)
{
    CommandParser p(QStringLiteral("schedule install-timer"),
                    QStringLiteral("Write a systemd timer and service that run 'schedule run-due' every minute, so tasks run while the "
                                   "app is closed. Prints the units, then writes them."));
    p.addOption({QStringLiteral("user"), QStringLiteral("A user unit in ~/.config/systemd/user (default: a system unit in "
                                                        "/etc/systemd/system that runs as you).")});
    p.addOption({QStringLiteral("print"), QStringLiteral("Only print the units; write nothing.")});
    p.addOption({QStringLiteral("directory"), QStringLiteral("Write them here instead (for packaging or review)."), QStringLiteral("DIR")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    const bool forUser = p.isSet(QStringLiteral("user"));
    const passwd *pw = ::getpwuid(::geteuid());
    const QString user = pw ? QString::fromLocal8Bit(pw->pw_name) : QStringLiteral("root");
    app::TimerUnits units = app::TimerUnits::make(app::findCliProgram(), forUser, user, QDir::homePath());
    if (p.isSet(QStringLiteral("directory")))
        units.directory = p.value(QStringLiteral("directory"));
    out() << "# " << units.directory << '/' << app::TimerUnits::kName << ".service\n" << units.service << '\n'
          << "# " << units.directory << '/' << app::TimerUnits::kName << ".timer\n" << units.timer;
    out().flush();
    if (p.isSet(QStringLiteral("print")))
        return ExitOk;
    if (Status s = units.install(); !s) {
        printError(s.error());
        if (s.error().code == Error::Code::Permission && !forUser)
            printError(QStringLiteral("A system unit needs root; or install a user unit with --user."));
        return ExitFailure;
    }
    out() << "\nWritten. Turn it on with:\n  " << units.enableCommand(forUser) << '\n';
    out().flush();
    return ExitOk;
}

} // namespace

int runSchedule(const QStringList &args)
{
    const QString verb = args.value(0);
    const QStringList rest = args.mid(1);
    if (verb == QLatin1String("list"))
        return list(rest);
    if (verb == QLatin1String("add"))
        return add(rest);
    if (verb == QLatin1String("remove") || verb == QLatin1String("enable") || verb == QLatin1String("disable"))
        return change(rest, verb);
    if (verb == QLatin1String("run-due"))
        return runDue(rest);
    if (verb == QLatin1String("install-timer"))
        return installTimer(rest);
    const bool help = verb == QLatin1String("--help") || verb == QLatin1String("-h");
    const QString usage = QStringLiteral("Usage: pgarchivist-cli schedule list|add|remove|enable|disable|run-due|install-timer [OPTIONS]\n"
                                         "Run 'pgarchivist-cli schedule VERB --help' for a verb's options.");
    if (!help) {
        printError(usage);
        return ExitUsage;
    }
    out() << usage << '\n';
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
