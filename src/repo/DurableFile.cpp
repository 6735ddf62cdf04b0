#include "DurableFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

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
        return Error(Error::Code::Io,
                     QStringLiteral("%1 %2 failed: permission denied. Check the owner and mode of the directory.").arg(what, path),
                     sys);
    if (e == ENOENT)
        return Error(Error::Code::NotFound, QStringLiteral("%1 %2 failed: no such file or directory.").arg(what, path), sys);
    return Error(Error::Code::Io, QStringLiteral("%1 %2 failed: %3.").arg(what, path, sys), sys);
}

Status syncDirectory(const QString &dir)
{
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

Status makeDirectoryDurably(const QString &dir)
{
    const QString abs = QFileInfo(dir).absoluteFilePath();
    if (QFileInfo(abs).isDir())
        return {};
    const QString parent = QFileInfo(abs).absolutePath();
    if (parent != abs)
        if (Status s = makeDirectoryDurably(parent); !s)
            return s;
    if (::mkdir(encode(abs).constData(), 0750) != 0 && errno != EEXIST)
        return ioError(QStringLiteral("Creating directory"), abs, errno);
    return syncDirectory(parent);
}

Status writeFileDurably(const QString &path, const QByteArray &data, Publish mode)
{
    return writeFileDurably(path, {QByteArrayView(data)}, mode);
}

Status writeFileDurably(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode)
{
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
    for (const QByteArrayView &part : parts) {
        const char *p = part.data();
        qint64 left = part.size();
        while (left > 0) {
            const ssize_t n = ::write(fd, p, size_t(left));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return failAndClean(QStringLiteral("Writing"), errno);
            }
            p += n;
            left -= n;
        }
    }
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

Result<QByteArray> readWholeFile(const QString &path, qint64 maxSize)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (!f.exists())
            return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path));
        return Error(Error::Code::Io, QStringLiteral("Cannot read %1.").arg(path), f.errorString());
    }
    if (f.size() > maxSize)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is implausibly large (%2 bytes).").arg(path).arg(f.size()));
    QByteArray data = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return Error(Error::Code::Io, QStringLiteral("Cannot read %1.").arg(path), f.errorString());
    return data;
}

} // namespace pga::repo
