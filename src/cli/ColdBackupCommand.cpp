#include "Command.h"
#include "CommandSupport.h"
#include "Commands.h"
#include "engine/ColdBackup.h"

namespace pga::cli {

// `pgarchivist-cli cold-backup --repo DIR --server NAME --data-dir DIR [--config-dir DIR] [--label TEXT] [--json]`
int runColdBackup(const QStringList &args)
{
    CommandParser p(QStringLiteral("cold-backup"),
                    QStringLiteral("Copy the files of a local cluster that is shut down (data directory, tablespaces, configuration "
                                   "directory) into the repository's chunk store. A running or crashed cluster is refused."));
    addRepoServer(p);
    p.addOption({QStringLiteral("data-dir"), QStringLiteral("The cluster's data directory."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("config-dir"), QStringLiteral("Its configuration directory when outside the data directory "
                                                              "(Debian: /etc/postgresql/N/NAME)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Hashing/compressing workers (default 2)."), QStringLiteral("N"), QStringLiteral("2")});
    p.addOption({QStringLiteral("compress-level"), QStringLiteral("zstd level 1-19 (default 1)."), QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("label"), QStringLiteral("Backup label."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::ColdBackupOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "cold-backup"))
        return ExitUsage;
    o.dataDir = p.value(QStringLiteral("data-dir"));
    if (o.dataDir.isEmpty()) {
        printError(QStringLiteral("cold-backup needs --data-dir DIR."));
        return ExitUsage;
    }
    o.configDir = p.value(QStringLiteral("config-dir"));
    o.label = p.value(QStringLiteral("label"));
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs) || !intOption(p, QStringLiteral("compress-level"), 1, 19, &o.compressLevel))
        return ExitUsage;
    const bool json = p.isSet(QStringLiteral("json"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(json);
    auto r = engine::ColdBackup(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    const double secs = std::max(0.001, double(r->startTimeUtc.msecsTo(r->stopTimeUtc)) / 1000.0);
    if (json) {
        printJson({{QStringLiteral("id"), r->id},
                   {QStringLiteral("kind"), r->kind},
                   {QStringLiteral("label"), r->label},
                   {QStringLiteral("checkpoint_lsn"), r->stopLsn.toString()},
                   {QStringLiteral("timeline"), qint64(r->timeline)},
                   {QStringLiteral("start_time"), r->startTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("stop_time"), r->stopTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("files"), qint64(r->fileCount)},
                   {QStringLiteral("tablespaces"), int(r->tablespaces.size())},
                   {QStringLiteral("config_dir"), r->configDir},
                   {QStringLiteral("logical_bytes"), r->logicalBytes},
                   {QStringLiteral("new_bytes"), r->newBytes},
                   {QStringLiteral("seconds"), secs}});
        return ExitOk;
    }
    out() << "Cold backup " << r->id << " complete: " << mib(r->logicalBytes) << " in " << r->fileCount << " entries, " << mib(r->newBytes)
          << " new in the repository, " << QString::number(secs, 'f', 1) << " s. Restore it with 'restore --backup " << r->id
          << "': it starts as it was, with nothing to replay.\n";
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
