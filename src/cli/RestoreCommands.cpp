#include "CommandSupport.h"
#include "Commands.h"
#include "core/TimeText.h"
#include "engine/Restore.h"
#include "engine/RestoreStart.h"
#include "engine/RtoEstimate.h"
#include "engine/WalLandmarks.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>

namespace pga::cli {

namespace {

void addTargetOptions(CommandParser &p)
{
    p.addOption({QStringLiteral("backup"), QStringLiteral("Backup ID (default: the newest that ends before the target)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("target-time"), QStringLiteral("Recover to this moment, with its zone: '2026-11-24 14:03:00+01'."), QStringLiteral("TS")});
    p.addOption({QStringLiteral("target-lsn"), QStringLiteral("Recover to this WAL position."), QStringLiteral("LSN")});
    p.addOption({QStringLiteral("target-xid"), QStringLiteral("Recover to this transaction."), QStringLiteral("XID")});
    p.addOption({QStringLiteral("target-name"), QStringLiteral("Recover to this restore point."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("target-immediate"), QStringLiteral("Recover only to the end of the backup (consistency).")});
    p.addOption({QStringLiteral("target-timeline"), QStringLiteral("latest, current or a number."), QStringLiteral("TL")});
    p.addOption({QStringLiteral("target-action"), QStringLiteral("pause, promote or shutdown at the target."), QStringLiteral("ACTION")});
    p.addOption({QStringLiteral("target-exclusive"), QStringLiteral("Stop just before the target instead of just after.")});
}

// --backup and the --target-* options into o; false (after saying why) on a bad command line.
bool parseTarget(const CommandParser &p, engine::RestoreOptions &o)
{
    o.backupId = p.value(QStringLiteral("backup"));
    engine::RecoveryTarget &t = o.target;
    int targets = 0;
    if (!parseTimeLsnXidTarget(p, t, &targets))
        return false;
    if (p.isSet(QStringLiteral("target-name"))) {
        ++targets;
        t.kind = engine::RecoveryTarget::Kind::Name;
        t.text = p.value(QStringLiteral("target-name"));
    }
    if (p.isSet(QStringLiteral("target-immediate"))) {
        ++targets;
        t.kind = engine::RecoveryTarget::Kind::Immediate;
    }
    if (targets > 1) {
        printError(QStringLiteral("Give at most one of --target-time, --target-lsn, --target-xid, --target-name, --target-immediate."));
        return false;
    }
    t.timeline = p.value(QStringLiteral("target-timeline"));
    static const QRegularExpression tlRe(QStringLiteral("^(latest|current|[0-9]+)$"));
    if (!t.timeline.isEmpty() && !tlRe.match(t.timeline).hasMatch()) {
        printError(QStringLiteral("--target-timeline must be latest, current or a number."));
        return false;
    }
    t.action = p.value(QStringLiteral("target-action"));
    if (!t.action.isEmpty() && !QStringList{QStringLiteral("pause"), QStringLiteral("promote"), QStringLiteral("shutdown")}.contains(t.action)) {
        printError(QStringLiteral("--target-action must be pause, promote or shutdown."));
        return false;
    }
    t.exclusive = p.isSet(QStringLiteral("target-exclusive"));
    if ((t.exclusive || !t.action.isEmpty()) && (t.kind == engine::RecoveryTarget::Kind::EndOfWal)) {
        if (t.exclusive) {
            printError(QStringLiteral("--target-exclusive needs a target (--target-time, -lsn, -xid or -name)."));
            return false;
        }
    }
    return true;
}

} // namespace

// `pgarchivist-cli restore --repo DIR --server NAME --target-dir DIR [--backup ID] [--target-time TS | --target-lsn LSN |
//  --target-xid XID | --target-name NAME | --target-immediate] [--target-timeline latest|current|N]
//  [--target-action pause|promote|shutdown] [--target-exclusive] [--delta] [--tablespace-map OLD=NEW]`
int runRestore(const QStringList &args)
{
    CommandParser p(QStringLiteral("restore"), QStringLiteral("Restore a base backup into a data directory, set up to recover "
                                                              "to a target with restore_command = our archive-get."));
    addRepoServer(p);
    p.addOption({QStringLiteral("target-dir"), QStringLiteral("Data directory to create (empty or absent, unless --delta)."), QStringLiteral("DIR")});
    addTargetOptions(p);
    p.addOption({QStringLiteral("delta"), QStringLiteral("Reuse files in the target directory whose chunks match; remove the rest.")});
    p.addOption({QStringLiteral("tablespace-map"), QStringLiteral("Restore the tablespace at OLD into NEW (repeatable)."), QStringLiteral("OLD=NEW")});
    p.addOption({QStringLiteral("owner"), QStringLiteral("As root: owner of the restored files (default postgres)."), QStringLiteral("USER")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Parallel writers (default 2)."), QStringLiteral("N"), QStringLiteral("2")});
    p.addOption({QStringLiteral("start"), QStringLiteral("Then start the restored server (as --owner, on 127.0.0.1, archive_mode off) and follow "
                                                         "replay until the target is reached.")});
    p.addOption({QStringLiteral("port"), QStringLiteral("With --start: the port (default: a free one)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON: backup, restored_bytes, restore_seconds; with --start also state, "
                                                        "conninfo, replay_seconds, replayed_wal_bytes, reached_lsn, reached_time.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::RestoreOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "restore"))
        return ExitUsage;
    o.targetDir = p.value(QStringLiteral("target-dir"));
    if (o.targetDir.isEmpty()) {
        printError(QStringLiteral("restore needs --target-dir DIR."));
        return ExitUsage;
    }
    if (!parseTarget(p, o))
        return ExitUsage;
    const engine::RecoveryTarget &t = o.target;
    o.delta = p.isSet(QStringLiteral("delta"));
    for (const QString &m : p.values(QStringLiteral("tablespace-map"))) {
        const qsizetype eq = m.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == m.size() - 1) {
            printError(QStringLiteral("--tablespace-map needs OLD=NEW, got '%1'.").arg(m));
            return ExitUsage;
        }
        o.tablespaceMap << qMakePair(m.left(eq), m.mid(eq + 1));
    }
    o.owner = p.value(QStringLiteral("owner"));
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress;
    QElapsedTimer timer;
    timer.start();
    int port = 0;
    if (p.isSet(QStringLiteral("port")) && (!p.isSet(QStringLiteral("start")) || !intOption(p, QStringLiteral("port"), 1, 65535, &port))) {
        if (!p.isSet(QStringLiteral("start")))
            printError(QStringLiteral("--port goes with --start."));
        return ExitUsage;
    }
    auto r = engine::Restore(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    const double restoreSeconds = timer.elapsed() / 1000.0;
    // What this host did feeds the next estimate (a failure to keep it must not fail the restore).
    engine::HostRates rates = engine::HostRates::load(engine::HostRates::defaultPath());
    rates.addRestore(r->bytesWritten + r->bytesReused, restoreSeconds);
    (void)rates.save(engine::HostRates::defaultPath());
    QJsonObject json{{QStringLiteral("backup"), r->backupId},
                     {QStringLiteral("target_dir"), QFileInfo(o.targetDir).absoluteFilePath()},
                     {QStringLiteral("restored_bytes"), r->bytesWritten + r->bytesReused},
                     {QStringLiteral("written_bytes"), r->bytesWritten},
                     {QStringLiteral("restore_seconds"), restoreSeconds}};
    if (p.isSet(QStringLiteral("start"))) {
        engine::StartOptions so;
        so.dataDir = QFileInfo(o.targetDir).absoluteFilePath();
        so.port = port;
        so.osUser = o.owner;
        so.action = t.action;
        so.replayFrom = r->replayFrom;
        so.replayTo = r->replayTo;
        auto started = engine::startRestored(so, progress, cancel);
        if (!started) {
            printError(started.error());
            return ExitFailure;
        }
        rates.addReplay(started->replayedWalBytes, started->replaySeconds);
        (void)rates.save(engine::HostRates::defaultPath());
        json.insert(QStringLiteral("state"), started->state);
        json.insert(QStringLiteral("conninfo"), started->conninfo);
        json.insert(QStringLiteral("replay_seconds"), started->replaySeconds);
        json.insert(QStringLiteral("replayed_wal_bytes"), started->replayedWalBytes);
        json.insert(QStringLiteral("reached_lsn"), started->reachedLsn.toString());
        json.insert(QStringLiteral("reached_time"), started->reachedTimeUs ? QJsonValue(isoUtcUs(*started->reachedTimeUs)) : QJsonValue());
        if (p.isSet(QStringLiteral("json"))) {
            printJson(json);
            return ExitOk;
        }
        out() << "Restored backup " << r->backupId << " into " << o.targetDir << " in " << QString::number(restoreSeconds, 'f', 1)
              << " s; replayed " << mib(started->replayedWalBytes) << " of WAL in " << QString::number(started->replaySeconds, 'f', 1)
              << " s to " << started->reachedLsn.toString()
              << (started->reachedTimeUs ? QStringLiteral(" (last transaction %1)").arg(localTimestampText(*started->reachedTimeUs)) : QString())
              << ".\nThe server is " << started->state;
        if (started->state == QLatin1String("paused"))
            out() << " (read-only; SELECT pg_wal_replay_resume() goes on replaying, or promotes at the target)";
        if (!started->conninfo.isEmpty())
            out() << ": " << started->conninfo;
        out() << "\n";
        out().flush();
        return ExitOk;
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson(json);
        return ExitOk;
    }
    out() << "Restored backup " << r->backupId << " into " << o.targetDir << " (" << r->files << " files, " << mib(r->bytesWritten)
          << " written, " << mib(r->bytesReused) << " reused, " << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s).\n";
    if (r->recoverySettings.isEmpty()) {
        out() << "It is a cold backup: nothing to replay, no recovery settings. Start it (pg_ctl -D " << o.targetDir
              << " start) and it runs as it was when it was stopped.\n";
        out().flush();
        return ExitOk;
    }
    out() << "Recovery target: " << t.describe() << ". Settings added to postgresql.auto.conf:\n";
    for (const QString &s : r->recoverySettings)
        out() << "  " << s << '\n';
    out() << "Start the server on it (pg_ctl -D " << o.targetDir << " start) to recover.\n";
    out().flush();
    return ExitOk;
}

// `pgarchivist-cli estimate --repo DIR --server NAME [--backup ID] [target options] [--json]`
int runEstimate(const QStringList &args)
{
    CommandParser p(QStringLiteral("estimate"), QStringLiteral("How long a restore to the target would take (RTO): the backup it would use, "
                                                               "bytes to restore, WAL to replay, from this host's measured speeds."));
    addRepoServer(p);
    addTargetOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON: backup, restore_bytes, replay_wal_bytes, restore_seconds, "
                                                        "replay_seconds, total_seconds, basis.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::RestoreOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "estimate") || !parseTarget(p, o))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress;
    engine::HostRates rates = engine::HostRates::load(engine::HostRates::defaultPath());
    auto e = engine::estimateRecovery(o, rates, progress, cancel);
    if (!e) {
        printError(e.error());
        return ExitFailure;
    }
    if (e->calibratedNow)
        (void)rates.save(engine::HostRates::defaultPath());
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{QStringLiteral("backup"), e->backup},
                   {QStringLiteral("restore_bytes"), e->restoreBytes},
                   {QStringLiteral("replay_wal_bytes"), e->replayWalBytes},
                   {QStringLiteral("restore_seconds"), e->restoreSeconds},
                   {QStringLiteral("replay_seconds"), e->replaySeconds},
                   {QStringLiteral("total_seconds"), e->totalSeconds()},
                   {QStringLiteral("basis"), e->basis}});
        return ExitOk;
    }
    out() << "A restore to " << o.target.describe() << " would use backup " << e->backup << ": " << mib(e->restoreBytes) << " to restore ("
          << QString::number(e->restoreSeconds, 'f', 1) << " s), " << mib(e->replayWalBytes) << " of WAL to replay ("
          << QString::number(e->replaySeconds, 'f', 1) << " s); about " << QString::number(e->totalSeconds(), 'f', 0)
          << " s in all.\nBasis: " << e->basis << ".\n";
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
