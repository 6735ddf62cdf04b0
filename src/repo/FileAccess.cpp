#include "FileAccess.h"
#include "ObjectStorage.h"
#include "DurableFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::repo {

namespace {

QByteArray enc(const QString &p) { return QFile::encodeName(p); }

// Directory or regular file, following a link; a dangling link or an entry we may not examine is an error.
Result<bool> entryMatches(const QString &dir, const char *name, unsigned char dtype, EntryType type)
{
    if (dtype == DT_DIR)
        return type == EntryType::Directories;
    if (dtype == DT_REG)
        return type == EntryType::Files;
    if (dtype != DT_LNK && dtype != DT_UNKNOWN)
        return false;  // sockets, fifos, devices: never ours
    const QString path = dir + QLatin1Char('/') + QFile::decodeName(name);
    struct stat st;
    if (::stat(enc(path).constData(), &st) != 0) {
        const int e = errno;
        struct stat lst;
        if (e == ENOENT && ::lstat(enc(path).constData(), &lst) == 0) {
            const QString target = QFileInfo(path).symLinkTarget();
            return Error(Error::Code::Corrupt,
                         QStringLiteral("%1 is a dangling symbolic link (to %2): whatever it stood for is not there. Restore its "
                                        "target or remove the link.")
                             .arg(path, target.isEmpty() ? QStringLiteral("?") : target));
        }
        return accessError(QStringLiteral("Examining"), path, e);
    }
    return type == EntryType::Directories ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

} // namespace

QString userName(uid_t uid)
{
    if (const passwd *pw = ::getpwuid(uid))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(uid);
}

QString groupName(gid_t gid)
{
    if (const group *g = ::getgrgid(gid))
        return QString::fromLocal8Bit(g->gr_name);
    return QString::number(gid);
}

QString runningUserName() { return userName(::geteuid()); }

QString describeAccess(const QString &path)
{
    QString p = QFileInfo(path).absoluteFilePath();
    struct stat st;
    bool first = true;
    while (::stat(enc(p).constData(), &st) != 0) {
        const QString parent = QFileInfo(p).absolutePath();
        if (parent == p)
            return QStringLiteral("this runs as %1").arg(runningUserName());
        p = parent;
        first = false;
    }
    return QStringLiteral("%1%2 is owned by %3:%4 with mode %5, and this runs as %6 (uid %7)")
        .arg(first ? QString() : QStringLiteral("it cannot be reached: "), p, userName(st.st_uid), groupName(st.st_gid))
        .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'))
        .arg(runningUserName())
        .arg(::geteuid());
}

Error accessError(const QString &what, const QString &path, int e)
{
    if (e != EACCES && e != EPERM)
        return ioError(what, path, e);
    struct stat st;
    const QString owner = ::stat(enc(path).constData(), &st) == 0 ? userName(st.st_uid) : QString();
    const QString asOwner = owner.isEmpty() || owner == runningUserName()
                                ? QStringLiteral("Run it as the repository's owner (the owner of pgarchivist-repo.json: sudo -u OWNER ...)")
                                : QStringLiteral("Run it as %1 (sudo -u %1 pgarchivist-cli ...)").arg(owner);
    return Error(Error::Code::Permission,
                 QStringLiteral("%1 %2 failed: permission denied (%3). %4, or give this user read access to the whole "
                                "repository (a repository made with 'repo-init --group GROUP' is readable by that group).")
                     .arg(what, path, describeAccess(path), asOwner),
                 QString::fromLocal8Bit(std::strerror(e)));
}

Status forEachEntry(const QString &dir, EntryType type, bool includeHidden, const std::function<Status(const QString &name)> &fn)
{
    if (isObjectPath(dir))
        return object::forEachEntry(dir, type, includeHidden, fn);
    DIR *d = ::opendir(enc(dir).constData());
    if (!d)
        return accessError(QStringLiteral("Listing"), dir, errno);
    Status result;
    for (;;) {
        errno = 0;
        const dirent *e = ::readdir(d);
        if (!e) {
            if (errno != 0)
                result = accessError(QStringLiteral("Listing"), dir, errno);
            break;
        }
        const char *n = e->d_name;
        if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)))
            continue;
        if (n[0] == '.' && !includeHidden)
            continue;
        auto match = entryMatches(dir, n, e->d_type, type);
        if (!match) {
            result = match.error();
            break;
        }
        if (!*match)
            continue;
        if (Status s = fn(QFile::decodeName(n)); !s) {
            result = s;
            break;
        }
    }
    ::closedir(d);
    return result;
}

Result<QStringList> listDirectory(const QString &dir, EntryType type, bool includeHidden, bool missingIsEmpty)
{
    auto present = isObjectPath(dir) && missingIsEmpty ? Result<bool>(true) : pathExists(dir);
    if (!present)
        return present.error();
    if (!*present) {
        if (missingIsEmpty)
            return QStringList();
        return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(dir));
    }
    QStringList out;
    Status s = forEachEntry(dir, type, includeHidden, [&](const QString &name) {
        out << name;
        return Status();
    });
    if (!s)
        return s.error();
    std::sort(out.begin(), out.end());
    return out;
}

Status removeFile(const QString &path)
{
    if (isObjectPath(path))
        return object::remove(path);
    if (::unlink(enc(path).constData()) != 0 && errno != ENOENT)
        return accessError(QStringLiteral("Removing"), path, errno);
    return {};
}

Status removeTree(const QString &dir)
{
    if (isObjectPath(dir))
        return object::removeTree(dir);
    if (!QDir(dir).removeRecursively())
        return Error(Error::Code::Io, QStringLiteral("Could not remove %1 (or something in it).").arg(dir));
    return {};
}

Result<bool> pathExists(const QString &path)
{
    if (isObjectPath(path))
        return object::exists(path);
    struct stat st;
    if (::stat(enc(path).constData(), &st) == 0)
        return true;
    const int e = errno;
    if (e == ENOTDIR)
        return false;
    if (e == ENOENT) {
        struct stat lst;
        if (::lstat(enc(path).constData(), &lst) == 0)  // the name is there but leads nowhere
            return Error(Error::Code::Corrupt, QStringLiteral("%1 is a dangling symbolic link (to %2). Restore its target or remove the link.")
                                                   .arg(path, QFileInfo(path).symLinkTarget()));
        return false;
    }
    return accessError(QStringLiteral("Examining"), path, e);
}

} // namespace pga::repo
