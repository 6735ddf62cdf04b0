#pragma once

// Internal to BaseBackup: the bounded pipeline from the BASE_BACKUP stream to the chunk store.
#include "core/Buffer.h"
#include "core/ProgressSink.h"
#include "core/RecentChunkIds.h"
#include "core/Sha256.h"
#include "core/TarReader.h"
#include "core/Zstd.h"
#include "pg/BaseBackupStream.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"


#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pga::engine::detail {

// What a backup (base or cold) holds while it writes: the repository open for writing, the server's lock exclusively
// (serialized with expire and other backups of it) and the repository's chunk lock shared.
struct BackupWriteLocks {
    repo::Repository repo;
    std::unique_ptr<repo::RepoLock> server;
    std::unique_ptr<repo::RepoLock> chunks;
};
inline Result<BackupWriteLocks> lockForBackup(const QString &repoDir, const QString &server)
{
    auto repo = repo::Repository::open(repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();
    if (Status s = repo::Repository::validateServerName(server); !s)
        return s.error();
    auto serverLock = repo->lock(server, repo::Repository::LockMode::Exclusive, 30000);
    if (!serverLock)
        return serverLock.error();
    auto chunkLock = repo->lock(QString(), repo::Repository::LockMode::Shared, 30000);
    if (!chunkLock)
        return chunkLock.error();
    return BackupWriteLocks{*repo, std::move(*serverLock), std::move(*chunkLock)};
}

// On object storage, a HEAD per chunk was most of a backup's requests: the chunks of the server's latest published
// backup (the server lock keeps expire from removing it meanwhile) are known present, and in an empty store nothing
// is. A damaged or unreadable latest list only means HEADs again.
inline Status primeChunkStore(repo::ChunkStore &store, const repo::BackupCatalog &catalog)
{
    return store.primeForBackup([&](const std::function<void(const ChunkId &)> &add) -> Status {
        auto ids = catalog.ids();
        if (!ids || ids->isEmpty())
            return {};
        auto latest = catalog.read(ids->last());
        if (!latest)
            return {};
        // Only a list that checked out to its end says what exists: a damaged one could name chunks that do not.
        std::vector<ChunkId> chunks;
        if (catalog.forEachFile(*latest, [&](repo::BackupFileEntry &e) {
                chunks.insert(chunks.end(), e.chunks.begin(), e.chunks.end());
                return Status();
            }))
            for (const ChunkId &c : chunks)
                add(c);
        return {};
    });
}

// Until manifest.json is written a backup directory is an unfinished backup: invisible, and removed here on every
// way out but success (after a kill, by the next backup or expire).
struct UnpublishedBackup {
    const repo::BackupCatalog &catalog;
    QString id;
    bool published = false;
    ~UnpublishedBackup()
    {
        if (!published)
            (void)catalog.remove(id);
    }
};

// Entries wait here until their chunks are hashed, then go to files.jsonl in stream order. Only entries whose
// chunks are still in the pipeline (or queued behind one that is) are held, so memory does not grow with the
// backup. Workers report chunks from their threads; the stream reader writes.
class PendingEntries {
public:
    explicit PendingEntries(repo::BackupFileListWriter &out) : m_out(out) {}

    qint64 add(repo::BackupFileEntry &&e)
    {
        std::lock_guard l(m_mutex);
        const int missing = int(e.chunks.size());
        m_queue.push_back({std::move(e), missing});
        return m_front + qint64(m_queue.size()) - 1;
    }
    void chunkDone(qint64 entry, int index, const ChunkId &id)
    {
        std::lock_guard l(m_mutex);
        Pending &p = m_queue[size_t(entry - m_front)];
        p.entry.chunks[index] = id;
        --p.missing;
    }
    // Writes the complete entries at the front.
    Status drain()
    {
        for (;;) {
            repo::BackupFileEntry e;
            {
                std::lock_guard l(m_mutex);
                if (m_queue.empty() || m_queue.front().missing > 0)
                    return {};
                e = std::move(m_queue.front().entry);
                m_queue.pop_front();
                ++m_front;
            }
            if (Status s = m_out.add(e); !s)
                return s;
        }
    }
    bool empty() const
    {
        std::lock_guard l(m_mutex);
        return m_queue.empty();
    }

private:
    struct Pending {
        repo::BackupFileEntry entry;
        int missing;
    };
    repo::BackupFileListWriter &m_out;
    mutable std::mutex m_mutex;
    std::deque<Pending> m_queue;
    qint64 m_front = 0;
};

// Chunks travel from the stream reader to the workers through a bounded queue; buffers come back through
// a free list, so memory is fixed at (queue + workers + 1) chunks whatever the database size.
class ChunkPipeline {
public:
    struct Job {
        Buffer data;
        qint64 entry = -1;
        int index = -1;
    };

    ChunkPipeline(repo::ChunkStore &store, PendingEntries &entries, int workers, int level, qint64 chunkSize)
        : m_store(store), m_entries(entries), m_level(level)
    {
        const int buffers = workers * 2 + 2;
        for (int i = 0; i < buffers; ++i)
            m_free.push_back(Buffer(size_t(chunkSize)));
        for (int i = 0; i < workers; ++i)
            m_threads.emplace_back([this, chunkSize] { work(chunkSize); });
    }
    ~ChunkPipeline() { (void)stop(); }

    // A buffer to fill; blocks while all are in flight (backpressure on the stream).
    Buffer take()
    {
        std::unique_lock l(m_mutex);
        m_cv.wait(l, [&] { return !m_free.empty() || m_failed; });
        if (m_failed)
            return {};
        Buffer b = std::move(m_free.back());
        m_free.pop_back();
        return b;
    }
    void give(Buffer &&b)
    {
        std::lock_guard l(m_mutex);
        m_free.push_back(std::move(b));
        m_cv.notify_all();
    }
    void push(Job &&j)
    {
        std::lock_guard l(m_mutex);
        m_queue.push_back(std::move(j));
        m_cv.notify_all();
    }
    // Waits for the queue to drain and the workers to end; the first worker error, if any.
    Status stop()
    {
        {
            std::lock_guard l(m_mutex);
            m_closing = true;
            m_cv.notify_all();
        }
        for (std::thread &t : m_threads)
            t.join();
        m_threads.clear();
        std::lock_guard l(m_mutex);
        return m_error.isError() ? Status(m_error) : Status();
    }
    Error error() const
    {
        std::lock_guard l(m_mutex);
        return m_error;
    }
    qint64 newBytes() const { return m_newBytes; }
    qint64 newChunks() const { return m_newChunks; }

private:
    void work(qint64 chunkSize)
    {
        Buffer out(zstd::bound(size_t(chunkSize)));
        for (;;) {
            Job j;
            {
                std::unique_lock l(m_mutex);
                m_cv.wait(l, [&] { return !m_queue.empty() || m_closing || m_failed; });
                if (m_failed || m_queue.empty())
                    return;
                j = std::move(m_queue.front());
                m_queue.pop_front();
            }
            const ChunkId id = m_store.nameOf(j.data.data(), j.data.size());
            bool store = false;
            {
                // A repeat met lately is not even looked up in the store. An id the set forgot is looked up again,
                // and a second put of a chunk that is only pending is counted out by ChunkStore::flush().
                std::lock_guard l(m_mutex);
                store = m_seen.insert(id);
            }
            const QString hex = store ? id.hex() : QString();  // the store names files by hex; only new ids go there
            Error err;
            if (store && !m_store.contains(hex)) {
                const size_t n = zstd::compressInto(j.data.data(), j.data.size(), out.data(), out.capacity(), m_level);
                if (!n) {
                    err = Error(Error::Code::Internal, QStringLiteral("zstd compression failed."));
                } else {
                    auto w = m_store.put(hex, out.data(), n);
                    if (!w)
                        err = w.error();
                    else if (*w > 0) {
                        std::lock_guard l(m_mutex);
                        m_newBytes += *w;
                        ++m_newChunks;
                    }
                }
                if (err.isError()) {
                    std::lock_guard l(m_mutex);
                    m_seen.forget(id);
                }
            } else if (store) {
                m_store.noteReferenced(hex);
            }
            std::lock_guard l(m_mutex);
            if (err.isError()) {
                if (!m_failed)
                    m_error = err;
                m_failed = true;
            } else {
                m_entries.chunkDone(j.entry, j.index, id);
            }
            m_free.push_back(std::move(j.data));
            m_cv.notify_all();
        }
    }

    repo::ChunkStore &m_store;
    PendingEntries &m_entries;
    int m_level;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_queue;
    std::vector<Buffer> m_free;
    std::vector<std::thread> m_threads;
    RecentChunkIds m_seen;
    bool m_closing = false;
    bool m_failed = false;
    Error m_error;
    qint64 m_newBytes = 0;
    qint64 m_newChunks = 0;
};

// Turns the BASE_BACKUP stream into manifest entries and chunk jobs.
class Receiver final : public pg::BaseBackupReceiver {
    // The tar side: entries and file content of the current archive.
    class TarSink final : public TarReader::Handler {
    public:
        explicit TarSink(Receiver &r) : m_r(r) {}
        Status entry(const TarEntry &e) override { return m_r.tarEntry(e); }
        Status data(const char *p, size_t n) override { return m_r.tarData(p, n); }
        Status entryEnd() override { return m_r.flush(); }

    private:
        Receiver &m_r;
    };

public:
    Receiver(ChunkPipeline &pipe, PendingEntries &entries, repo::BackupManifest &m, QString serverManifestPath, repo::FileOwner owner,
             ProgressSink &progress)
        : m_pipe(pipe), m_entries(entries), m_m(m), m_serverManifestPath(std::move(serverManifestPath)), m_owner(owner), m_progress(progress),
          m_sink(*this)
    {
    }

    Status started(Lsn, quint32, const QList<pg::TablespaceInfo> &tbs) override
    {
        for (const pg::TablespaceInfo &t : tbs) {
            if (t.sizeBytes > 0)
                m_total += t.sizeBytes;
            if (t.oid)
                m_m.tablespaces << repo::BackupTablespace{t.oid, t.location};
        }
        return {};
    }
    Status archive(const QString &name, const QString &location) override
    {
        if (Status s = finishArchive(); !s)
            return s;
        m_tablespace = 0;
        if (!location.isEmpty()) {
            for (const repo::BackupTablespace &t : m_m.tablespaces)
                if (t.location == location)
                    m_tablespace = t.oid;
            if (!m_tablespace)
                m_tablespace = name.section(QLatin1Char('.'), 0, 0).toUInt();
        }
        m_tar = std::make_unique<TarReader>(m_sink);
        return {};
    }
    Status data(const char *p, size_t n) override
    {
        if (m_serverManifest)
            return m_serverManifest->write(p, n);
        if (!m_tar)
            return Error(Error::Code::Query, QStringLiteral("The server sent backup data before naming an archive."));
        return m_tar->feed(p, n);
    }
    Status manifestStart() override
    {
        if (Status s = finishArchive(); !s)
            return s;
        auto w = repo::HashingFileWriter::create(m_serverManifestPath, m_owner);
        if (!w)
            return w.error();
        m_serverManifest = std::move(*w);
        return {};
    }
    void progress(qint64 done) override { m_progress.progress(done, m_total); }

    Status tarEntry(const TarEntry &e)
    {
        repo::BackupFileEntry f;
        f.path = e.path;
        f.tablespace = m_tablespace;
        f.mode = e.mode & 07777;
        f.mtime = e.mtime;
        if (e.type == TarEntry::Type::Directory)
            f.type = repo::BackupFileEntry::Type::Directory;
        else if (e.type == TarEntry::Type::Symlink) {
            f.type = repo::BackupFileEntry::Type::Symlink;
            f.link = e.linkTarget;
        } else {
            f.size = e.size;
            f.chunks.resize((e.size + m_m.chunkSize - 1) / m_m.chunkSize);
        }
        m_chunkIndex = 0;
        m_entry = -1;
        if (f.path.isEmpty())
            return {};
        m_m.logicalBytes += f.size;
        m_m.chunkCount += f.chunks.size();
        m_entry = m_entries.add(std::move(f));
        return m_entries.drain();
    }
    Status tarData(const char *p, size_t n)
    {
        while (n > 0) {
            if (m_buf.isNull()) {
                m_buf = m_pipe.take();
                if (m_buf.isNull())
                    return m_pipe.error();
                m_buf.resize(0);
            }
            const size_t take = std::min(n, m_buf.capacity() - m_buf.size());
            memcpy(m_buf.data() + m_buf.size(), p, take);
            m_buf.resize(m_buf.size() + take);
            p += take;
            n -= take;
            if (m_buf.size() == m_buf.capacity())
                if (Status s = flush(); !s)
                    return s;
        }
        return {};
    }
    // Durable backup_manifest and its SHA-256.
    Result<QString> finishServerManifest()
    {
        if (!m_serverManifest || m_serverManifest->bytes() == 0)
            return Error(Error::Code::Query, QStringLiteral("The server sent no backup manifest."));
        return m_serverManifest->finish();
    }
    Status finishArchive()
    {
        if (m_tar) {
            if (Status s = m_tar->finish(); !s)
                return s;
            m_tar.reset();
        }
        return {};
    }

    Status flush()
    {
        if (m_buf.isNull() || m_buf.size() == 0)
            return {};
        if (m_entry < 0)
            m_pipe.give(std::move(m_buf));  // data of a member without a name: nothing to keep it for
        else
            m_pipe.push({std::move(m_buf), m_entry, m_chunkIndex++});
        m_buf = Buffer();
        return {};
    }

    ChunkPipeline &m_pipe;
    PendingEntries &m_entries;
    repo::BackupManifest &m_m;
    QString m_serverManifestPath;
    repo::FileOwner m_owner;
    ProgressSink &m_progress;
    std::unique_ptr<TarReader> m_tar;
    quint32 m_tablespace = 0;
    qint64 m_total = -1;
    std::unique_ptr<repo::HashingFileWriter> m_serverManifest;
    Buffer m_buf;
    qint64 m_entry = -1;
    int m_chunkIndex = 0;
    TarSink m_sink;
};


// After the last chunk: the file list made durable and its checksum and count, the new bytes and chunks (less what a
// concurrent backup stored first) into the manifest, and the chunk directories synced. The manifest may be published next.
inline Status finishFileList(repo::BackupFileListWriter &fileList, const ChunkPipeline &pipeline, repo::ChunkStore &store,
                             repo::BackupManifest &m)
{
    auto sha = fileList.finish();
    if (!sha)
        return sha.error();
    m.fileListSha256 = *sha;
    m.fileCount = fileList.count();
    m.newBytes = pipeline.newBytes();
    m.newChunks = pipeline.newChunks();
    auto existed = store.flush();
    if (!existed)
        return existed.error();
    m.newBytes -= *existed;
    return store.syncDirectories();
}

} // namespace pga::engine::detail
