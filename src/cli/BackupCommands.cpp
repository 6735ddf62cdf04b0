#include "Command.h"
#include "Commands.h"
#include "core/TimeText.h"
#include "engine/BaseBackup.h"
#include "engine/Expire.h"
#include "engine/Restore.h"
#include "engine/RestoreStart.h"
#include "engine/WalLandmarks.h"
#include "engine/Verify.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace pga::cli {

QString optionOrEnv(const QCommandLineParser &p, const QString &option, const char *env);

namespace {

// Human progress on stderr: log lines, and a percentage at most every 2 seconds.
class StderrProgress final : public ProgressSink {
public:
    explicit StderrProgress(bool quiet = false) : m_quiet(quiet) { m_timer.start(); }
    void progress(int64_t done, int64_t total) override
    {
        std::lock_guard l(m_mutex);
        if (m_quiet || m_timer.elapsed() - m_last < 2000)
            return;
        m_last = m_timer.elapsed();
        QTextStream err(stderr);
        if (total > 0)
            err << "  " << QString::number(100.0 * double(done) / double(total), 'f', 0) << "% (" << done / (1 << 20) << " of "
                << total / (1 << 20) << " MiB)\n";
        else
            err << "  " << done / (1 << 20) << " MiB\n";
    }
    void log(Level level, const QString &line) override
    {
        std::lock_guard l(m_mutex);
        if (m_quiet && level < Level::Warning)
            return;
        QTextStream err(stderr);
        err << (level >= Level::Warning ? "pgarchivist-cli: " : "") << line << '\n';
    }

private:
    bool m_quiet;
    std::mutex m_mutex;
    QElapsedTimer m_timer;
    qint64 m_last = 0;
};

// SIGINT/SIGTERM cancel the operation cleanly (a thread waits for them; the others have them blocked).
class SignalCancel {
public:
    explicit SignalCancel(CancelToken &token)
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGUSR2);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        m_thread = std::thread([set, &token] {
            int sig = 0;
            for (;;) {
                sigwait(&set, &sig);
                if (sig == SIGUSR2)
                    return;
                token.cancel();
            }
        });
    }
    ~SignalCancel()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR2);
        m_thread.join();
    }

private:
    std::thread m_thread;
};

void addRepoServer(CommandParser &p)
{
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Server name in the repository (default: $PGARCHIVIST_SERVER)."),
                 QStringLiteral("NAME")});
}

bool repoServer(const CommandParser &p, QString *repo, QString *server, const char *command)
{
    *repo = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    *server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    if (repo->isEmpty() || server->isEmpty() || !p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("%1 needs --repo DIR and --server NAME (or PGARCHIVIST_REPO and PGARCHIVIST_SERVER), and no "
                                  "other arguments.")
                       .arg(QLatin1String(command)));
        return false;
    }
    return true;
}

bool intOption(const CommandParser &p, const QString &name, int lo, int hi, int *value)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < lo || v > hi) {
        printError(QStringLiteral("--%1 must be a number from %2 to %3.").arg(name).arg(lo).arg(hi));
        return false;
    }
    *value = v;
    return true;
}

QString mib(qint64 b) { return QLocale::c().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }

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
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
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

// `pgarchivist-cli restore --repo DIR --server NAME --target-dir DIR [--backup ID] [--target-time TS | --target-lsn LSN |
//  --target-xid XID | --target-name NAME | --target-immediate] [--target-timeline latest|current|N]
//  [--target-action pause|promote|shutdown] [--target-exclusive] [--delta] [--tablespace-map OLD=NEW]`
int runRestore(const QStringList &args)
{
    CommandParser p(QStringLiteral("restore"), QStringLiteral("Restore a base backup into a data directory, set up to recover "
                                                              "to a target with restore_command = our archive-get."));
    addRepoServer(p);
    p.addOption({QStringLiteral("target-dir"), QStringLiteral("Data directory to create (empty or absent, unless --delta)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("backup"), QStringLiteral("Backup ID (default: the newest that ends before the target)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("target-time"), QStringLiteral("Recover to this moment, with its zone: '2026-11-24 14:03:00+01'."), QStringLiteral("TS")});
    p.addOption({QStringLiteral("target-lsn"), QStringLiteral("Recover to this WAL position."), QStringLiteral("LSN")});
    p.addOption({QStringLiteral("target-xid"), QStringLiteral("Recover to this transaction."), QStringLiteral("XID")});
    p.addOption({QStringLiteral("target-name"), QStringLiteral("Recover to this restore point."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("target-immediate"), QStringLiteral("Recover only to the end of the backup (consistency).")});
    p.addOption({QStringLiteral("target-timeline"), QStringLiteral("latest, current or a number."), QStringLiteral("TL")});
    p.addOption({QStringLiteral("target-action"), QStringLiteral("pause, promote or shutdown at the target."), QStringLiteral("ACTION")});
    p.addOption({QStringLiteral("target-exclusive"), QStringLiteral("Stop just before the target instead of just after.")});
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
    o.backupId = p.value(QStringLiteral("backup"));
    engine::RecoveryTarget &t = o.target;
    int targets = 0;
    if (p.isSet(QStringLiteral("target-time"))) {
        ++targets;
        t.kind = engine::RecoveryTarget::Kind::Time;
        t.time = engine::RecoveryTarget::parseTime(p.value(QStringLiteral("target-time")), &t.timeMicros);
        if (!t.time.isValid()) {
            printError(QStringLiteral("--target-time '%1' is not a time; write it like '2026-11-24 14:03:00+01'.").arg(p.value(QStringLiteral("target-time"))));
            return ExitUsage;
        }
    }
    if (p.isSet(QStringLiteral("target-lsn"))) {
        ++targets;
        t.kind = engine::RecoveryTarget::Kind::Lsn;
        auto l = Lsn::parse(p.value(QStringLiteral("target-lsn")));
        if (!l) {
            printError(QStringLiteral("--target-lsn '%1' is not an LSN (like 0/3000060).").arg(p.value(QStringLiteral("target-lsn"))));
            return ExitUsage;
        }
        t.lsn = *l;
    }
    if (p.isSet(QStringLiteral("target-xid"))) {
        ++targets;
        t.kind = engine::RecoveryTarget::Kind::Xid;
        t.text = p.value(QStringLiteral("target-xid"));
        if (!engine::parseTargetXid(t.text)) {
            printError(QStringLiteral("--target-xid must be a transaction ID: a number of 3 or more, or pg_current_xact_id()'s "
                                      "form with the epoch (e.g. 4294967296 + xid)."));
            return ExitUsage;
        }
    }
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
        return ExitUsage;
    }
    t.timeline = p.value(QStringLiteral("target-timeline"));
    static const QRegularExpression tlRe(QStringLiteral("^(latest|current|[0-9]+)$"));
    if (!t.timeline.isEmpty() && !tlRe.match(t.timeline).hasMatch()) {
        printError(QStringLiteral("--target-timeline must be latest, current or a number."));
        return ExitUsage;
    }
    t.action = p.value(QStringLiteral("target-action"));
    if (!t.action.isEmpty() && !QStringList{QStringLiteral("pause"), QStringLiteral("promote"), QStringLiteral("shutdown")}.contains(t.action)) {
        printError(QStringLiteral("--target-action must be pause, promote or shutdown."));
        return ExitUsage;
    }
    t.exclusive = p.isSet(QStringLiteral("target-exclusive"));
    if ((t.exclusive || !t.action.isEmpty()) && (t.kind == engine::RecoveryTarget::Kind::EndOfWal)) {
        if (t.exclusive) {
            printError(QStringLiteral("--target-exclusive needs a target (--target-time, -lsn, -xid or -name)."));
            return ExitUsage;
        }
    }
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
          << " written, " << mib(r->bytesReused) << " reused, " << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s).\n"
          << "Recovery target: " << t.describe() << ". Settings added to postgresql.auto.conf:\n";
    for (const QString &s : r->recoverySettings)
        out() << "  " << s << '\n';
    out() << "Start the server on it (pg_ctl -D " << o.targetDir << " start) to recover.\n";
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
        arr.append(QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("ok"), c.ok()}, {QStringLiteral("chunks"), c.chunks},
                               {QStringLiteral("problems"), QJsonArray::fromStringList(c.problems)}});
        if (p.isSet(QStringLiteral("json")))
            continue;
        if (c.ok()) {
            out() << "Backup " << c.id << ": OK (" << c.chunks << " chunks and its WAL verified)\n";
        } else {
            out() << "Backup " << c.id << ": DAMAGED\n";
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
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Only list what would be removed.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::ExpireOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "expire"))
        return ExitUsage;
    if (!intOption(p, QStringLiteral("retain-full"), 1, 1000000, &o.retainFull) || !intOption(p, QStringLiteral("retain-days"), 0, 1000000, &o.retainDays))
        return ExitUsage;
    if (o.retainFull < 0 && o.retainDays < 0) {
        printError(QStringLiteral("expire needs --retain-full N and/or --retain-days D."));
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
    out() << verb << ' ' << r->walFiles.size() << " WAL file(s)";
    if (!r->walFiles.isEmpty())
        out() << " (" << r->walFiles.first() << " .. " << r->walFiles.last() << ", " << mib(r->walBytes) << ")";
    out() << '\n' << verb << ' ' << r->chunks << " chunk(s) (" << mib(r->chunkBytes) << ")\n";
    if (r->leftovers)
        out() << verb << ' ' << r->leftovers << " leftover(s) of interrupted backups or pushes\n";
    out() << "Kept " << r->keptBackups.size() << " backup(s)" << (r->keptBackups.isEmpty() ? QString() : QStringLiteral(": ") + r->keptBackups.join(QStringLiteral(", ")))
          << '\n';
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
