#include "Command.h"
#include "CommandSupport.h"
#include "Commands.h"
#include "engine/BaseBackup.h"
#include "engine/SnapshotBackup.h"
#include "engine/Expire.h"
#include "engine/Verify.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace pga::cli {


namespace {

int snapshotBackup(const CommandParser &p)
{
    engine::SnapshotBackupOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "backup"))
        return ExitUsage;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    o.command = p.value(QStringLiteral("snapshot-command"));
    if (o.conninfo.isEmpty() || o.command.trimmed().isEmpty()) {
        printError(QStringLiteral("backup --snapshot-command needs a command and --conninfo CONNINFO."));
        return ExitUsage;
    }
    o.label = p.value(QStringLiteral("label"));
    const QString cp = p.value(QStringLiteral("checkpoint"));
    if (cp != QLatin1String("fast") && cp != QLatin1String("spread")) {
        printError(QStringLiteral("--checkpoint must be fast or spread."));
        return ExitUsage;
    }
    o.fastCheckpoint = cp == QLatin1String("fast");
    if (!intOption(p, QStringLiteral("archive-timeout"), 1, 86400, &o.archiveTimeoutSec))
        return ExitUsage;
    const bool json = p.isSet(QStringLiteral("json"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(json);
    auto r = engine::takeSnapshotBackup(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json) {
        printJson({{QStringLiteral("id"), r->id},
                   {QStringLiteral("kind"), r->kind},
                   {QStringLiteral("label"), r->label},
                   {QStringLiteral("snapshot_id"), r->snapshotId},
                   {QStringLiteral("start_lsn"), r->startLsn.toString()},
                   {QStringLiteral("stop_lsn"), r->stopLsn.toString()},
                   {QStringLiteral("start_time"), r->startTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("stop_time"), r->stopTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("timeline"), qint64(r->timeline)}});
        return ExitOk;
    }
    out() << "Snapshot backup " << r->id << " complete: snapshot '" << r->snapshotId << "', WAL " << r->startLsn.toString() << " to "
          << r->stopLsn.toString() << " archived.\n";
    out().flush();
    return ExitOk;
}

} // namespace

// `pgarchivist-cli backup --repo DIR --server NAME --conninfo CONNINFO [--jobs N] [--compress-level N]
//  [--checkpoint fast|spread] [--label TEXT] [--json]`
int runBackup(const QStringList &args)
{
    CommandParser p(QStringLiteral("backup"), QStringLiteral("Take a full base backup over the replication protocol into the "
                                                             "repository (chunked, deduplicated, zstd-compressed)."));
    addRepoServer(p);
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("libpq connection string of the server (a replication connection is made)."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Hashing/compressing workers (default 2)."), QStringLiteral("N"), QStringLiteral("2")});
    p.addOption({QStringLiteral("compress-level"), QStringLiteral("zstd level 1-19 (default 1)."), QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("checkpoint"), QStringLiteral("fast (default) or spread."), QStringLiteral("MODE"), QStringLiteral("fast")});
    p.addOption({QStringLiteral("label"), QStringLiteral("Backup label."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("archive-timeout"), QStringLiteral("Seconds to wait for the WAL the backup needs (default 60)."),
                 QStringLiteral("S"), QStringLiteral("60")});
    p.addOption({QStringLiteral("manifest-checksums"),
                 QStringLiteral("Checksums in the server's backup_manifest: none (default; every chunk has its SHA-256), "
                                "crc32c, sha224, sha256, sha384 or sha512."),
                 QStringLiteral("ALGO"), QStringLiteral("none")});
    p.addOption({QStringLiteral("snapshot-command"),
                 QStringLiteral("A snapshot backup: run CMD between pg_backup_start and pg_backup_stop (LVM, ZFS, a cloud volume snapshot; "
                                "it gets PGARCHIVIST_BACKUP_ID, _BACKUP_LABEL, _START_LSN, _SERVER, _DATA_DIRECTORY) and keep what it "
                                "prints as the snapshot's name."),
                 QStringLiteral("CMD")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (p.isSet(QStringLiteral("snapshot-command")))
        return snapshotBackup(p);
    engine::BaseBackupOptions o;
    o.manifestChecksums = p.value(QStringLiteral("manifest-checksums")).toLower();
    static const QStringList algos{QStringLiteral("none"), QStringLiteral("crc32c"), QStringLiteral("sha224"),
                                   QStringLiteral("sha256"), QStringLiteral("sha384"), QStringLiteral("sha512")};
    if (!algos.contains(o.manifestChecksums)) {
        printError(QStringLiteral("--manifest-checksums must be one of %1.").arg(algos.join(QStringLiteral(", "))));
        return ExitUsage;
    }
    if (!repoServer(p, &o.repoDir, &o.server, "backup"))
        return ExitUsage;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    if (o.conninfo.isEmpty()) {
        printError(QStringLiteral("backup needs --conninfo CONNINFO."));
        return ExitUsage;
    }
    const QString cp = p.value(QStringLiteral("checkpoint"));
    if (cp != QLatin1String("fast") && cp != QLatin1String("spread")) {
        printError(QStringLiteral("--checkpoint must be fast or spread."));
        return ExitUsage;
    }
    o.fastCheckpoint = cp == QLatin1String("fast");
    o.label = p.value(QStringLiteral("label"));
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs) || !intOption(p, QStringLiteral("compress-level"), 1, 19, &o.compressLevel)
        || !intOption(p, QStringLiteral("archive-timeout"), 1, 86400, &o.archiveTimeoutSec))
        return ExitUsage;
    // Throttling on the server (BASE_BACKUP MAX_RATE), for tests that must interrupt a backup mid-way.
    o.maxRateKb = qEnvironmentVariableIntValue("PGA_BACKUP_MAX_RATE_KB");
    const bool json = p.isSet(QStringLiteral("json"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(json);
    QElapsedTimer t;
    t.start();
    auto r = engine::BaseBackup(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    const double secs = std::max(0.001, t.elapsed() / 1000.0);
    if (json) {
        printJson({{QStringLiteral("id"), r->id},
                   {QStringLiteral("label"), r->label},
                   {QStringLiteral("start_lsn"), r->startLsn.toString()},
                   {QStringLiteral("stop_lsn"), r->stopLsn.toString()},
                   {QStringLiteral("start_time"), r->startTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("stop_time"), r->stopTimeUtc.toString(Qt::ISODateWithMs)},
                   {QStringLiteral("timeline"), qint64(r->timeline)},
                   {QStringLiteral("files"), qint64(r->fileCount)},
                   {QStringLiteral("logical_bytes"), r->logicalBytes},
                   {QStringLiteral("new_bytes"), r->newBytes},
                   {QStringLiteral("new_chunks"), r->newChunks},
                   {QStringLiteral("chunks"), r->chunkCount},
                   {QStringLiteral("seconds"), secs}});
        return ExitOk;
    }
    out() << "Backup " << r->id << " complete: " << mib(r->logicalBytes) << " in " << r->fileCount << " entries, "
          << mib(r->newBytes) << " new in the repository, " << QString::number(secs, 'f', 1) << " s ("
          << mib(qint64(double(r->logicalBytes) / secs)) << "/s); WAL " << r->startLsn.toString() << " to " << r->stopLsn.toString()
          << " on timeline " << r->timeline << ".\n";
    out().flush();
    return ExitOk;
}

// `pgarchivist-cli verify --repo DIR --server NAME [--backup ID]`
int runVerify(const QStringList &args)
{
    CommandParser p(QStringLiteral("verify"), QStringLiteral("Check that every chunk of the backup(s) exists and matches its "
                                                             "checksum, and that the WAL from each backup's start to its end is archived."));
    addRepoServer(p);
    p.addOption({QStringLiteral("backup"), QStringLiteral("Only this backup (default: all)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Parallel readers (default 2)."), QStringLiteral("N"), QStringLiteral("2")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::VerifyOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "verify"))
        return ExitUsage;
    o.backupId = p.value(QStringLiteral("backup"));
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(p.isSet(QStringLiteral("json")));
    auto r = engine::Verify(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    bool allOk = true;
    QJsonArray arr;
    for (const engine::BackupCheck &c : *r) {
        allOk = allOk && c.ok();
        arr.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("kind"), c.kind}, {QStringLiteral("ok"), c.ok()}, {QStringLiteral("chunks"), c.chunks},
                               {QStringLiteral("problems"), QJsonArray::fromStringList(c.problems)}});
        if (p.isSet(QStringLiteral("json")))
            continue;
        const bool dump = c.kind == QLatin1String("dump");
        const bool cold = c.kind == QLatin1String("cold");
        if (c.ok()) {
            if (dump)
                out() << "Dump " << c.id << ": OK (" << c.chunks << " files verified against their SHA-256)\n";
            else
                out() << "Backup " << c.id << ": OK (" << c.chunks << (cold ? " chunks verified; a cold backup needs no WAL)\n" : " chunks and its WAL verified)\n");
        } else {
            out() << (dump ? "Dump " : "Backup ") << c.id << ": DAMAGED\n";
            for (const QString &line : c.problems)
                out() << "  " << line << '\n';
        }
    }
    if (p.isSet(QStringLiteral("json")))
        printJson({{QStringLiteral("ok"), allOk}, {QStringLiteral("backups"), arr}});
    out().flush();
    return allOk ? ExitOk : ExitFailure;
}

// `pgarchivist-cli expire --repo DIR --server NAME [--retain-full N] [--retain-days D] [--dry-run]`
int runExpire(const QStringList &args)
{
    CommandParser p(QStringLiteral("expire"), QStringLiteral("Remove backups beyond retention, then the WAL and chunks no kept backup needs."));
    addRepoServer(p);
    p.addOption({QStringLiteral("retain-full"), QStringLiteral("Keep the newest N backups."), QStringLiteral("N")});
    p.addOption({QStringLiteral("retain-days"), QStringLiteral("Keep what recovery to any moment of the last D days needs."), QStringLiteral("D")});
    p.addOption({QStringLiteral("retain-dumps"), QStringLiteral("Keep the newest N dumps (dumps are kept by their own rule; "
                                                                "without one they stay)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("retain-dump-days"), QStringLiteral("Keep the dumps of the last D days (and the newest older one)."),
                 QStringLiteral("D")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Only list what would be removed.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::ExpireOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "expire"))
        return ExitUsage;
    if (!intOption(p, QStringLiteral("retain-full"), 1, 1000000, &o.retainFull) || !intOption(p, QStringLiteral("retain-days"), 0, 1000000, &o.retainDays))
        return ExitUsage;
    if (!intOption(p, QStringLiteral("retain-dumps"), 1, 1000000, &o.retainDumps)
        || !intOption(p, QStringLiteral("retain-dump-days"), 0, 1000000, &o.retainDumpDays))
        return ExitUsage;
    if (o.retainFull < 0 && o.retainDays < 0 && o.retainDumps < 0 && o.retainDumpDays < 0) {
        printError(QStringLiteral("expire needs --retain-full N and/or --retain-days D (backups), --retain-dumps N and/or --retain-dump-days D (dumps)."));
        return ExitUsage;
    }
    o.dryRun = p.isSet(QStringLiteral("dry-run"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(true);
    auto r = engine::Expire(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    const QString verb = o.dryRun ? QStringLiteral("Would remove") : QStringLiteral("Removed");
    for (const QString &id : r->backups)
        out() << verb << " backup " << id << '\n';
    for (const QString &id : r->dumps)
        out() << verb << " dump " << id << '\n';
    out() << verb << ' ' << r->walFiles.size() << " WAL file(s)";
    if (!r->walFiles.isEmpty())
        out() << " (" << r->walFiles.first() << " .. " << r->walFiles.last() << ", " << mib(r->walBytes) << ")";
    out() << '\n' << verb << ' ' << r->chunks << " chunk(s) (" << mib(r->chunkBytes) << ")\n";
    if (r->leftovers)
        out() << verb << ' ' << r->leftovers << " leftover(s) of interrupted backups or pushes\n";
    if (r->cacheFiles)
        out() << verb << ' ' << r->cacheFiles << " scan cache entr" << (r->cacheFiles == 1 ? "y" : "ies") << " and catalog snapshot(s) no kept WAL needs\n";
    out() << "Kept " << r->keptBackups.size() << " backup(s)" << (r->keptBackups.isEmpty() ? QString() : QStringLiteral(": ") + r->keptBackups.join(QStringLiteral(", ")))
          << '\n';
    if (o.retainDumps >= 0 || o.retainDumpDays >= 0)
        out() << "Kept " << r->keptDumps.size() << " dump(s)" << (r->keptDumps.isEmpty() ? QString() : QStringLiteral(": ") + r->keptDumps.join(QStringLiteral(", ")))
              << '\n';
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
