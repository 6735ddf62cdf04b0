#include "RestoreFiles.h"
#include "repo/ContentReader.h"
#include "repo/ObjectStorage.h"

#include "ChunkWriter.h"

#include "core/Buffer.h"
#include "core/Sha256.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <condition_variable>
#include <fcntl.h>
#include <list>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace pga::engine {

namespace {

QByteArray enc(const QString &p) { return QFile::encodeName(p); }
Error ioErr(const QString &what, const QString &path) { return repo::ioError(what, path, errno); }

bool postmasterRunning(const QString &dir)
{
    QFile f(dir + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const pid_t pid = pid_t(f.readLine().trimmed().toLongLong());
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

bool isEmptyDir(const QString &d)
{
    return QDir(d).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System).isEmpty();
}

constexpr int kReadAhead = 8;
constexpr int kWritesInFlight = 3;  // per worker

struct Task {
    QString path;      // where it goes
    QString relPath;   // as the backup names it, for messages
    ChunkId chunk;
    qint64 offset = 0;
    size_t len = 0;
};

} // namespace

Result<RestoreResult> materializeBackup(const MaterializeRequest &req, ProgressSink &progress, const CancelToken &cancel)
{
    const RestoreOptions &o = req.options;
    const repo::BackupManifest &m = req.manifest;
    const QString target = QDir(o.targetDir).absolutePath();
    auto own = [&](const QString &path) -> Status {
        if (req.chown && ::lchown(enc(path).constData(), req.uid, req.gid) != 0)
            return ioErr(QStringLiteral("Changing the owner of"), path);
        return {};
    };
    // Every directory is checked before any is created or written, so a refused restore leaves nothing behind.
    auto checkRoot = [&](const QString &dir, const QString &what) -> Status {
        if (!QFileInfo::exists(dir))
            return {};
        if (!QFileInfo(dir).isDir())
            return Error(Error::Code::InvalidArgument, QStringLiteral("The %1 %2 exists and is not a directory.").arg(what, dir));
        if (postmasterRunning(dir))
            return Error(Error::Code::Busy, QStringLiteral("A PostgreSQL server is running in %1; stop it before restoring into it.").arg(dir));
        if (!o.delta && !isEmptyDir(dir))
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("The %1 %2 is not empty. Restore into an empty directory, or give --delta to reuse the "
                                        "files in it that match the backup (everything else in it is removed).")
                             .arg(what, dir));
        return {};
    };
    auto prepareRoot = [&](const QString &dir) -> Status {
        if (!QFileInfo::exists(dir))
            if (Status s = repo::makeDirectoryDurably(dir); !s)
                return s;
        if (::chmod(enc(dir).constData(), 0700) != 0)
            return ioErr(QStringLiteral("Setting the mode of"), dir);
        return own(dir);
    };
    if (Status s = checkRoot(target, QStringLiteral("target directory")); !s)
        return s.error();

    // Where each archive goes: the data directory, and each tablespace at its (mapped) location.
    QHash<quint32, QString> roots{{0, target}};
    QString tablespaceMap;
    bool mapped = false;
    QStringList known;
    for (const repo::BackupTablespace &t : m.tablespaces)
        known << QStringLiteral("%1 (OID %2)").arg(t.location).arg(t.oid);
    if (!m.configDir.isEmpty())
        known << QStringLiteral("%1 (the configuration directory)").arg(m.configDir);
    for (const auto &[from, to] : o.tablespaceMap)
        if (QDir::cleanPath(from) != QDir::cleanPath(m.configDir) && std::none_of(m.tablespaces.begin(), m.tablespaces.end(),
                         [&](const repo::BackupTablespace &t) { return QDir::cleanPath(from) == QDir::cleanPath(t.location); }))
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("--tablespace-map %1=%2: backup %3 has no tablespace at %1; %4. Give the location as the "
                                        "source server had it (pg_tablespace_location).")
                             .arg(from, to, m.id,
                                  known.isEmpty() ? QStringLiteral("it has no tablespaces")
                                                  : QStringLiteral("its tablespaces are at ") + known.join(QStringLiteral(", "))));
    // A cold backup's configuration directory is placed like a tablespace (its location, or where it is mapped), with no link.
    QList<repo::BackupTablespace> places = m.tablespaces;
    if (!m.configDir.isEmpty())
        places << repo::BackupTablespace{repo::BackupManifest::kConfigTablespace, m.configDir};
    for (const repo::BackupTablespace &t : std::as_const(places)) {
        QString loc = t.location;
        bool isMapped = false;
        for (const auto &[from, to] : o.tablespaceMap)
            if (QDir::cleanPath(from) == QDir::cleanPath(t.location)) {
                loc = QDir(to).absolutePath();
                mapped = isMapped = true;
            }
        // A tablespace directory in use is, more often than not, the live tablespace of the cluster the backup came
        // from: never write into it unless it demonstrably belongs to the data directory being restored over.
        const QString hint = isMapped ? QStringLiteral("Map it to an empty or absent directory instead.")
                                      : QStringLiteral("It is probably the tablespace of the cluster the backup was taken from; restore "
                                                       "it elsewhere with --tablespace-map %1=NEW_DIR (an empty or absent directory).")
                                            .arg(t.location);
        if (QFileInfo::exists(loc) && QFileInfo(loc).isDir() && !isEmptyDir(loc)) {
            if (!o.delta)
                return Error(Error::Code::InvalidArgument,
                             QStringLiteral("The tablespace directory %1 (tablespace OID %2) is not empty. %3").arg(loc).arg(t.oid).arg(hint));
            const QFileInfo link(target + QStringLiteral("/pg_tblspc/%1").arg(t.oid));
            if (!link.isSymLink() || link.canonicalFilePath() != QFileInfo(loc).canonicalFilePath())
                return Error(Error::Code::InvalidArgument,
                             QStringLiteral("The tablespace directory %1 (tablespace OID %2) is not empty and %3/pg_tblspc/%2 does not "
                                            "link to it, so --delta will not rewrite it. %4")
                                 .arg(loc).arg(t.oid).arg(target, hint));
        }
        if (Status s = checkRoot(loc, QStringLiteral("tablespace directory")); !s)
            return s.error();
        roots.insert(t.oid, loc);
        if (t.oid != repo::BackupManifest::kConfigTablespace)
            tablespaceMap += QStringLiteral("%1 %2\n").arg(t.oid).arg(loc);
        else
            mapped = mapped || isMapped;
    }
    for (const QString &root : roots)
        if (Status s = prepareRoot(root); !s)
            return s.error();
    auto pathOf = [&](const repo::BackupFileEntry &f) -> QString { return roots.value(f.tablespace) + QLatin1Char('/') + f.path; };
    // Each pass below reads the file list afresh (it is never held in memory whole).
    // --delta: remove what the backup does not have (stale WAL, postmaster.pid, dropped relations). Paths are
    // remembered by a 64-bit hash, 8 bytes a file; a collision would only keep a stale file.
    if (o.delta) {
        QSet<size_t> expected;
        if (Status s = req.catalog.forEachFile(m, [&](repo::BackupFileEntry &f) {
                expected << qHash(pathOf(f), 0x5eed);
                return Status();
            });
            !s)
            return s.error();
        for (const repo::BackupTablespace &t : m.tablespaces)
            expected << qHash(target + QStringLiteral("/pg_tblspc/%1").arg(t.oid), 0x5eed);
        for (const QString &root : roots) {
            QStringList dirs;
            QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString p = it.next();
                if (expected.contains(qHash(p, 0x5eed)))
                    continue;
                const QFileInfo fi(p);
                if (fi.isDir() && !fi.isSymLink())
                    dirs << p;
                else if (::unlink(enc(p).constData()) != 0 && errno != ENOENT)
                    return ioErr(QStringLiteral("Removing"), p);
            }
            std::sort(dirs.begin(), dirs.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
            for (const QString &d : dirs)
                QDir(d).removeRecursively();
        }
    }

    // Directories and links first, then the files' content in parallel.
    QSet<QString> tablespaceLinks;
    for (const repo::BackupTablespace &t : m.tablespaces)
        tablespaceLinks << QStringLiteral("pg_tblspc/%1").arg(t.oid);
    if (Status s = req.catalog.forEachFile(m, [&](repo::BackupFileEntry &f) -> Status {
            const QString p = pathOf(f);
            if (f.tablespace == 0 && tablespaceLinks.contains(f.path))
                return {};  // sent as a directory or a link with TABLESPACE_MAP; made a link to the location below
            if (f.type == repo::BackupFileEntry::Type::Directory) {
                if (::mkdir(enc(p).constData(), 0700) != 0 && errno != EEXIST)
                    return ioErr(QStringLiteral("Creating the directory"), p);
                ::chmod(enc(p).constData(), (f.mode & 0750) | 0700);
                return own(p);
            }
            if (f.type == repo::BackupFileEntry::Type::Symlink) {
                ::unlink(enc(p).constData());
                if (::symlink(enc(f.link).constData(), enc(p).constData()) != 0)
                    return ioErr(QStringLiteral("Creating the symbolic link"), p);
                return own(p);
            }
            return {};
        });
        !s)
        return s.error();
    for (const repo::BackupTablespace &t : m.tablespaces) {
        const QString link = target + QStringLiteral("/pg_tblspc/%1").arg(t.oid);
        if (::rmdir(enc(link).constData()) != 0)
            ::unlink(enc(link).constData());
        if (::symlink(enc(roots.value(t.oid)).constData(), enc(link).constData()) != 0)
            return ioErr(QStringLiteral("Creating the tablespace link"), link);
        if (Status s = own(link); !s)
            return s.error();
    }

    // The files: this thread reads the list and creates each file; `jobs` workers read, check and write the chunks.
    // Up to jobs + 1 files are open for writing at once ("lanes"), and a worker takes its next chunk from a file no
    // other worker is writing where it can: two writers in one file queue on its inode lock, and the kernel spins
    // while they wait. Memory: one chunk list per lane.
    RestoreResult result;
    const qint64 total = m.logicalBytes;
    struct Lane {
        QString path, relPath;
        qint64 size = 0;
        QList<ChunkId> chunks;
        qsizetype next = 0;  // the next chunk to hand out
    };
    std::mutex mu;
    std::condition_variable hasWork, hasLane;
    std::list<Lane> lanes;
    QStringList writing;  // the files workers are writing now
    bool producing = true;
    std::atomic<qint64> done{0}, written{0}, reused{0};
    Error firstError;
    std::atomic_bool failed{false};
    auto fail = [&](const Error &err) {
        std::lock_guard l(mu);
        if (!failed.exchange(true))
            firstError = err;
        hasWork.notify_all();
        hasLane.notify_all();
    };
    const repo::ChunkStore store(req.chunksDir);
    const int jobs = std::clamp(o.jobs, 1, 64);
    const size_t laneLimit = size_t(jobs + 1);
    auto worker = [&] {
        ChunkWriter out(size_t(m.chunkSize), kWritesInFlight, !o.delta);
        Buffer have(o.delta ? size_t(m.chunkSize) : 0);
        QString openPath;
        for (;;) {
            Task t;
            QString ahead;  // a chunk to ask the kernel to start reading
            {
                std::unique_lock l(mu);
                if (!openPath.isEmpty())
                    writing.removeOne(openPath);
                hasWork.wait(l, [&] { return !lanes.empty() || !producing || failed.load(); });
                if (failed.load() || lanes.empty())
                    break;
                auto lane = std::find_if(lanes.begin(), lanes.end(), [&](const Lane &x) { return !writing.contains(x.path); });
                if (lane == lanes.end())
                    lane = lanes.begin();
                const qint64 off = qint64(lane->next) * m.chunkSize;
                t = {lane->path, lane->relPath, lane->chunks[lane->next], off, size_t(std::min(m.chunkSize, lane->size - off))};
                if (!store.onObjectStorage() && lane->next + kReadAhead < lane->chunks.size())
                    ahead = store.pathFor(lane->chunks[lane->next + kReadAhead].hex());
                writing << lane->path;
                if (++lane->next == lane->chunks.size()) {
                    lanes.erase(lane);
                    hasLane.notify_one();
                }
            }
            if (cancel.isCancelled()) {
                fail(Error(Error::Code::Cancelled, QStringLiteral("Cancelled; %1 is incomplete and must not be started.").arg(target)));
                break;
            }
            // The chunks are many small files, and with only `jobs` synchronous reads a cold repository would be read
            // one file at a time per worker: the kernel starts on one a few chunks ahead in this lane.
            if (!ahead.isEmpty()) {
                const int rfd = ::open(enc(ahead).constData(), O_RDONLY | O_CLOEXEC);
                if (rfd >= 0) {
                    (void)::posix_fadvise(rfd, 0, 0, POSIX_FADV_WILLNEED);
                    ::close(rfd);
                }
            }
            const QString hex = t.chunk.hex();
            if (t.path != openPath) {
                openPath = t.path;
                if (Status s = out.open(t.path); !s) {
                    fail(s.error());
                    break;
                }
            }
            Error err;
            if (o.delta && ::pread(out.fd(), have.data(), t.len, t.offset) == ssize_t(t.len)
                       && store.nameOf(have.data(), t.len).hex() == hex) {
                reused += qint64(t.len);
            } else if (auto b = out.buffer(); !b) {
                err = b.error();
            } else if (Status s = store.readInto(hex, *b, t.len); !s) {
                err = Error(s.error().code, QStringLiteral("%1 Needed for %2; the restore stopped.").arg(s.error().message, t.relPath),
                            s.error().detail);
            } else if (Status w = out.write(*b, t.len, t.offset); !w) {
                err = w.error();
            } else {
                written += qint64(t.len);
            }
            if (err.isError()) {
                fail(err);
                break;
            }
            progress.progress(done += qint64(t.len), total);
        }
        if (Status s = out.finish(); !s)
            fail(s.error());
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < jobs; ++i)
        threads.emplace_back(worker);
    const Status produced = req.catalog.forEachFile(m, [&](repo::BackupFileEntry &f) -> Status {
        if (f.type != repo::BackupFileEntry::Type::File)
            return {};
        const QString p = pathOf(f);
        const int fd = ::open(enc(p).constData(), O_WRONLY | O_CREAT | O_CLOEXEC | (o.delta ? 0 : O_TRUNC), 0600);
        if (fd < 0)
            return ioErr(QStringLiteral("Creating"), p);
        const bool ok = ::ftruncate(fd, f.size) == 0 && ::fchmod(fd, (f.mode & 0640) | 0600) == 0
                        && (!req.chown || ::fchown(fd, req.uid, req.gid) == 0);
        const int e = errno;
        ::close(fd);
        if (!ok)
            return repo::ioError(QStringLiteral("Preparing"), p, e);
        ++result.files;
        if (f.chunks.isEmpty())
            return {};
        // The first chunks of a new lane are read ahead here; later ones by the workers as they go.
        for (qsizetype c = 0; !store.onObjectStorage() && c < std::min<qsizetype>(kReadAhead, f.chunks.size()); ++c) {
            const int rfd = ::open(enc(store.pathFor(f.chunks[c].hex())).constData(), O_RDONLY | O_CLOEXEC);
            if (rfd >= 0) {
                (void)::posix_fadvise(rfd, 0, 0, POSIX_FADV_WILLNEED);
                ::close(rfd);
            }
        }
        std::unique_lock l(mu);
        hasLane.wait(l, [&] { return lanes.size() < laneLimit || failed.load(); });
        if (failed.load())
            return Status();  // the worker's error is the one to report
        lanes.push_back({p, f.path, f.size, std::move(f.chunks), 0});
        hasWork.notify_all();
        return {};
    });
    {
        std::lock_guard l(mu);
        producing = false;
        hasWork.notify_all();
    }
    for (std::thread &th : threads)
        th.join();
    if (failed)
        return firstError;
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; %1 is incomplete and must not be started.").arg(target));
    if (!produced)
        return produced.error();

    // The server's manifest (pg_verifybackup reads it), the recovery settings and the signal file.
    auto writeOwned = [&](const QString &path, const QByteArray &data, bool append) -> Status {
        QFile f(path);
        if (!f.open(append ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate)) || f.write(data) != data.size())
            return Error(Error::Code::Io, QStringLiteral("Could not write %1: %2").arg(path, f.errorString()));
        f.close();
        ::chmod(enc(path).constData(), 0600);
        return own(path);
    };
    // Every file system written to, synced once (cheaper than an fsync per file).
    auto syncRoots = [&]() -> Status {
        for (const QString &root : roots) {
            const int dfd = ::open(enc(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd < 0 || ::syncfs(dfd) != 0) {
                const int e = errno;
                if (dfd >= 0)
                    ::close(dfd);
                return repo::ioError(QStringLiteral("Syncing"), root, e);
            }
            ::close(dfd);
        }
        return {};
    };
    if (m.isCold()) {
        // A cluster copied while shut down is consistent as it is: no backup_manifest, nothing to replay, it starts as it was.
        // Its tablespace links were made above, to the mapped locations.
        if (Status s = syncRoots(); !s)
            return s.error();
        result.bytesWritten = written;
        result.bytesReused = reused;
        return result;
    }
    if (mapped && !tablespaceMap.isEmpty())
        if (Status s = writeOwned(target + QStringLiteral("/tablespace_map"), tablespaceMap.toUtf8(), false); !s)
            return s.error();
    {
        const QString dest = target + QStringLiteral("/backup_manifest");
        ::unlink(enc(dest).constData());
        // Read as content (a GET on object storage, opened in an encrypted repository), never copied as stored.
        auto in = repo::ContentReader::open(req.catalog.serverManifestPath(m.id));
        if (!in)
            return Error(in.error().code, QStringLiteral("Could not fetch backup_manifest: %1").arg(in.error().message), in.error().detail);
        QFile out(dest);
        if (!out.open(QIODevice::WriteOnly))
            return Error(Error::Code::Io, QStringLiteral("Could not write backup_manifest to %1: %2").arg(dest, out.errorString()));
        for (;;) {
            auto piece = (*in)->read(qint64(4) << 20);
            if (!piece)
                return Error(piece.error().code, QStringLiteral("Could not fetch backup_manifest: %1").arg(piece.error().message), piece.error().detail);
            if (piece->isEmpty())
                break;
            if (out.write(*piece) != piece->size())
                return Error(Error::Code::Io, QStringLiteral("Could not write backup_manifest to %1: %2").arg(dest, out.errorString()));
        }
        if (!out.flush())
            return Error(Error::Code::Io, QStringLiteral("Could not write backup_manifest to %1: %2").arg(dest, out.errorString()));
        ::chmod(enc(dest).constData(), 0600);
        if (Status s = own(dest); !s)
            return s.error();
    }
    QByteArray conf = QStringLiteral("\n# Recovery settings written by pgarchivist-cli restore of backup %1 at %2\n")
                          .arg(m.id, QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
                          .toUtf8();
    for (const QString &line : req.recoverySettings)
        conf += line.toUtf8() + '\n';
    if (Status s = writeOwned(target + QStringLiteral("/postgresql.auto.conf"), conf, true); !s)
        return s.error();
    const QString signal = req.options.standby ? QStringLiteral("/standby.signal") : QStringLiteral("/recovery.signal");
    const QString other = req.options.standby ? QStringLiteral("/recovery.signal") : QStringLiteral("/standby.signal");
    if (Status s = writeOwned(target + signal, QByteArray(), false); !s)
        return s.error();
    ::unlink(enc(target + other).constData());
    if (Status s = syncRoots(); !s)
        return s.error();
    result.bytesWritten = written;
    result.bytesReused = reused;
    return result;
}

} // namespace pga::engine
