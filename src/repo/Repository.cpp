#include "Repository.h"
#include "DurableFile.h"
#include "FileAccess.h"
#include "Encryption.h"
#include "ObjectStorage.h"
#include "core/Sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>
#include <QElapsedTimer>

#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <unistd.h>

namespace pga::repo {

namespace {

const QString kMarker = QStringLiteral("pgarchivist-repo.json");

} // namespace

Result<QJsonObject> Repository::readJson(const QString &path)
{
    auto data = readWholeFile(path, 16 << 20);
    if (!data)
        return data.error();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error(Error::Code::Corrupt,
                     QStringLiteral("%1 is not valid JSON (%2 at offset %3). Restore it from a copy or re-create it.")
                         .arg(path, pe.errorString())
                         .arg(pe.offset));
    return doc.object();
}

namespace {

QString normalizedObjectRoot(const QString &url)
{
    QString root = url;
    while (root.endsWith(QLatin1Char('/')))
        root.chop(1);
    return root;
}

// Object storage cannot hold a flock: the lock is a local file named after the repository URL, in one directory
// that every user on this host shares (sticky, like /tmp), so that the archiver (as postgres), a backup (as root)
// and the GUI exclude each other here. Hosts do not exclude each other, as with pgBackRest's lock-path.
Result<std::pair<int, QString>> openObjectStoreLock(const QString &root, const QString &server)
{
    QString dir = qEnvironmentVariable("PGARCHIVIST_LOCK_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral("/tmp/pgarchivist-locks");
    const QByteArray d = QFile::encodeName(dir);
    if (::mkdir(d.constData(), 01777) == 0)
        (void)::chmod(d.constData(), 01777);  // the umask took the bits away
    else if (errno != EEXIST)
        return ioError(QStringLiteral("Creating the lock directory"), dir, errno);
    const QString path = dir + QLatin1Char('/') + Sha256::hexOf((root + QLatin1Char('\n') + server).toUtf8()).left(24) + QStringLiteral(".lock");
    // Opened without O_CREAT first: with fs.protected_regular, O_CREAT on another user's file in a sticky directory
    // is refused even when the file itself may be opened.
    int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return accessError(QStringLiteral("Opening the lock file of %1").arg(root), path, errno);
    (void)::fchmod(fd, 0666);  // whoever made it first, every user of the repository must be able to lock it
    return std::make_pair(fd, path);
}

} // namespace

Result<std::pair<int, QString>> Repository::openObjectStoreLock(const QString &server) const
{
    return pga::repo::openObjectStoreLock(m_root, server);
}

Result<Repository> Repository::initObjectStore(const QString &url, const InitOptions &options)
{
    if (!options.owner.isEmpty() || !options.group.isEmpty())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("--owner and --group apply to repositories on a file system; on object storage the bucket policy "
                                    "decides who reads and writes."));
    const QString root = normalizedObjectRoot(url);
    auto present = pathExists(root + QLatin1Char('/') + kMarker);
    if (!present)
        return present.error();
    if (*present)
        return Error(Error::Code::Conflict, QStringLiteral("%1 is already a pgArchivist repository.").arg(root));
    QJsonObject marker{{QStringLiteral("format"), kFormat},
                       {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("generator"), QStringLiteral("pgarchivist " PGA_VERSION)},
                       {QStringLiteral("storage"), QStringLiteral("s3")}};
    if (Status s = prepareEncryption(root, options, marker, {}); !s)
        return s.error();
    if (Status s = writeFileDurably(root + QLatin1Char('/') + kMarker, QJsonDocument(marker).toJson(), Publish::IfAbsent); !s)
        return s.error();
    return open(root);
}

RepoLock::~RepoLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status Repository::validateServerName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,62}$"));
    if (!re.match(name).hasMatch())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("'%1' is not a valid server name: use 1-63 letters, digits, '.', '_' or '-', not "
                                    "starting with '.'.")
                         .arg(name));
    return {};
}

Result<Repository> Repository::init(const QString &dir, const InitOptions &options)
{
    if (isObjectPath(dir))
        return initObjectStore(dir, options);
    const QString root = QFileInfo(dir).absoluteFilePath();
    if (QFileInfo::exists(root + QLatin1Char('/') + kMarker))
        return Error(Error::Code::Conflict, QStringLiteral("%1 is already a pgArchivist repository.").arg(root));
    if (QFileInfo(root).exists() && !QFileInfo(root).isDir())
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 exists and is not a directory.").arg(root));
    FileOwner owner;
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (!options.owner.isEmpty()) {
        const passwd *pw = ::getpwnam(options.owner.toLocal8Bit().constData());
        if (!pw)
            return Error(Error::Code::InvalidArgument, QStringLiteral("The user '%1' does not exist.").arg(options.owner));
        if (pw->pw_uid != uid && uid != 0)
            return Error(Error::Code::Permission, QStringLiteral("Only root can make a repository for another user: run 'sudo "
                                                                 "pgarchivist-cli repo-init --owner %1 ...', or run it as %1.")
                                                      .arg(options.owner));
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    if (!options.group.isEmpty()) {
        const group *g = ::getgrnam(options.group.toLocal8Bit().constData());
        if (!g)
            return Error(Error::Code::InvalidArgument, QStringLiteral("The group '%1' does not exist; create it with 'groupadd %1'.").arg(options.group));
        gid = g->gr_gid;
    }
    if (uid != ::geteuid() || gid != ::getegid())
        owner = FileOwner{int(uid), int(gid)};
    if (Status s = makeDirectoryDurably(root, owner); !s)
        return s.error();
    if (owner.isSet())  // it may have existed (made by someone else): the repository's owner must enter it
        if (Status s = owner.applyToDirectory(root); !s)
            return s.error();
    if (!options.group.isEmpty()) {
        // The root may have existed: give it the group now; mkdir passes setgid and the group on to what is below.
        if (::chown(QFile::encodeName(root).constData(), uid, gid) != 0)
            return accessError(QStringLiteral("Giving the group %1 to").arg(options.group), root, errno);
        if (::chmod(QFile::encodeName(root).constData(), 02750) != 0)
            return accessError(QStringLiteral("Setting the mode of"), root, errno);
    }
    for (const QString &sub : {QStringLiteral("servers"), QStringLiteral("chunks")})
        if (Status s = makeDirectoryDurably(root + QLatin1Char('/') + sub, owner); !s)
            return s.error();
    QJsonObject marker{{QStringLiteral("format"), kFormat},
                       {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("generator"), QStringLiteral("pgarchivist " PGA_VERSION)},
                       {QStringLiteral("owner"), userName(uid)}};
    if (!options.group.isEmpty())
        marker.insert(QStringLiteral("group"), options.group);
    if (Status s = prepareEncryption(root, options, marker, owner); !s)
        return s.error();
    // The marker is written last: a half-initialized directory is not mistaken for a repository.
    if (Status s = writeFileDurably(root + QLatin1Char('/') + kMarker, QJsonDocument(marker).toJson(), Publish::IfAbsent, owner); !s)
        return s.error();
    return open(root);
}

Result<Repository> Repository::open(const QString &dir, Access access)
{
    if (dir.isEmpty())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("No repository given. Pass --repo DIR or set PGARCHIVIST_REPO."));
    const QString root = isObjectPath(dir) ? normalizedObjectRoot(dir) : QFileInfo(dir).absoluteFilePath();
    const QString markerPath = root + QLatin1Char('/') + kMarker;
    // On object storage a GET says "absent" as well as a HEAD would: one round trip, not two (archive-push pays it).
    auto present = isObjectPath(root) ? Result<bool>(true) : pathExists(markerPath);
    if (!present)
        return present.error();
    if (!*present)
        return Error(Error::Code::NotFound,
                     QStringLiteral("%1 is not a pgArchivist repository (no %2). Create one with "
                                    "'pgarchivist-cli repo-init --repo %1'.")
                         .arg(root, kMarker));
    auto marker = readJson(markerPath);
    if (!marker && marker.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound,
                     QStringLiteral("%1 is not a pgArchivist repository (no %2). Create one with "
                                    "'pgarchivist-cli repo-init --repo %1'.")
                         .arg(root, kMarker));
    if (!marker)
        return marker.error();
    const int format = marker->value(QStringLiteral("format")).toInt(-1);
    if (format != kFormat && format != kEncryptedFormat)
        return Error(Error::Code::Unsupported,
                     QStringLiteral("The repository %1 has format %2; this pgArchivist reads formats %3 and %4 only. Use the "
                                    "pgArchivist version that wrote it.")
                         .arg(root)
                         .arg(format)
                         .arg(kFormat)
                         .arg(kEncryptedFormat));
    if (isObjectPath(root)) {
        // Object storage has no owners to check: whoever holds the credentials writes (the bucket policy decides).
        Repository repo(root);
        repo.m_shared = marker->contains(QStringLiteral("group"));
        repo.m_mayWrite = true;
        if (Status s = repo.unlock(*marker); !s)
            return s.error();
        return repo;
    }
    struct stat st;
    if (::stat(QFile::encodeName(markerPath).constData(), &st) != 0)
        return accessError(QStringLiteral("Examining"), markerPath, errno);
    Repository repo(root);
    repo.m_ownerName = userName(st.st_uid);
    repo.m_groupName = pga::repo::groupName(st.st_gid);
    repo.m_shared = marker->contains(QStringLiteral("group"));
    repo.m_mayWrite = st.st_uid == ::geteuid() || ::geteuid() == 0;
    if (::geteuid() == 0 && st.st_uid != 0)
        repo.m_cacheOwner = FileOwner{int(st.st_uid), int(st.st_gid)};
    if (access == Access::Write && st.st_uid != ::geteuid()) {
        if (::geteuid() != 0)
            return Error(Error::Code::Permission,
                         QStringLiteral("The repository %1 belongs to %2 (the owner of %3), and only its owner writes it; this runs as "
                                        "%4. Run the command as %2: 'sudo -u %2 pgarchivist-cli ...'.%5")
                             .arg(root, repo.m_ownerName, kMarker, runningUserName(),
                                  repo.m_shared ? QStringLiteral(" Members of the group %1 may read it (info, verify, restore), not write it.")
                                                      .arg(repo.m_groupName)
                                                : QString()));
        repo.m_writeAs = FileOwner{int(st.st_uid), int(st.st_gid)};  // root writes as the owner
    }
    if (Status s = repo.unlock(*marker); !s)
        return s.error();
    return repo;
}

QString Repository::rootFor(const QString &dir)
{
    return isObjectPath(dir) ? normalizedObjectRoot(dir) : QFileInfo(dir).absoluteFilePath();
}

QString Repository::serverDir(const QString &server) const { return m_root + QStringLiteral("/servers/") + server; }
QString Repository::walDir(const QString &server) const { return serverDir(server) + QStringLiteral("/wal"); }
QString Repository::timelineDir(const QString &server, quint32 tli) const
{
    return walDir(server) + QStringLiteral("/%1").arg(tli, 8, 16, QLatin1Char('0')).toUpper();
}
QString Repository::backupsDir(const QString &server) const { return serverDir(server) + QStringLiteral("/backups"); }
QString Repository::landmarksDir(const QString &server) const { return serverDir(server) + QStringLiteral("/landmarks"); }
QString Repository::chunksDir() const { return m_root + QStringLiteral("/chunks"); }
QString Repository::expireScratchDir() const
{
    if (onObjectStorage())  // a scratch set is local work, not repository content
        return QDir::tempPath() + QStringLiteral("/pgarchivist-expire-") + Sha256::hexOf(m_root.toUtf8()).left(16);
    return m_root + QStringLiteral("/.expire-referenced");
}

Result<QStringList> Repository::servers() const
{
    const QString root = m_root + QStringLiteral("/servers");
    auto dirs = listDirectory(root, EntryType::Directories);
    if (!dirs)
        return dirs.error();
    QStringList out;
    for (const QString &e : *dirs) {
        auto has = pathExists(root + QLatin1Char('/') + e + QStringLiteral("/server.json"));
        if (!has)
            return has.error();
        if (*has)
            out << e;
    }
    return out;
}

Result<ServerRecord> Repository::server(const QString &name) const
{
    if (Status s = validateServerName(name); !s)
        return s.error();
    const QString path = serverDir(name) + QStringLiteral("/server.json");
    auto present = onObjectStorage() ? Result<bool>(true) : pathExists(path);
    if (!present)
        return present.error();
    if (!*present)
        return Error(Error::Code::NotFound, QStringLiteral("The repository has no server named '%1'.").arg(name));
    auto obj = readJson(path);
    if (!obj && obj.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound, QStringLiteral("The repository has no server named '%1'.").arg(name));
    if (!obj)
        return obj.error();
    ServerRecord r;
    r.name = name;
    bool ok = false;
    r.systemIdentifier = obj->value(QStringLiteral("system_identifier")).toString().toULongLong(&ok);
    if (!ok)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 has no valid system_identifier.").arg(path));
    r.pgVersionNum = obj->value(QStringLiteral("pg_version_num")).toInt();
    r.createdUtc = QDateTime::fromString(obj->value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    return r;
}

Result<ServerRecord> Repository::ensureServer(const QString &name, quint64 systemIdentifier, int pgVersionNum)
{
    auto existing = server(name);
    if (!existing && existing.error().code != Error::Code::NotFound)
        return existing.error();
    if (!existing) {
        if (Status s = makeDirectoryDurably(serverDir(name), m_writeAs); !s)
            return s.error();
        const QJsonObject obj{{QStringLiteral("name"), name},
                              {QStringLiteral("system_identifier"), QString::number(systemIdentifier)},
                              {QStringLiteral("pg_version_num"), pgVersionNum},
                              {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
        Status s = writeFileDurably(serverDir(name) + QStringLiteral("/server.json"), QJsonDocument(obj).toJson(),
                                    Publish::IfAbsent, m_writeAs);
        if (!s && s.error().code != Error::Code::Conflict)
            return s.error();
        existing = server(name);  // a concurrent first writer may have won; compare against what is there
        if (!existing)
            return existing.error();
    }
    if (existing->systemIdentifier != systemIdentifier)
        return Error(Error::Code::WrongCluster,
                     QStringLiteral("Refused: server '%1' in this repository belongs to the cluster with system identifier "
                                    "%2, but this comes from cluster %3. Use another server name for a different cluster.")
                         .arg(name)
                         .arg(existing->systemIdentifier)
                         .arg(systemIdentifier));
    return existing;
}

Result<std::unique_ptr<RepoLock>> Repository::lock(const QString &server, LockMode mode, int timeoutMs) const
{
    QString path;
    int fd = -1;
    if (isObjectPath(m_root)) {
        auto local = openObjectStoreLock(server);
        if (!local)
            return local.error();
        fd = local->first;
        path = local->second;
    } else {
        const QString dir = server.isEmpty() ? m_root : serverDir(server);
        if (Status s = makeDirectoryDurably(dir, m_writeAs); !s)
            return s.error();
        path = dir + QStringLiteral("/lock");
        fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
        if (fd < 0)
            return ioError(QStringLiteral("Opening lock file"), path, errno);
        if (m_writeAs.isSet())
            (void)m_writeAs.applyToFile(fd, path);  // best effort: a lock file's owner decides nothing but who may remove it
    }
    const int op = (mode == LockMode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
    QElapsedTimer t;
    t.start();
    for (;;) {
        if (::flock(fd, op) == 0)
            return std::unique_ptr<RepoLock>(new RepoLock(fd));
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int e = errno;
            ::close(fd);
            return ioError(QStringLiteral("Locking"), path, e);
        }
        if (t.elapsed() >= timeoutMs) {
            ::close(fd);
            return Error(Error::Code::Busy,
                         QStringLiteral("Another pgArchivist operation (backup or expire) holds the repository lock for "
                                        "'%1'. Wait for it to finish and try again.")
                             .arg(server.isEmpty() ? m_root : server));
        }
        QThread::msleep(50);
    }
}

} // namespace pga::repo
