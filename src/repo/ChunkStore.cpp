#include "ChunkStore.h"
#include "FileAccess.h"
#include "ObjectStorage.h"

#include "DurableFile.h"
#include "core/Sha256.h"
#include "core/Zstd.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace pga::repo {

ChunkStore::ChunkStore(QString chunksDir, FileOwner owner)
    : m_dir(std::move(chunksDir)), m_owner(owner), m_objects(m_dir.startsWith(QLatin1String("s3://")))
{
    const crypto::Binding b = crypto::bindingFor(m_dir + QStringLiteral("/00"));
    m_keys = b.keys;
    if (m_keys)
        m_relDir = b.relative.chopped(2);
}

bool ChunkStore::isHash(const QString &s)
{
    if (s.size() != 64)
        return false;
    for (QChar c : s)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    return true;
}

QString ChunkStore::pathFor(const QString &hex) const
{
    return m_dir + QLatin1Char('/') + hex.left(2) + QLatin1Char('/') + hex + QStringLiteral(".zst");
}

Status ChunkStore::primeForBackup(const std::function<Status(const std::function<void(const ChunkId &)> &add)> &primeFrom)
{
    if (!m_objects)
        return {};  // a stat(2) is cheap
    auto any = pathExists(m_dir);
    if (!any)
        return any.error();
    m_empty = !*any;
    if (m_empty)
        return {};
    return primeFrom([this](const ChunkId &id) { m_known.insert(id); });
}

bool ChunkStore::contains(const QString &hex) const
{
    if (m_objects) {
        if (m_empty)
            return false;
        if (!m_known.isEmpty())
            if (auto id = ChunkId::fromHex(hex); id && m_known.contains(*id))
                return true;
        auto size = object::size(pathFor(hex));
        return size && *size > 0;  // an error reads as absent: the chunk is stored (again), which is harmless
    }
    struct stat st;
    return ::stat(QFile::encodeName(pathFor(hex)).constData(), &st) == 0 && st.st_size > 0;
}

Result<qint64> ChunkStore::put(const QString &hex, const char *frame, size_t frameSize)
{
    QByteArray sealed;
    if (m_keys) {
        sealed = crypto::seal(*m_keys, relativePath(hex), {QByteArrayView(frame, qsizetype(frameSize))});
        frame = sealed.constData();
        frameSize = size_t(sealed.size());
    }
    if (m_objects) {
        // A plain PUT: the name is the content's hash, so a concurrent writer of the same name writes the same bytes.
        if (Status s = writeStoredBytes(pathFor(hex), {QByteArrayView(frame, qsizetype(frameSize))}, Publish::Replace); !s)
            return s.error();
        return qint64(frameSize);
    }
    const QString sub = m_dir + QLatin1Char('/') + hex.left(2);
    {
        std::lock_guard g(m_mutex);
        if (!m_made.contains(sub)) {
            if (::mkdir(QFile::encodeName(m_dir).constData(), 0750) == 0) {
                m_dirty << QFileInfo(m_dir).absolutePath();
                if (Status s = m_owner.applyToDirectory(m_dir); !s)
                    return s.error();
            }
            if (::mkdir(QFile::encodeName(sub).constData(), 0750) == 0) {
                m_dirty << m_dir;
                if (Status s = m_owner.applyToDirectory(sub); !s)
                    return s.error();
            } else if (errno != EEXIST) {
                return ioError(QStringLiteral("Creating the chunk directory"), sub, errno);
            }
            m_made << sub;
        }
    }
    const QString path = pathFor(hex);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const QString tmp = sub + QStringLiteral("/.") + hex + QStringLiteral(".tmp.%1.%2").arg(::getpid()).arg(rng() & 0xffffffffu, 8, 16, QLatin1Char('0'));
    const QByteArray tmpName = QFile::encodeName(tmp);
    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return ioError(QStringLiteral("Creating a chunk"), tmp, errno);
    if (Status s = m_owner.applyToFile(fd, tmp); !s) {
        ::close(fd);
        ::unlink(tmpName.constData());
        return s.error();
    }
    size_t done = 0;
    while (done < frameSize) {
        const ssize_t w = ::write(fd, frame + done, frameSize - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            const int e = w < 0 ? errno : ENOSPC;
            ::close(fd);
            ::unlink(tmpName.constData());
            return ioError(QStringLiteral("Writing a chunk"), tmp, e);
        }
        done += size_t(w);
    }
    if (m_deferred) {
        ::close(fd);
        bool full = false;
        {
            std::lock_guard g(m_mutex);
            m_pending.push_back({tmp, path, sub, qint64(frameSize)});
            full = m_pending.size() >= kMaxPending;
        }
        if (full) {
            auto f = flush();
            if (!f)
                return f.error();
        }
        return qint64(frameSize);
    }
    if (::fdatasync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        ::unlink(tmpName.constData());
        return ioError(QStringLiteral("Syncing a chunk"), tmp, e);
    }
    ::close(fd);
    const int l = ::link(tmpName.constData(), QFile::encodeName(path).constData());
    const int le = errno;
    ::unlink(tmpName.constData());
    if (l != 0 && le == EEXIST)
        return qint64(0);  // another backup stored the same content meanwhile
    if (l != 0)
        return ioError(QStringLiteral("Publishing a chunk"), path, le);
    std::lock_guard g(m_mutex);
    m_dirty << sub;
    return qint64(frameSize);
}

void ChunkStore::noteReferenced(const QString &hex)
{
    std::lock_guard g(m_mutex);
    m_dirty << m_dir + QLatin1Char('/') + hex.left(2);
}

Result<qint64> ChunkStore::flush()
{
    if (m_objects)
        return qint64(0);
    std::lock_guard f(m_flushMutex);
    std::vector<Pending> batch;
    {
        std::lock_guard g(m_mutex);
        batch.swap(m_pending);
    }
    if (batch.empty())
        return qint64(0);
    const int dfd = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::syncfs(dfd) != 0) {
        const int e = errno;
        if (dfd >= 0)
            ::close(dfd);
        return ioError(QStringLiteral("Syncing the chunk store"), m_dir, e);
    }
    ::close(dfd);
    qint64 existed = 0;
    QSet<QString> dirs;
    for (const Pending &p : batch) {
        const QByteArray tmp = QFile::encodeName(p.tmp);
        const int l = ::link(tmp.constData(), QFile::encodeName(p.path).constData());
        const int le = errno;
        ::unlink(tmp.constData());
        if (l != 0 && le == EEXIST)
            existed += p.size;
        else if (l != 0)
            return ioError(QStringLiteral("Publishing a chunk"), p.path, le);
        dirs << p.sub;
    }
    std::lock_guard g(m_mutex);
    m_dirty.unite(dirs);
    return existed;
}

Status ChunkStore::syncDirectories()
{
    if (m_deferred) {
        auto f = flush();
        if (!f)
            return f.error();
    }
    if (m_objects)
        return {};
    QSet<QString> dirs;
    {
        std::lock_guard g(m_mutex);
        dirs.swap(m_dirty);
    }
    // A backup touches up to 256 chunk directories; an fsync each is a journal commit each (~1 s in all on a
    // plain disk), where one syncfs commits every entry at once.
    if (dirs.size() > 8) {
        const int dfd = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0 && ::syncfs(dfd) == 0) {
            ::close(dfd);
            return {};
        }
        const int e = errno;
        if (dfd >= 0)
            ::close(dfd);
        return ioError(QStringLiteral("Syncing the chunk store"), m_dir, e);
    }
    // Children first, so a parent's entry never points at an unsynced directory.
    QStringList sorted(dirs.begin(), dirs.end());
    std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &d : sorted)
        if (Status s = syncDirectory(d); !s)
            return s;
    return {};
}

Status ChunkStore::readInto(const QString &hex, char *out, size_t rawSize) const
{
    const QString path = pathFor(hex);
    // read(2) into a per-thread buffer rather than mmap: unmapping each of thousands of chunks flushed the
    // TLBs of every CPU (a restore's workers run in parallel).
    if (m_objects) {
        auto data = readStoredBytes(path, crypto::sealedSize(qint64(zstd::bound(rawSize)) + 4096));
        if (!data && data.error().code == Error::Code::NotFound)
            return Error(Error::Code::Corrupt, QStringLiteral("Chunk %1 is missing from the repository (%2).").arg(hex, path));
        if (!data)
            return data.error();
        return checkFrame(hex, data->constData(), size_t(data->size()), out, rawSize, path);
    }
    thread_local std::vector<char> frame;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return Error(Error::Code::Corrupt, QStringLiteral("Chunk %1 is missing from the repository (%2).").arg(hex, path));
        return ioError(QStringLiteral("Reading"), path, errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return ioError(QStringLiteral("Reading"), path, e);
    }
    frame.resize(size_t(st.st_size));
    size_t got = 0;
    while (got < frame.size()) {
        const ssize_t n = ::read(fd, frame.data() + got, frame.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            ::close(fd);
            return ioError(QStringLiteral("Reading"), path, e);
        }
        got += size_t(n);
    }
    ::close(fd);
    return checkFrame(hex, frame.data(), frame.size(), out, rawSize, path);
}

Status ChunkStore::checkFrame(const QString &hex, const char *frame, size_t frameSize, char *out, size_t rawSize, const QString &path) const
{
    QByteArray opened;
    if (m_keys) {
        auto content = crypto::open(*m_keys, relativePath(hex), QByteArrayView(frame, qsizetype(frameSize)), path);
        if (!content)
            return Error(Error::Code::Corrupt, QStringLiteral("Chunk %1 is damaged: %2").arg(hex, content.error().message));
        opened = std::move(*content);
        frame = opened.constData();
        frameSize = size_t(opened.size());
    }
    if (Status s = zstd::decompressInto(frame, frameSize, out, rawSize); !s)
        return Error(Error::Code::Corrupt, QStringLiteral("Chunk %1 is damaged: it does not decompress to %2 bytes (%3).")
                                               .arg(hex).arg(rawSize).arg(path),
                     s.error().toString());
    if (nameOf(out, rawSize).hex() != hex)
        return Error(Error::Code::Corrupt, QStringLiteral("Chunk %1 is damaged: its content does not match its checksum (%2).").arg(hex, path));
    return {};
}

Status ChunkStore::verify(const QString &hex, size_t rawSize) const
{
    Buffer b(rawSize ? rawSize : 1);
    return readInto(hex, b.data(), rawSize);
}

Result<QStringList> ChunkStore::prefixes() const
{
    auto dirs = listDirectory(m_dir, EntryType::Directories);
    if (!dirs)
        return dirs.error();
    QStringList out;
    for (const QString &sub : *dirs)
        if (sub.size() == 2 && std::all_of(sub.begin(), sub.end(), [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); }))
            out << sub;
    return out;
}

Status ChunkStore::scan(const QString &prefix, const std::function<Status(const QString &hex, const QString &path)> &fn) const
{
    const QString dir = m_dir + QLatin1Char('/') + prefix;
    return forEachEntry(dir, EntryType::Files, true, [&](const QString &f) -> Status {
        QString hex;
        if (f.startsWith(QLatin1Char('.')))
            ;  // a temporary
        else if (f.size() == 68 && f.endsWith(QLatin1String(".zst")) && isHash(f.left(64)))
            hex = f.left(64);
        else
            return {};  // not ours: left alone
        return fn(hex, dir + QLatin1Char('/') + f);
    });
}

qint64 ChunkStore::storedSize(const QString &hex) const
{
    if (m_objects) {
        auto size = object::size(pathFor(hex));
        return size && *size > 0 ? *size : 0;
    }
    struct stat st;
    return ::stat(QFile::encodeName(pathFor(hex)).constData(), &st) == 0 ? qint64(st.st_size) : 0;
}

Status ChunkStore::remove(const QString &hex)
{
    const QString path = pathFor(hex);
    if (m_objects)
        return object::remove(path);
    if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
        return ioError(QStringLiteral("Removing a chunk"), path, errno);
    std::lock_guard g(m_mutex);
    m_dirty << QFileInfo(path).absolutePath();
    return {};
}

} // namespace pga::repo
