#include "BaseBackup.h"

#include "core/Buffer.h"
#include "core/Sha256.h"
#include "core/TarReader.h"
#include "core/WalName.h"
#include "core/Zstd.h"
#include "pg/BaseBackupStream.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace pga::engine {

namespace {

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
            files[d.file].chunks[d.index] = d.hex;
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
            const QString hex = Sha256::hexOf(Sha256::of(j.data.data(), j.data.size()));
            bool store = false;
            {
                std::lock_guard l(m_mutex);
                if (!m_seen.contains(hex)) {
                    m_seen.insert(hex);
                    store = true;
                }
            }
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
                    m_seen.remove(hex);
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
                m_results.push_back({j.file, j.index, hex});
            }
            m_free.push_back(std::move(j.data));
            m_cv.notify_all();
        }
    }

    struct Done {
        int file, index;
        QString hex;
    };
    repo::ChunkStore &m_store;
    int m_level;
    std::vector<Done> m_results;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_queue;
    std::vector<Buffer> m_free;
    std::vector<std::thread> m_threads;
    QSet<QString> m_seen;
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

} // namespace

namespace {

QString describe(const QString &segment, const QString &why) { return QStringLiteral("%1 (%2)").arg(segment, why); }

// Waits until every segment from the backup's start to its stop position is in the archive.
Status waitForWal(const repo::WalArchive &archive, quint32 tli, Lsn start, Lsn stop, quint64 segSize, int timeoutSec,
                  ProgressSink &progress, const CancelToken &cancel)
{
    const quint64 first = start.value() / segSize;
    const quint64 last = (stop.value() - 1) / segSize;
    QElapsedTimer t;
    t.start();
    quint64 next = first;
    bool told = false;
    for (;;) {
        while (next <= last) {
            const QString name = WalName::segmentName(tli, next, segSize);
            auto m = archive.meta(*WalName::parse(name));
            if (!m)
                break;
            ++next;
        }
        if (next > last)
            return {};
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled while waiting for WAL."));
        const QString missing = WalName::segmentName(tli, next, segSize);
        if (t.elapsed() > qint64(timeoutSec) * 1000)
            return Error(Error::Code::Timeout,
                         QStringLiteral("The WAL this backup needs to be consistent did not reach the archive within %1 s: %2 is "
                                        "missing (needed: %3 to %4). Check archive_command (it must be 'pgarchivist-cli "
                                        "archive-push --repo %5 --server %6 %p') and pg_stat_archiver on the server; the backup "
                                        "was not published.")
                             .arg(timeoutSec)
                             .arg(missing, WalName::segmentName(tli, first, segSize), WalName::segmentName(tli, last, segSize),
                                  archive.repository().root(), archive.server()));
        if (!told) {
            progress.info(describe(QStringLiteral("Waiting for WAL ") + missing, QStringLiteral("needed for consistency")));
            told = true;
        }
        QThread::msleep(200);
    }
}

// As root, a first backup creates the server's directory; archive_command (the server's OS user, who owns the
// repository) must still be able to add WAL there, so what we created is handed to the repository's owner.
void shareWithArchiver(const repo::Repository &repo, const QString &server)
{
    struct stat root;
    if (::geteuid() != 0 || ::stat(QFile::encodeName(repo.root()).constData(), &root) != 0 || root.st_uid == 0)
        return;
    (void)repo::makeDirectoryDurably(repo.walDir(server));
    for (const QString &p : QStringList{repo.serverDir(server), repo.serverDir(server) + QStringLiteral("/server.json"),
                             repo.serverDir(server) + QStringLiteral("/lock"), repo.walDir(server)}) {
        struct stat st;
        if (::lstat(QFile::encodeName(p).constData(), &st) == 0 && st.st_uid == 0)
            (void)::lchown(QFile::encodeName(p).constData(), root.st_uid, root.st_gid);
    }
}

} // namespace

Result<repo::BackupManifest> BaseBackup::run(ProgressSink &progress, const CancelToken &cancel)
{
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    if (Status s = repo::Repository::validateServerName(m_o.server); !s)
        return s.error();
    auto serverLock = repo->lock(m_o.server, repo::Repository::LockMode::Exclusive, 30000);
    if (!serverLock)
        return serverLock.error();
    auto chunkLock = repo->lock(QString(), repo::Repository::LockMode::Shared, 30000);
    if (!chunkLock)
        return chunkLock.error();

    pg::ConnectOptions co;
    co.conninfo = m_o.conninfo;
    co.password = m_o.password;
    co.replication = true;
    co.applicationName = QStringLiteral("pgarchivist backup");
    auto conn = pg::Connection::connect(co, &cancel);
    if (!conn)
        return conn.error();
    pg::Connection &c = **conn;
    if (c.serverVersionNum() < 150000)
        return Error(Error::Code::Unsupported, QStringLiteral("The server runs PostgreSQL %1; base backups need PostgreSQL 15 or newer.")
                                                   .arg(c.serverVersionNum() / 10000));
    auto ident = pg::identifySystem(c, cancel);
    if (!ident)
        return ident.error();
    auto segSize = pg::walSegmentSize(c, cancel);
    if (!segSize)
        return segSize.error();
    auto rec = repo->ensureServer(m_o.server, ident->systemIdentifier, c.serverVersionNum());
    if (!rec)
        return rec.error();

    shareWithArchiver(*repo, m_o.server);

    repo::BackupCatalog catalog(*repo, m_o.server);
    for (const QString &id : catalog.unfinishedIds()) {
        progress.info(QStringLiteral("Removing the unfinished backup %1 (it was never published).").arg(id));
        (void)catalog.remove(id);
    }
    QString id = repo::BackupCatalog::makeId(QDateTime::currentDateTimeUtc());
    while (QFileInfo::exists(catalog.dir(id))) {
        QThread::msleep(250);
        id = repo::BackupCatalog::makeId(QDateTime::currentDateTimeUtc());
    }

    repo::BackupManifest m;
    m.id = id;
    m.label = m_o.label.isEmpty() ? QStringLiteral("pgarchivist %1").arg(id) : m_o.label;
    m.server = m_o.server;
    m.systemIdentifier = ident->systemIdentifier;
    m.pgVersionNum = c.serverVersionNum();
    m.chunkSize = m_o.chunkSize;
    m.compressLevel = m_o.compressLevel;
    m.startTimeUtc = QDateTime::currentDateTimeUtc();

    repo::ChunkStore store(repo->chunksDir());
    ChunkPipeline pipeline(store, std::clamp(m_o.jobs, 1, 64), m_o.compressLevel, m_o.chunkSize);
    ChunkPipeline *pipe = &pipeline;
    Receiver rx(pipe, m, progress);
    progress.info(QStringLiteral("Backup %1 of server %2 (system identifier %3): starting (checkpoint %4)")
                      .arg(id, m_o.server)
                      .arg(ident->systemIdentifier)
                      .arg(m_o.fastCheckpoint ? QStringLiteral("fast") : QStringLiteral("spread")));
    pg::BaseBackupRequest req;
    req.label = m.label;
    req.fastCheckpoint = m_o.fastCheckpoint;
    req.maxRateKb = m_o.maxRateKb;
    auto end = pg::runBaseBackup(c, req, rx, cancel);
    if (end) {
        if (Status s = rx.finishArchive(); !s)
            end = s.error();
        else if (Status f = rx.flush(); !f)
            end = f.error();
    }
    Status workers = pipeline.stop();
    if (!end) {
        // A worker's failure (disk full) makes the reader stop too: report the root cause.
        if (!workers)
            return workers.error();
        return end.error();
    }
    if (!workers)
        return workers.error();
    conn->reset();
    pipeline.apply(m.files);
    m.timeline = end->startTimeline;
    m.startLsn = end->startLsn;
    m.stopLsn = end->stopLsn;
    m.stopTimeUtc = QDateTime::currentDateTimeUtc();
    m.newBytes = pipeline.newBytes();
    m.newChunks = pipeline.newChunks();
    const QByteArray serverManifest = rx.serverManifest();
    if (serverManifest.isEmpty())
        return Error(Error::Code::Query, QStringLiteral("The server sent no backup manifest."));
    m.backupManifestSha256 = Sha256::hexOf(Sha256::of(serverManifest.constData(), size_t(serverManifest.size())));
    if (Status s = store.syncDirectories(); !s)
        return s.error();
    progress.info(QStringLiteral("Data copied: %1 files, %2 bytes, %3 new chunks (%4 bytes stored); backup from %5 to %6 on timeline %7")
                      .arg(m.files.size())
                      .arg(m.logicalBytes)
                      .arg(m.newChunks)
                      .arg(m.newBytes)
                      .arg(m.startLsn.toString(), m.stopLsn.toString())
                      .arg(m.timeline));
    if (Status s = waitForWal(repo::WalArchive(*repo, m_o.server), m.timeline, m.startLsn, m.stopLsn, *segSize,
                              m_o.archiveTimeoutSec, progress, cancel);
        !s)
        return s.error();
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the backup was not published."));
    if (Status s = catalog.publish(m, serverManifest); !s)
        return s.error();
    progress.info(QStringLiteral("Backup %1 is complete.").arg(id));
    return m;
}

} // namespace pga::engine
