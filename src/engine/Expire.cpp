#include "Expire.h"

#include "repo/CatalogStore.h"

#include "repo/DumpCatalog.h"

#include "Retention.h"
#include "repo/FileAccess.h"

#include "core/WalName.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"
#include "repo/ReferencedChunks.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <algorithm>

namespace pga::engine {

Result<ExpireResult> Expire::run(ProgressSink &progress, const CancelToken &cancel)
{
    const bool backupRules = m_o.retainFull >= 1 || m_o.retainDays >= 0;
    const bool dumpRules = m_o.retainDumps >= 1 || m_o.retainDumpDays >= 0;
    if (!backupRules && !dumpRules)
        return Error(Error::Code::InvalidArgument, QStringLiteral("Say what to keep: --retain-full N (N >= 1) and/or --retain-days D, "
                                                                  "--retain-dumps N and/or --retain-dump-days D."));
    auto repo = repo::Repository::open(m_o.repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();
    if (auto rec = repo->server(m_o.server); !rec)
        return rec.error();
    auto serverLock = repo->lock(m_o.server, repo::Repository::LockMode::Exclusive, 30000);
    if (!serverLock)
        return serverLock.error();
    auto chunkLock = repo->lock(QString(), repo::Repository::LockMode::Exclusive, 30000);
    if (!chunkLock)
        return chunkLock.error();

    repo::BackupCatalog catalog(*repo, m_o.server);
    // Expire decides on the whole catalog or not at all: a listing error stops it before anything is removed.
    auto ids = catalog.ids();  // oldest first
    if (!ids)
        return Error(ids.error().code, ids.error().message + QStringLiteral(" Expire removed nothing."), ids.error().detail);
    auto unfinished = catalog.unfinishedIds();
    if (!unfinished)
        return Error(unfinished.error().code, unfinished.error().message + QStringLiteral(" Expire removed nothing."), unfinished.error().detail);
    auto servers = repo->servers();
    if (!servers)
        return Error(servers.error().code, servers.error().message + QStringLiteral(" Expire removed nothing."), servers.error().detail);
    QList<repo::BackupManifest> manifests;
    for (const QString &id : *ids) {
        auto m = catalog.read(id);
        if (!m)
            return Error(m.error().code, QStringLiteral("%1 Expire changes nothing while a manifest cannot be read; remove or "
                                                        "repair that backup first.").arg(m.error().message));
        manifests << *m;
    }
    ExpireResult r;
    QList<BackupAge> ages;
    for (const repo::BackupManifest &m : manifests)
        ages << BackupAge{m.id, m.stopTimeUtc};
    QSet<QString> keep;
    if (backupRules)
        keep = keptBackups(ages, RetentionPolicy{m_o.retainFull, m_o.retainDays}, QDateTime::currentDateTimeUtc());
    else
        for (const repo::BackupManifest &m : manifests)
            keep << m.id;
    for (const repo::BackupManifest &m : manifests)
        (keep.contains(m.id) ? r.keptBackups : r.backups) << m.id;
    for (const QString &id : r.backups) {
        progress.info(QStringLiteral("%1 backup %2").arg(m_o.dryRun ? QStringLiteral("Would remove") : QStringLiteral("Removing"), id));
        if (!m_o.dryRun)
            if (Status s = catalog.remove(id); !s)
                return s.error();
    }
    // Dumps by their own rule; they hold no chunks and need no WAL.
    const repo::DumpCatalog dumps(*repo, m_o.server);
    auto dumpIds = dumps.ids();
    if (!dumpIds)
        return dumpIds.error();
    auto unfinishedDumps = dumps.unfinishedIds();
    if (!unfinishedDumps)
        return unfinishedDumps.error();
    if (dumpRules) {
        QList<BackupAge> dumpAges;
        for (const QString &id : *dumpIds) {
            auto m = dumps.read(id);
            if (!m)
                return Error(m.error().code, QStringLiteral("%1 Expire removes no dump while a dump manifest cannot be read; remove or "
                                                            "repair that dump first.").arg(m.error().message));
            dumpAges << BackupAge{id, m->stopTimeUtc};
        }
        const QSet<QString> keepDumps = keptBackups(dumpAges, RetentionPolicy{m_o.retainDumps, m_o.retainDumpDays}, QDateTime::currentDateTimeUtc());
        for (const QString &id : *dumpIds)
            (keepDumps.contains(id) ? r.keptDumps : r.dumps) << id;
        for (const QString &id : std::as_const(r.dumps)) {
            progress.info(QStringLiteral("%1 dump %2").arg(m_o.dryRun ? QStringLiteral("Would remove") : QStringLiteral("Removing"), id));
            if (!m_o.dryRun)
                if (Status s = dumps.remove(id); !s)
                    return s.error();
        }
    }
    r.leftovers += int(unfinishedDumps->size());
    if (!m_o.dryRun)
        for (const QString &id : *unfinishedDumps)
            (void)dumps.remove(id);
    r.leftovers += int(unfinished->size());
    if (!m_o.dryRun)
        for (const QString &id : *unfinished)
            (void)catalog.remove(id);
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));

    // WAL before the oldest kept backup's start is needed by no kept backup.
    Lsn oldestStart;
    quint32 oldestTli = 0;
    for (const repo::BackupManifest &m : manifests)
        if (keep.contains(m.id) && (!oldestStart.isValid() || m.startLsn < oldestStart)) {
            oldestStart = m.startLsn;
            oldestTli = m.timeline;
        }
    if (oldestStart.isValid()) {
        const repo::WalArchive archive(*repo, m_o.server);
        auto files = archive.list();
        if (!files)
            return files.error();
        // Position by name, not by the recorded start LSN: .backup files carry no page header, so they have no
        // recorded segment size or LSN, yet they belong to their segment and go with it.
        quint64 segmentSize = 0;
        for (const repo::WalFileMeta &w : *files)
            if (w.segmentSize && !segmentSize)
                segmentSize = w.segmentSize;
        if (!segmentSize)
            segmentSize = 16u << 20;
        const quint64 keepFrom = oldestStart.value() / segmentSize;
        for (const repo::WalFileMeta &w : *files) {
            auto name = WalName::parse(w.name);
            if (!name || !name->hasSegment())
                continue;
            if (name->segNo(segmentSize) >= keepFrom || name->timeline > oldestTli)
                continue;
            r.walFiles << w.name;
            r.walBytes += w.storedSize;
            if (!m_o.dryRun)
                if (Status s = repo::removeFile(archive.pathFor(*name)); !s)
                    return s.error();
        }
        auto timelines = repo::listDirectory(repo->walDir(m_o.server), repo::EntryType::Directories);
        if (!timelines)
            return timelines.error();
        for (const QString &tl : repo->onObjectStorage() ? QStringList() : *timelines) {  // objects have no temporaries
            const QDir tlDir(repo->walDir(m_o.server) + QLatin1Char('/') + tl);
            // Temporaries of a killed push (where the file system had no O_TMPFILE); a live push is never an hour old.
            const QDateTime stale = QDateTime::currentDateTimeUtc().addSecs(-3600);
            for (const QFileInfo &t : tlDir.entryInfoList({QStringLiteral(".*.tmp.*")}, QDir::Files | QDir::Hidden))
                if (t.lastModified().toUTC() < stale) {
                    ++r.leftovers;
                    if (!m_o.dryRun)
                        QFile::remove(t.filePath());
                }
            if (!m_o.dryRun && !r.walFiles.isEmpty())
                (void)repo::syncDirectory(tlDir.path());
        }
        // The restore-point index is rebuilt from the WAL headers on the next listing.
        if (!m_o.dryRun && !r.walFiles.isEmpty())
            (void)repo::removeTree(repo->landmarksDir(m_o.server));
        // The blunder finder's cache of removed files, and the rolling catalog snapshots no kept WAL needs (the newest
        // one older than the oldest kept backup still names what that WAL changes).
        for (const QString &f : std::as_const(r.walFiles)) {
            auto name = WalName::parse(f);
            const QString entry = repo->serverDir(m_o.server) + QStringLiteral("/walscan/%1/%2.act")
                                      .arg(QStringLiteral("%1").arg(name ? name->timeline : 0, 8, 16, QLatin1Char('0')).toUpper(), f);
            if (auto there = repo::pathExists(entry); there && *there) {
                ++r.cacheFiles;
                if (!m_o.dryRun)
                    (void)repo::removeFile(entry);
            }
        }
        QDateTime oldestKept;
        for (const repo::BackupManifest &m : manifests)
            if (keep.contains(m.id) && (!oldestKept.isValid() || m.startTimeUtc < oldestKept))
                oldestKept = m.startTimeUtc;
        if (oldestKept.isValid() && !m_o.dryRun)
            if (auto pruned = repo::CatalogStore(*repo, m_o.server).pruneRolling(oldestKept))
                r.cacheFiles += *pruned;
    }

    // Chunks are shared by every server's backups: keep all that any remaining backup references. That set is kept
    // on disk, by prefix, and swept against the store's AB/ directory of the same prefix.
    auto refs = repo::ReferencedChunks::create(repo->expireScratchDir(), repo->writeAs());
    if (!refs)
        return refs.error();
    for (const QString &server : *servers) {
        repo::BackupCatalog other(*repo, server);
        auto otherIds = server == m_o.server ? Result<QStringList>(keep.values()) : other.ids();
        if (!otherIds)
            return Error(otherIds.error().code, otherIds.error().message + QStringLiteral(" No chunk was removed."), otherIds.error().detail);
        otherIds->sort();
        for (const QString &id : *otherIds) {
            if (server == m_o.server && !keep.contains(id))
                continue;
            if (cancel.isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; no chunk was removed."));
            auto m = other.read(id);
            Status spilled;  // our own write failing (a full disk) is not the manifest's fault
            const Status listed = !m ? Status(m.error()) : other.forEachFile(*m, [&](repo::BackupFileEntry &f) -> Status {
                for (const ChunkId &c : f.chunks)
                    if (spilled = (*refs)->add(c); !spilled)
                        return spilled;
                return {};
            });
            if (!spilled)
                return spilled.error();
            if (!listed)
                return Error(listed.error().code,
                             QStringLiteral("%1 No chunk is removed while a backup's manifest cannot be read.").arg(listed.error().message));
        }
    }
    if (Status s = (*refs)->finish(); !s)
        return s.error();
    repo::ChunkStore store(repo->chunksDir());
    auto prefixes = store.prefixes();
    if (!prefixes)
        return prefixes.error();
    for (const QString &prefix : *prefixes) {
        const int p = prefix.toInt(nullptr, 16);
        for (int part = 0; part < (*refs)->parts(p); ++part) {
            if (cancel.isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; some unreferenced chunks were left for the next expire."));
            auto referenced = (*refs)->load(p, part);
            if (!referenced)
                return referenced.error();
            const auto [lo, hi] = (*refs)->secondByteRange(p, part);
            Status swept = store.scan(prefix, [&](const QString &hex, const QString &path) -> Status {
                if (hex.isEmpty()) {
                    if (part == 0) {
                        ++r.leftovers;
                        if (!m_o.dryRun)
                            QFile::remove(path);
                    }
                    return {};
                }
                const auto id = ChunkId::fromHex(hex);
                if (!id || id->bytes[1] < lo || id->bytes[1] > hi)
                    return {};
                if (std::binary_search(referenced->begin(), referenced->end(), *id,
                                       [](const ChunkId &a, const ChunkId &b) { return a.bytes < b.bytes; }))
                    return {};
                ++r.chunks;
                r.chunkBytes += store.storedSize(hex);
                return m_o.dryRun ? Status() : store.remove(hex);
            });
            if (!swept)
                return swept.error();
        }
    }
    if (!m_o.dryRun)
        if (Status s = store.syncDirectories(); !s)
            return s.error();
    return r;
}

} // namespace pga::engine
