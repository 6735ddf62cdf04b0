#include "DurableFile.h"
#include "Encryption.h"
#include "ObjectStorage.h"
#include "FileAccess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::repo {

namespace {

QByteArray encode(const QString &p) { return QFile::encodeName(p); }

QString tempNameFor(const QString &path)
{
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const QFileInfo fi(path);
    return fi.absolutePath() + QStringLiteral("/.") + fi.fileName()
           + QStringLiteral(".tmp.%1.%2").arg(::getpid()).arg(rng() & 0xffffffffu, 8, 16, QLatin1Char('0'));
}

bool inGroup(gid_t gid)
{
    gid_t groups[256];
    const int n = ::getgroups(256, groups);
    return std::find(groups, groups + std::max(n, 0), gid) != groups + std::max(n, 0);
}

} // namespace

Error ioError(const QString &what, const QString &path, int e)
{
    const QString sys = QString::fromLocal8Bit(std::strerror(e));
    if (e == ENOSPC || e == EDQUOT || e == EFBIG)
        return Error(Error::Code::DiskFull,
                     QStringLiteral("%1 %2 failed: the disk is full (or a size limit was hit). Free space and try again.")
                         .arg(what, path),
                     sys);
    if (e == EACCES || e == EPERM)
        return accessError(what, path, e);
    if (e == ENOENT)
        return Error(Error::Code::NotFound, QStringLiteral("%1 %2 failed: no such file or directory.").arg(what, path), sys);
    return Error(Error::Code::Io, QStringLiteral("%1 %2 failed: %3.").arg(what, path, sys), sys);
}

void useRepositoryUmask() { ::umask(027); }

Status FileOwner::applyToFile(int fd, const QString &path) const
{
    if (isSet() && ::fchown(fd, uid_t(uid), gid_t(gid)) != 0)
        return ioError(QStringLiteral("Giving to the repository's owner"), path, errno);
    if (::fchmod(fd, 0640) != 0)  // whatever the umask: a shared repository's group must read it
        return ioError(QStringLiteral("Setting the mode of"), path, errno);
    return {};
}

Status FileOwner::applyToDirectory(const QString &path) const
{
    const QByteArray p = encode(path);
    if (isSet() && ::chown(p.constData(), uid_t(uid), gid_t(gid)) != 0)
        return ioError(QStringLiteral("Giving to the repository's owner"), path, errno);
    struct stat st;
    if (::stat(p.constData(), &st) != 0)
        return ioError(QStringLiteral("Examining"), path, errno);
    const mode_t want = 0750 | (st.st_mode & S_ISGID);  // setgid comes from a shared repository's parent
    // chmod by someone outside the directory's group drops setgid: then leave the mode mkdir gave it.
    const bool keepsSetgid = !(st.st_mode & S_ISGID) || ::geteuid() == 0 || st.st_gid == ::getegid() || inGroup(st.st_gid);
    if ((st.st_mode & 07777) != want && keepsSetgid && ::chmod(p.constData(), want) != 0)
        return ioError(QStringLiteral("Setting the mode of"), path, errno);
    return {};
}

Status syncDirectory(const QString &dir)
{
    if (isObjectPath(dir))
        return {};  // a completed PUT is durable; there is no directory entry to sync
    const int fd = ::open(encode(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioError(QStringLiteral("Opening directory"), dir, errno);
    const int r = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    if (r != 0)
        return ioError(QStringLiteral("Syncing directory"), dir, e);
    return {};
}

Status makeDirectoryDurably(const QString &dir, const FileOwner &owner)
{
    if (isObjectPath(dir))
        return {};  // prefixes exist by having objects under them
    const QString abs = QFileInfo(dir).absoluteFilePath();
    struct stat st;
    if (::stat(encode(abs).constData(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return {};
        return Error(Error::Code::Io, QStringLiteral("%1 exists and is not a directory.").arg(abs));
    }
    if (errno != ENOENT)
        return accessError(QStringLiteral("Examining"), abs, errno);
    const QString parent = QFileInfo(abs).absolutePath();
    if (parent != abs)
        if (Status s = makeDirectoryDurably(parent, owner); !s)
            return s;
    if (::mkdir(encode(abs).constData(), 0750) != 0) {
        if (errno == EEXIST)
            return {};  // a concurrent writer made it
        return ioError(QStringLiteral("Creating directory"), abs, errno);
    }
    if (Status s = owner.applyToDirectory(abs); !s)
        return s;
    return syncDirectory(parent);
}

Status writeFileDurably(const QString &path, const QByteArray &data, Publish mode, const FileOwner &owner)
{
    return writeFileDurably(path, {QByteArrayView(data)}, mode, owner);
}

namespace {

// Writes every part to fd; errno of the failure, 0 when all was written.
int writeParts(int fd, std::initializer_list<QByteArrayView> parts)
{
    for (const QByteArrayView &part : parts) {
        const char *p = part.data();
        qint64 left = part.size();
        while (left > 0) {
            const ssize_t n = ::write(fd, p, size_t(left));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return errno;
            }
            p += n;
            left -= n;
        }
    }
    return 0;
}

// IfAbsent through an unnamed file (O_TMPFILE): nothing is visible until linkat names the complete, fsynced
// file, and a killed process leaves nothing behind. Returns false (nothing done) where the file system or
// kernel cannot do it, so the caller uses a named temporary.
bool publishAnonymously(const QString &path, std::initializer_list<QByteArrayView> parts, const FileOwner &owner, Status *result)
{
#ifdef O_TMPFILE
    const int fd = ::open(encode(QFileInfo(path).absolutePath()).constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0640);
    if (fd < 0)
        return false;  // EOPNOTSUPP, EISDIR (old kernel), ...: fall back; real errors show up there again
    if (Status s = owner.applyToFile(fd, path); !s) {
        ::close(fd);
        *result = s;
        return true;
    }
    if (const int e = writeParts(fd, parts)) {
        ::close(fd);
        *result = ioError(QStringLiteral("Writing"), path, e);
        return true;
    }
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        *result = ioError(QStringLiteral("Syncing"), path, e);
        return true;
    }
    const QByteArray procPath = "/proc/self/fd/" + QByteArray::number(fd);
    const int r = ::linkat(AT_FDCWD, procPath.constData(), AT_FDCWD, encode(path).constData(), AT_SYMLINK_FOLLOW);
    const int e = errno;
    ::close(fd);
    if (r != 0) {
        if (e == EEXIST)
            *result = Error(Error::Code::Conflict, QStringLiteral("%1 already exists.").arg(path));
        else if (e == ENOENT && !QFileInfo::exists(QString::fromLatin1(procPath)))
            return false;  // no /proc: the named temporary works everywhere
        else
            *result = ioError(QStringLiteral("Publishing"), path, e);
        return true;
    }
    *result = syncDirectory(QFileInfo(path).absolutePath());
    return true;
#else
    (void)path;
    (void)parts;
    (void)owner;
    (void)result;
    return false;
#endif
}

} // namespace

Status writeFileDurably(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode, const FileOwner &owner)
{
    if (const crypto::Binding b = crypto::bindingFor(path); b.keys) {
        const QByteArray sealed = crypto::seal(*b.keys, b.relative, parts);
        return writeStoredBytes(path, {QByteArrayView(sealed)}, mode, owner);
    }
    return writeStoredBytes(path, parts, mode, owner);
}

Status writeStoredBytes(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode, const FileOwner &owner)
{
    if (isObjectPath(path))
        return object::write(path, parts, mode);
    if (Status anonymous; mode == Publish::IfAbsent && publishAnonymously(path, parts, owner, &anonymous))
        return anonymous;
    const QString tmp = tempNameFor(path);
    const QByteArray tmpC = encode(tmp);
    const int fd = ::open(tmpC.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return ioError(QStringLiteral("Creating"), tmp, errno);
    auto failAndClean = [&](const QString &what, int e) {
        ::close(fd);
        ::unlink(tmpC.constData());
        return ioError(what, path, e);
    };
    if (Status s = owner.applyToFile(fd, path); !s) {
        ::close(fd);
        ::unlink(tmpC.constData());
        return s;
    }
    if (const int e = writeParts(fd, parts))
        return failAndClean(QStringLiteral("Writing"), e);
    if (::fsync(fd) != 0)
        return failAndClean(QStringLiteral("Syncing"), errno);
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(tmpC.constData());
        return ioError(QStringLiteral("Closing"), path, e);
    }
    const QByteArray finalC = encode(path);
    if (mode == Publish::IfAbsent) {
        const int r = ::link(tmpC.constData(), finalC.constData());
        const int e = errno;
        ::unlink(tmpC.constData());
        if (r != 0) {
            if (e == EEXIST)
                return Error(Error::Code::Conflict, QStringLiteral("%1 already exists.").arg(path));
            return ioError(QStringLiteral("Publishing"), path, e);
        }
    } else if (::rename(tmpC.constData(), finalC.constData()) != 0) {
        const int e = errno;
        ::unlink(tmpC.constData());
        return ioError(QStringLiteral("Renaming into place"), path, e);
    }
    return syncDirectory(QFileInfo(path).absolutePath());
}

Result<std::unique_ptr<HashingFileWriter>> HashingFileWriter::create(const QString &path, const FileOwner &owner)
{
    std::unique_ptr<HashingFileWriter> out;
    if (isObjectPath(path)) {
        auto w = object::StreamWriter::create(path);
        if (!w)
            return w.error();
        out.reset(new HashingFileWriter(path, -1));
        out->m_object = std::move(*w);
    } else {
        const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0)
            return ioError(QStringLiteral("Creating"), path, errno);
        if (Status s = owner.applyToFile(fd, path); !s) {
            ::close(fd);
            return s.error();
        }
        out.reset(new HashingFileWriter(path, fd));
    }
    if (const crypto::Binding b = crypto::bindingFor(path); b.keys)
        out->m_sealer = std::make_unique<crypto::Sealer>(b.keys, b.relative);
    return out;
}

HashingFileWriter::HashingFileWriter(QString path, int fd) : m_path(std::move(path)), m_fd(fd) {}

HashingFileWriter::~HashingFileWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status HashingFileWriter::write(const char *data, size_t size)
{
    m_sha.add(data, size);
    m_bytes += qint64(size);
    m_buf.append(data, qsizetype(size));
    return m_buf.size() >= (1 << 20) ? drain() : Status();
}

Status HashingFileWriter::drain(bool last)
{
    QByteArray stored = m_sealer ? m_sealer->add(m_buf.constData(), size_t(m_buf.size())) : m_buf;
    if (m_sealer && last)
        stored += m_sealer->finish();
    m_buf.clear();
    if (m_object)
        return m_object->write(stored.constData(), size_t(stored.size()));
    if (const int e = writeParts(m_fd, {QByteArrayView(stored)}))
        return ioError(QStringLiteral("Writing"), m_path, e);
    return {};
}

Result<QString> HashingFileWriter::finish()
{
    if (Status s = drain(true); !s)
        return s.error();
    if (m_object) {
        if (Status s = m_object->finish(); !s)
            return s.error();
        return m_sha.finishHex();
    }
    if (::fdatasync(m_fd) != 0)
        return ioError(QStringLiteral("Syncing"), m_path, errno);
    if (Status s = syncDirectory(QFileInfo(m_path).absolutePath()); !s)
        return s.error();
    return m_sha.finishHex();
}

Result<QByteArray> readWholeFile(const QString &path, qint64 maxSize)
{
    const crypto::Binding b = crypto::bindingFor(path);
    auto stored = readStoredBytes(path, b.keys ? crypto::sealedSize(maxSize) : maxSize);
    if (!stored || !b.keys)
        return stored;
    return crypto::open(*b.keys, b.relative, *stored, path);
}

Result<QByteArray> readStoredBytes(const QString &path, qint64 maxSize)
{
    if (isObjectPath(path))
        return object::read(path, maxSize);
    // Opened by hand: QFile says "does not exist" for a file behind a directory we may not search.
    const int fd = ::open(encode(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        if (e == ENOENT)
            return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path));
        return accessError(QStringLiteral("Reading"), path, e);
    }
    QFile f;
    if (!f.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return Error(Error::Code::Io, QStringLiteral("Cannot read %1.").arg(path), f.errorString());
    }
    if (f.size() > maxSize)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is implausibly large (%2 bytes).").arg(path).arg(f.size()));
    QByteArray data = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return Error(Error::Code::Io, QStringLiteral("Cannot read %1.").arg(path), f.errorString());
    return data;
}

Status removePublishedDirectory(const QString &dir, const QString &manifest, const QString &what)
{
    const QString path = dir + QLatin1Char('/') + manifest;
    if (isObjectPath(dir)) {
        if (Status s = object::remove(path); !s)
            return s;
        return object::removeTree(dir);
    }
    struct stat st{};
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0) {
        if (::unlink(QFile::encodeName(path).constData()) != 0)
            return ioError(QStringLiteral("Removing"), path, errno);
        if (Status s = syncDirectory(dir); !s)
            return s;
    } else if (errno != ENOENT) {
        return ioError(QStringLiteral("Examining"), path, errno);
    }
    if (!QDir(dir).removeRecursively())
        return Error(Error::Code::Io, QStringLiteral("Could not remove %1 %2.").arg(what, dir));
    return syncDirectory(QFileInfo(dir).absolutePath());
}

} // namespace pga::repo
