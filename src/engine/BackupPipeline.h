#pragma once

// Internal to BaseBackup: the bounded pipeline from the BASE_BACKUP stream to the chunk store.
#include "core/Buffer.h"
#include "core/ProgressSink.h"
#include "core/Sha256.h"
#include "core/TarReader.h"
#include "core/Zstd.h"
#include "pg/BaseBackupStream.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"

#include <QSet>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace pga::engine::detail {

// Chunks travel from the stream reader to the workers through a bounded queue; buffers come back through
// a free list, so memory is fixed at (queue + workers + 1) chunks whatever the database size.
class ChunkPipeline {
public:
    struct Job {
        Buffer data;
        int file = -1;
        int index = -1;
    };

    ChunkPipeline(repo::ChunkStore &store, int workers, int level, qint64 chunkSize)
        : m_store(store), m_level(level)
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
    // After stop(): every chunk's hash into its file entry.
    void apply(QList<repo::BackupFileEntry> &files) const
    {
        for (const Done &d : m_results)
            files[d.file].chunks[d.index] = d.id;
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
            const ChunkId id = ChunkId::fromDigest(Sha256::of(j.data.data(), j.data.size()));
            bool store = false;
            {
                std::lock_guard l(m_mutex);
                if (!m_seen.contains(id)) {
                    m_seen.insert(id);
                    store = true;
                }
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
                    m_seen.remove(id);
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
                m_results.push_back({j.file, j.index, id});
            }
            m_free.push_back(std::move(j.data));
            m_cv.notify_all();
        }
    }

    struct Done {
        int file, index;
        ChunkId id;
    };
    repo::ChunkStore &m_store;
    int m_level;
    std::vector<Done> m_results;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_queue;
    std::vector<Buffer> m_free;
    std::vector<std::thread> m_threads;
    QSet<ChunkId> m_seen;
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
    Receiver(ChunkPipeline *&pipe, repo::BackupManifest &m, ProgressSink &progress)
        : m_pipe(pipe), m_m(m), m_progress(progress), m_sink(*this) {}

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
        if (m_inManifest) {
            m_serverManifest.append(p, qsizetype(n));
            return {};
        }
        if (!m_tar)
            return Error(Error::Code::Query, QStringLiteral("The server sent backup data before naming an archive."));
        return m_tar->feed(p, n);
    }
    Status manifestStart() override
    {
        if (Status s = finishArchive(); !s)
            return s;
        m_inManifest = true;
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
        if (f.path.isEmpty())
            return {};
        m_m.files << f;
        m_m.logicalBytes += f.size;
        m_m.chunkCount += f.chunks.size();
        m_file = int(m_m.files.size()) - 1;
        m_chunkIndex = 0;
        return {};
    }
    Status tarData(const char *p, size_t n)
    {
        while (n > 0) {
            if (m_buf.isNull()) {
                m_buf = m_pipe->take();
                if (m_buf.isNull())
                    return m_pipe->error();
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
    QByteArray serverManifest() const { return m_serverManifest; }
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
        m_pipe->push({std::move(m_buf), m_file, m_chunkIndex++});
        m_buf = Buffer();
        return {};
    }

    ChunkPipeline *&m_pipe;
    repo::BackupManifest &m_m;
    ProgressSink &m_progress;
    std::unique_ptr<TarReader> m_tar;
    quint32 m_tablespace = 0;
    qint64 m_total = -1;
    bool m_inManifest = false;
    QByteArray m_serverManifest;
    Buffer m_buf;
    int m_file = -1;
    int m_chunkIndex = 0;
    TarSink m_sink;
};


} // namespace pga::engine::detail
