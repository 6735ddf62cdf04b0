#include "CommandSupport.h"
#include "Commands.h"
#include "engine/Restore.h"
#include "engine/Rewind.h"
#include "engine/Standby.h"
#include "engine/WalLandmarks.h"

#include <QJsonArray>

namespace pga::cli {

namespace {

// `standby create --repo DIR --server NAME --target-dir DIR [--primary-conninfo C [--slot S]] [--delay D] [--hot|--warm]
// [--port N] [--start] [--backup ID] [--owner USER] [--json]`
int standbyCreate(const QStringList &args)
{
    CommandParser p(QStringLiteral("standby create"),
                    QStringLiteral("Restore the newest backup as a standby: streaming from a primary, or fed from the archive alone "
                                   "(a warm standby), optionally delayed."));
    addRepoServer(p);
    p.addOption({QStringLiteral("target-dir"), QStringLiteral("The standby's data directory (new or empty)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("primary-conninfo"),
                 QStringLiteral("Stream from this primary (no password in it: name a passfile=). Without it the standby replays the archive."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("slot"), QStringLiteral("primary_slot_name; created on the primary when missing."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("delay"), QStringLiteral("A delayed replica: apply each commit this late (recovery_min_apply_delay, e.g. 1h)."),
                 QStringLiteral("DURATION")});
    p.addOption({QStringLiteral("hot"), QStringLiteral("Accept read-only queries while replaying (the default).")});
    p.addOption({QStringLiteral("warm"), QStringLiteral("No queries while replaying (hot_standby = off).")});
    p.addOption({QStringLiteral("port"), QStringLiteral("The standby's port."), QStringLiteral("N")});
    p.addOption({QStringLiteral("start"), QStringLiteral("Start it (socket in DIR-socket beside the data directory; a free port unless --port).")});
    p.addOption({QStringLiteral("backup"), QStringLiteral("This backup instead of the newest."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("owner"), QStringLiteral("As root: the files' owner and the server's user (default postgres)."), QStringLiteral("USER")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::StandbyCreateOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "standby create"))
        return ExitUsage;
    o.targetDir = p.value(QStringLiteral("target-dir"));
    if (o.targetDir.isEmpty() || (p.isSet(QStringLiteral("hot")) && p.isSet(QStringLiteral("warm")))) {
        printError(QStringLiteral("standby create needs --target-dir DIR, and takes --hot or --warm, not both."));
        return ExitUsage;
    }
    o.primaryConninfo = p.value(QStringLiteral("primary-conninfo"));
    o.slot = p.value(QStringLiteral("slot"));
    o.delay = p.value(QStringLiteral("delay"));
    o.hot = !p.isSet(QStringLiteral("warm"));
    o.start = p.isSet(QStringLiteral("start"));
    o.backupId = p.value(QStringLiteral("backup"));
    o.owner = p.value(QStringLiteral("owner"));
    if (!intOption(p, QStringLiteral("port"), 1, 65535, &o.port))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::createStandby(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return r.error().code == Error::Code::InvalidArgument ? ExitUsage : ExitFailure;
    }
    if (json) {
        printJson({{QStringLiteral("backup"), r->backupId},
                   {QStringLiteral("target_dir"), o.targetDir},
                   {QStringLiteral("settings"), QJsonArray::fromStringList(r->settings)},
                   {QStringLiteral("port"), r->port},
                   {QStringLiteral("conninfo"), r->conninfo}});
        return ExitOk;
    }
    out() << "Standby made from backup " << r->backupId << " in " << o.targetDir << ":\n";
    for (const QString &s : r->settings)
        out() << "  " << s << '\n';
    if (!r->conninfo.isEmpty())
        out() << "Running: " << r->conninfo << '\n';
    else
        out() << "Start it with: pg_ctl start -D " << o.targetDir << '\n';
    out().flush();
    return ExitOk;
}

// `standby status --conninfo STANDBY [--json]`
int standbyStatus(const QStringList &args)
{
    CommandParser p(QStringLiteral("standby status"), QStringLiteral("Show a standby's replay position, its lag behind the primary, its WAL "
                                                                     "receiver and its delay."));
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The standby."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (!p.isSet(QStringLiteral("conninfo"))) {
        printError(QStringLiteral("standby status needs --conninfo STANDBY."));
        return ExitUsage;
    }
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    auto s = engine::standbyStatus(p.value(QStringLiteral("conninfo")), {}, cancel);
    if (!s) {
        printError(s.error());
        return ExitFailure;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (p.isSet(QStringLiteral("json"))) {
        printJson(s->toJson(now));
        return ExitOk;
    }
    if (!s->inRecovery) {
        out() << "Not a standby: the server is a primary (timeline " << s->timeline << ", WAL at " << s->replayLsn.toString() << ").\n";
        out().flush();
        return ExitOk;
    }
    out() << "Standby on timeline " << s->timeline << ", replayed to " << s->replayLsn.toString() << " (" << s->replayState << ")\n";
    if (s->receiverStatus.isEmpty())
        out() << "No WAL receiver: fed from the archive (restore_command)\n";
    else
        out() << "Receiving from " << s->primary << " (" << s->receiverStatus << (s->slot.isEmpty() ? QString() : QStringLiteral(", slot ") + s->slot)
              << "), received to " << s->receiveLsn.toString() << '\n';
    const auto lag = s->lagSeconds(now);
    out() << "Lag: " << s->lagBytes() << " bytes" << (lag ? QStringLiteral(", %1 s").arg(*lag, 0, 'f', 1) : QString()) << '\n';
    if (s->delay != QLatin1String("0"))
        out() << "Delayed replica: recovery_min_apply_delay = " << s->delay << '\n';
    out().flush();
    return ExitOk;
}

// `standby stop-before --conninfo STANDBY (--target-time TS | --target-xid XID | --target-lsn LSN) [--data-dir DIR] [--wait S] [--json]`
int standbyStopBefore(const QStringList &args)
{
    CommandParser p(QStringLiteral("standby stop-before"),
                    QStringLiteral("Rescue from a blunder inside a delayed replica's delay: pause its replay, restart it to recover up to (not "
                                   "including) the target and promote it there. Run it on the standby's host."));
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The standby (a superuser)."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("target-time"), QStringLiteral("Stop before this moment, with its zone: '2026-12-01 14:03:00+01'."), QStringLiteral("TS")});
    p.addOption({QStringLiteral("target-xid"), QStringLiteral("Stop before this transaction (the blunder's xid)."), QStringLiteral("XID")});
    p.addOption({QStringLiteral("target-lsn"), QStringLiteral("Stop before this WAL position."), QStringLiteral("LSN")});
    p.addOption({QStringLiteral("data-dir"), QStringLiteral("The standby's data directory (default: what it says)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("wait"), QStringLiteral("Seconds to wait for the promotion (default 300)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::StopBeforeOptions o;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    o.dataDir = p.value(QStringLiteral("data-dir"));
    engine::RecoveryTarget t;
    int targets = 0;
    if (!parseTimeLsnXidTarget(p, t, &targets))
        return ExitUsage;
    if (o.conninfo.isEmpty() || targets != 1) {
        printError(QStringLiteral("standby stop-before needs --conninfo STANDBY and one of --target-time, --target-xid, --target-lsn."));
        return ExitUsage;
    }
    if (!intOption(p, QStringLiteral("wait"), 1, 86400, &o.waitSec))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::stopStandbyBefore(o, t, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json) {
        printJson({{QStringLiteral("promoted"), true},
                   {QStringLiteral("lsn"), r->stoppedAt.toString()},
                   {QStringLiteral("timeline"), r->timeline},
                   {QStringLiteral("settings"), QJsonArray::fromStringList(r->settings)}});
        return ExitOk;
    }
    out() << "Promoted just before " << t.describe() << ": at " << r->stoppedAt.toString() << " on timeline " << r->timeline << ".\n";
    out().flush();
    return ExitOk;
}

} // namespace

int runStandby(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("create"))
        return standbyCreate(args.mid(1));
    if (sub == QLatin1String("status"))
        return standbyStatus(args.mid(1));
    if (sub == QLatin1String("stop-before"))
        return standbyStopBefore(args.mid(1));
    printError(QStringLiteral("standby needs a subcommand: create, status or stop-before (see 'standby create --help')."));
    return ExitUsage;
}

// `promote --conninfo STANDBY [--wait S] [--force] [--repo DIR --server NAME] [--json]`
int runPromote(const QStringList &args)
{
    CommandParser p(QStringLiteral("promote"), QStringLiteral("Promote a standby (pg_promote), after checking it is not far behind the archive "
                                                              "and not a delayed replica with pending WAL."));
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The standby."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("wait"), QStringLiteral("Seconds to wait for the promotion (default 60)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("force"), QStringLiteral("Promote even when it is far behind or delayed.")});
    p.addOption({QStringLiteral("repo"), QStringLiteral("Compare with this repository's archive (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("The server's name in it (default: $PGARCHIVIST_SERVER)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::PromoteOptions o;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    o.force = p.isSet(QStringLiteral("force"));
    o.repoDir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    o.server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    if (o.conninfo.isEmpty() || (o.repoDir.isEmpty() != o.server.isEmpty())) {
        printError(QStringLiteral("promote needs --conninfo STANDBY (and --repo with --server, or neither)."));
        return ExitUsage;
    }
    if (!intOption(p, QStringLiteral("wait"), 1, 86400, &o.waitSec))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::promoteStandby(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json) {
        printJson({{QStringLiteral("promoted"), r->promoted}, {QStringLiteral("timeline"), r->timeline}, {QStringLiteral("lsn"), r->replayLsn.toString()}});
        return ExitOk;
    }
    out() << "Promoted: timeline " << r->timeline << ", at " << r->replayLsn.toString() << ".\n";
    out().flush();
    return ExitOk;
}

} // namespace pga::cli

namespace pga::cli {

// `rewind --target-dir OLD_PRIMARY_DATA --source-conninfo NEW_PRIMARY [--repo DIR --server NAME] [--slot NAME] [--no-standby] [--start] [--json]`
int runRewind(const QStringList &args)
{
    CommandParser p(QStringLiteral("rewind"),
                    QStringLiteral("Switch back after a failover: pg_rewind the stopped old primary onto the new one (missing WAL from the "
                                   "repository), then make it a standby of the new primary."));
    p.addOption({QStringLiteral("target-dir"), QStringLiteral("The old primary's data directory (stopped)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("source-conninfo"), QStringLiteral("The new primary (no password in it: passfile= or ~/.pgpass)."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository for WAL the old primary no longer has (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("The server's name in it (default: $PGARCHIVIST_SERVER)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("slot"), QStringLiteral("primary_slot_name for the old primary as a standby; created when missing."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("no-standby"), QStringLiteral("Only rewind; do not configure it as a standby.")});
    p.addOption({QStringLiteral("start"), QStringLiteral("Start it afterwards.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::RewindOptions o;
    o.targetDir = p.value(QStringLiteral("target-dir"));
    o.sourceConninfo = p.value(QStringLiteral("source-conninfo"));
    o.repoDir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    o.server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    o.slot = p.value(QStringLiteral("slot"));
    o.configureStandby = !p.isSet(QStringLiteral("no-standby"));
    o.start = p.isSet(QStringLiteral("start"));
    if (o.targetDir.isEmpty() || o.sourceConninfo.isEmpty() || o.repoDir.isEmpty() != o.server.isEmpty()) {
        printError(QStringLiteral("rewind needs --target-dir DIR and --source-conninfo CONNINFO (and --repo with --server, or neither)."));
        return ExitUsage;
    }
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::rewindOldPrimary(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return r.error().code == Error::Code::InvalidArgument ? ExitUsage : ExitFailure;
    }
    if (json) {
        printJson({{QStringLiteral("rewound"), true}, {QStringLiteral("settings"), QJsonArray::fromStringList(r->settings)}, {QStringLiteral("started"), r->started}});
        return ExitOk;
    }
    out() << "Rewound " << o.targetDir << (o.configureStandby ? " and made it a standby of the new primary" : "") << ".\n";
    for (const QString &s : r->settings)
        out() << "  " << s << '\n';
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
