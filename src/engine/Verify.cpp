#include "Verify.h"

#include "core/Sha256.h"
#include "core/WalName.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"
#include "repo/WalArchive.h"

#include <QHash>

#include <atomic>
#include <mutex>
#include <thread>

namespace pga::engine {

Result<QList<BackupCheck>> Verify::run(ProgressSink &progress, const CancelToken &cancel)
{
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    if (auto rec = repo->server(m_o.server); !rec)
        return rec.error();
    repo::BackupCatalog catalog(*repo, m_o.server);
    QStringList ids = catalog.ids();
    if (!m_o.backupId.isEmpty()) {
        if (!ids.contains(m_o.backupId))
            return Error(Error::Code::NotFound, QStringLiteral("The repository has no backup '%1' for server '%2'. Backups: %3.")
                                                    .arg(m_o.backupId, m_o.server, ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", "))));
        ids = {m_o.backupId};
    }
    if (ids.isEmpty())
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
        progress.info(QStringLiteral("Verifying backup %1").arg(id));
        auto server = catalog.readServerManifest(id);
        if (!server)
            check.problems << QStringLiteral("backup_manifest: %1").arg(server.error().message);
        else if (Sha256::hexOf(server->constData(), size_t(server->size())) != m->backupManifestSha256)
            check.problems << QStringLiteral("backup_manifest is damaged (checksum mismatch)");
        const QHash<ChunkId, qint64> sizes = m->chunkSizes();
        const std::vector<std::pair<ChunkId, qint64>> list(sizes.keyValueBegin(), sizes.keyValueEnd());
        QList<QPair<ChunkId, QString>> bad;  // the chunk and what verify said; the files using it are named after
        check.chunks = int(list.size());
        std::atomic<size_t> next{0};
        std::atomic<qint64> done{0};
        std::mutex mu;
        auto worker = [&] {
            for (;;) {
                const size_t k = next.fetch_add(1);
                if (k >= list.size() || cancel.isCancelled())
                    return;
                Status s = store.verify(list[k].first.hex(), size_t(list[k].second));
                if (!s) {
                    std::lock_guard l(mu);
                    bad << qMakePair(list[k].first, s.error().message);
                }
                progress.progress(++done, qint64(list.size()));
            }
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < std::clamp(m_o.jobs, 1, 64); ++i)
            threads.emplace_back(worker);
        for (std::thread &t : threads)
            t.join();
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        // Name up to three files that use each bad chunk (found after the fact: a map for every chunk would cost
        // memory in proportion to the database).
        QHash<ChunkId, QStringList> users;
        for (const auto &b : bad)
            users.insert(b.first, {});
        if (!bad.isEmpty())
            for (const repo::BackupFileEntry &f : m->files)
                for (const ChunkId &c : f.chunks)
                    if (auto it = users.find(c); it != users.end() && it->size() < 3 && !it->contains(f.path))
                        *it << f.path;
        for (const auto &b : bad)
            check.problems << QStringLiteral("%1 (used by %2)").arg(b.second, users.value(b.first).join(QStringLiteral(", ")));
        // The WAL from start to end, each segment read back and checked.
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
    return out;
}

} // namespace pga::engine
