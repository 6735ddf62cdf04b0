#include "Verify.h"

#include "RestoreDump.h"
#include "repo/DumpCatalog.h"

#include "core/RecentChunkIds.h"
#include "core/WalName.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"
#include "repo/WalArchive.h"

#include <QHash>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace pga::engine {

namespace {

constexpr int kNamedBadChunks = 100;

// Reads the file list as a stream and has `jobs` workers read back each chunk. A chunk met again soon (zero pages,
// copies) is checked once; the set that remembers them is bounded, so at worst a chunk is checked twice.
Status verifyChunks(const repo::BackupCatalog &catalog, const repo::BackupManifest &m, const repo::ChunkStore &store, BackupCheck &check,
                    int jobs, ProgressSink &progress, const CancelToken &cancel)
{
    struct Item {
        ChunkId id;
        size_t size;
    };
    std::mutex mu;
    std::condition_variable hasTask, hasRoom;
    std::deque<Item> queue;
    bool producing = true;
    QList<QPair<ChunkId, QString>> bad;  // the chunk and what verify said; the files using it are named after
    qint64 badCount = 0;
    auto worker = [&] {
        for (;;) {
            Item it;
            {
                std::unique_lock l(mu);
                hasTask.wait(l, [&] { return !queue.empty() || !producing; });
                if (queue.empty())
                    return;
                it = queue.front();
                queue.pop_front();
                hasRoom.notify_one();
            }
            if (cancel.isCancelled())
                continue;  // drain without work; the producer stops too
            Status s = store.verify(it.id.hex(), it.size);
            if (!s) {
                std::lock_guard l(mu);
                if (++badCount <= kNamedBadChunks)
                    bad << qMakePair(it.id, s.error().message);
            }
        }
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < std::clamp(jobs, 1, 64); ++i)
        threads.emplace_back(worker);
    RecentChunkIds seen;
    qint64 references = 0;  // progress counts every reference, repeats included, so that it reaches chunk_count
    const Status listStatus = catalog.forEachFile(m, [&](repo::BackupFileEntry &f) -> Status {
        for (qsizetype i = 0; i < f.chunks.size(); ++i) {
            if (cancel.isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
            progress.progress(++references, m.chunkCount);
            if (!seen.insert(f.chunks[i]))
                continue;
            ++check.chunks;
            std::unique_lock l(mu);
            hasRoom.wait(l, [&] { return queue.size() < 64; });
            queue.push_back({f.chunks[i], size_t(std::min(m.chunkSize, f.size - qint64(i) * m.chunkSize))});
            hasTask.notify_one();
        }
        return {};
    });
    {
        std::lock_guard l(mu);
        producing = false;
        hasTask.notify_all();
    }
    for (std::thread &t : threads)
        t.join();
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    // Name up to three files that use each bad chunk, found by a second read of the list.
    QHash<ChunkId, QStringList> users;
    for (const auto &b : bad)
        users.insert(b.first, {});
    if (!bad.isEmpty() && listStatus)
        (void)catalog.forEachFile(m, [&](repo::BackupFileEntry &f) -> Status {
            for (const ChunkId &c : f.chunks)
                if (auto it = users.find(c); it != users.end() && it->size() < 3 && !it->contains(f.path))
                    *it << f.path;
            return {};
        });
    for (const auto &b : bad)
        check.problems << QStringLiteral("%1 (used by %2)").arg(b.second, users.value(b.first).join(QStringLiteral(", ")));
    if (badCount > kNamedBadChunks)
        check.problems << QStringLiteral("and %1 more damaged or missing chunks").arg(badCount - kNamedBadChunks);
    return listStatus;
}

} // namespace

Result<QList<BackupCheck>> Verify::run(ProgressSink &progress, const CancelToken &cancel)
{
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    if (auto rec = repo->server(m_o.server); !rec)
        return rec.error();
    repo::BackupCatalog catalog(*repo, m_o.server);
    auto listed = catalog.ids();
    if (!listed)
        return listed.error();
    QStringList ids = *listed;
    const repo::DumpCatalog dumps(*repo, m_o.server);
    auto dumpList = dumps.ids();
    if (!dumpList)
        return dumpList.error();
    QStringList dumpIds = *dumpList;
    if (!m_o.backupId.isEmpty()) {
        if (!ids.contains(m_o.backupId) && !dumpIds.contains(m_o.backupId))
            return Error(Error::Code::NotFound, QStringLiteral("The repository has no backup or dump '%1' for server '%2'. Backups: %3.")
                                                    .arg(m_o.backupId, m_o.server,
                                                         ids.isEmpty() && dumpIds.isEmpty() ? QStringLiteral("none") : (ids + dumpIds).join(QStringLiteral(", "))));
        const bool isDump = dumpIds.contains(m_o.backupId);
        ids = isDump ? QStringList() : QStringList{m_o.backupId};
        dumpIds = isDump ? QStringList{m_o.backupId} : QStringList();
    }
    if (ids.isEmpty() && dumpIds.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("The repository has no backup of server '%1'.").arg(m_o.server));
    const repo::ChunkStore store(repo->chunksDir());
    const repo::WalArchive archive(*repo, m_o.server);
    QList<BackupCheck> out;
    for (const QString &id : ids) {
        BackupCheck check;
        check.id = id;
        auto m = catalog.read(id);
        if (!m) {
            check.problems << m.error().message;
            out << check;
            continue;
        }
        check.kind = m->kind;
        progress.info(QStringLiteral("Verifying backup %1").arg(id));
        auto serverSha = !m->hasServerManifest() ? Result<QString>(m->backupManifestSha256) : catalog.serverManifestSha256(id);
        if (!serverSha)
            check.problems << QStringLiteral("backup_manifest: %1").arg(serverSha.error().message);
        else if (*serverSha != m->backupManifestSha256)
            check.problems << QStringLiteral("backup_manifest is damaged (checksum mismatch)");
        if (Status s = verifyChunks(catalog, *m, store, check, m_o.jobs, progress, cancel); !s) {
            if (s.error().code == Error::Code::Cancelled)
                return s.error();
            check.problems << s.error().message;
        }
        // The WAL from start to end, each segment read back and checked (a cold backup needs none).
        if (m->isCold()) {
            std::sort(check.problems.begin(), check.problems.end());
            out << check;
            continue;
        }
        quint64 segSize = 16u << 20;
        auto files = archive.list();
        if (files)
            for (const repo::WalFileMeta &w : *files)
                if (w.segmentSize) {
                    segSize = w.segmentSize;
                    break;
                }
        for (quint64 n = m->startLsn.value() / segSize; n <= (m->stopLsn.value() - 1) / segSize; ++n) {
            const QString name = WalName::segmentName(m->timeline, n, segSize);
            auto b = archive.fetch(*WalName::parse(name));
            if (!b)
                check.problems << QStringLiteral("WAL %1 needed for consistency: %2").arg(name, b.error().message);
        }
        std::sort(check.problems.begin(), check.problems.end());
        out << check;
    }
    // Dumps: every stored file read back against its SHA-256 and its zstd frame checksum.
    for (const QString &id : std::as_const(dumpIds)) {
        BackupCheck check;
        check.id = id;
        check.kind = QStringLiteral("dump");
        auto m = dumps.read(id);
        if (!m) {
            check.problems << m.error().message;
            out << check;
            continue;
        }
        progress.info(QStringLiteral("Verifying dump %1").arg(id));
        const QList<repo::DumpFile> files = m->allFiles();
        check.chunks = files.size();
        auto problems = checkDumpFiles(dumps, *m, files, cancel);
        if (!problems)
            return problems.error();
        check.problems << *problems;
        out << check;
    }
    return out;
}

} // namespace pga::engine
