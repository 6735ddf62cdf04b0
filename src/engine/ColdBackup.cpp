#include "ColdBackup.h"

#include "BackupPipeline.h"
#include "pg/ClientTools.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

namespace {

QByteArray enc(const QString &p) { return QFile::encodeName(p); }

QString ownerOf(const QString &path)
{
    struct stat st{};
    if (::stat(enc(path).constData(), &st) != 0)
        return {};
    const passwd *pw = ::getpwuid(st.st_uid);
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}

// A directory walked in name order without following links (pg_wal excepted: a link to WAL elsewhere is copied as
// the directory PostgreSQL sees).
struct Walked {
    QString path;        // relative
    QString absolute;
    repo::BackupFileEntry::Type type;
    struct stat st;
    QString link;
};

Status walk(const QString &root, const QString &rel, bool followPgWal, QList<Walked> &out)
{
    QDir d(rel.isEmpty() ? root : root + QLatin1Char('/') + rel);
    const QStringList names = d.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    for (const QString &n : names) {
        const QString r = rel.isEmpty() ? n : rel + QLatin1Char('/') + n;
        const QString abs = root + QLatin1Char('/') + r;
        Walked w{r, abs, repo::BackupFileEntry::Type::File, {}, {}};
        if (::lstat(enc(abs).constData(), &w.st) != 0)
            return repo::ioError(QStringLiteral("Examining"), abs, errno);
        if (S_ISLNK(w.st.st_mode)) {
            if (followPgWal && r == QLatin1String("pg_wal")) {
                if (::stat(enc(abs).constData(), &w.st) != 0)
                    return repo::ioError(QStringLiteral("Following"), abs, errno);
                w.type = repo::BackupFileEntry::Type::Directory;
                out << w;
                if (Status s = walk(root, r, false, out); !s)
                    return s;
                continue;
            }
            w.type = repo::BackupFileEntry::Type::Symlink;
            w.link = QFileInfo(abs).symLinkTarget();
            out << w;
        } else if (S_ISDIR(w.st.st_mode)) {
            w.type = repo::BackupFileEntry::Type::Directory;
            out << w;
            if (Status s = walk(root, r, false, out); !s)
                return s;
        } else if (S_ISREG(w.st.st_mode)) {
            out << w;
        }
        // sockets, fifos: nothing of a cluster's state
    }
    return {};
}

QString controlValue(const QString &text, const char *key)
{
    for (const QString &line : text.split(QLatin1Char('\n')))
        if (line.startsWith(QLatin1String(key)))
            return line.section(QLatin1Char(':'), 1).trimmed();
    return {};
}

} // namespace

Result<ClusterState> readClusterState(const QString &dataDir)
{
    QFile v(dataDir + QStringLiteral("/PG_VERSION"));
    if (!v.open(QIODevice::ReadOnly))
        return Error(Error::Code::NotFound, QStringLiteral("%1 is not a PostgreSQL data directory (it has no readable PG_VERSION).").arg(dataDir));
    ClusterState c;
    const int major = QString::fromLatin1(v.readAll()).trimmed().toInt();
    c.pgVersionNum = major * 10000;
    auto prog = pg::ClientTools::program(QStringLiteral("pg_controldata"), major);
    if (!prog)
        return prog.error();
    auto r = pg::runProcess({*prog, {QStringLiteral("-D"), dataDir}, {}, 60000, {QStringLiteral("LC_ALL=C")}, {}});
    if (!r)
        return r.error();
    if (r->exitCode != 0)
        return Error(Error::Code::Io, QStringLiteral("pg_controldata could not read %1.").arg(dataDir), QString::fromLocal8Bit(r->err).trimmed());
    const QString text = QString::fromLocal8Bit(r->out);
    c.state = controlValue(text, "Database cluster state:");
    c.systemIdentifier = controlValue(text, "Database system identifier:").toULongLong();
    c.timeline = controlValue(text, "Latest checkpoint's TimeLineID:").toUInt();
    c.checkpointLsn = controlValue(text, "Latest checkpoint location:");
    c.checksums = controlValue(text, "Data page checksum version:").toInt() != 0;
    QFile pid(dataDir + QStringLiteral("/postmaster.pid"));
    if (pid.open(QIODevice::ReadOnly)) {
        const qint64 p = QString::fromLatin1(pid.readLine()).trimmed().toLongLong();
        if (p > 0 && (::kill(pid_t(p), 0) == 0 || errno == EPERM))
            c.runningPid = p;
    }
    return c;
}

Result<repo::BackupManifest> ColdBackup::run(ProgressSink &progress, const CancelToken &cancel)
{
    const QString dataDir = QFileInfo(m_o.dataDir).absoluteFilePath();
    auto state = readClusterState(dataDir);
    if (!state)
        return state.error();
    if (state->runningPid)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The cluster in %1 is running (postmaster PID %2): a file-system backup needs it shut down. Stop it "
                                    "(pg_ctl stop -D %1 -m fast, or systemctl stop), or take an online base backup with 'backup'.")
                         .arg(dataDir)
                         .arg(state->runningPid));
    if (state->state != QLatin1String("shut down") && state->state != QLatin1String("shut down in recovery"))
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The cluster in %1 was not shut down cleanly (pg_controldata: \"%2\"; it crashed or is still running "
                                    "elsewhere): its files are not consistent without WAL replay. Start it, let it recover, stop it "
                                    "cleanly (pg_ctl stop -m fast), then back it up.")
                         .arg(dataDir, state->state));
    if (state->checksums) {
        progress.info(QStringLiteral("Data checksums are on: checking every page with pg_checksums --check first…"));
        auto prog = pg::ClientTools::program(QStringLiteral("pg_checksums"), state->pgVersionNum / 10000);
        if (!prog)
            return prog.error();
        pg::RunSpec spec{*prog, {QStringLiteral("--check"), QStringLiteral("-D"), dataDir}, {}, 24 * 3600 * 1000, {QStringLiteral("LC_ALL=C")}, {}};
        if (pg::runningAsRoot())
            spec.runAsUser = ownerOf(dataDir);
        auto r = pg::runProcess(spec);
        if (!r)
            return r.error();
        if (r->exitCode != 0)
            return Error(Error::Code::Corrupt, QStringLiteral("pg_checksums --check found damaged pages in %1; nothing was backed up.").arg(dataDir),
                         QString::fromLocal8Bit(r->out + r->err).trimmed());
        progress.info(QString::fromLocal8Bit(r->out).trimmed().replace(QLatin1Char('\n'), QStringLiteral("; ")));
    }

    // What will be copied: the data directory, each tablespace, the configuration directory.
    QList<Walked> files;
    if (Status s = walk(dataDir, QString(), true, files); !s)
        return s.error();
    QList<repo::BackupTablespace> tablespaces;
    struct Place {
        quint32 oid;
        QString root;
        QList<Walked> files;
    };
    QList<Place> places{{0, dataDir, files}};
    for (const Walked &w : std::as_const(files)) {
        if (w.type != repo::BackupFileEntry::Type::Symlink || !w.path.startsWith(QLatin1String("pg_tblspc/")))
            continue;
        const quint32 oid = w.path.section(QLatin1Char('/'), 1).toUInt();
        const QString loc = QFileInfo(w.absolute).canonicalFilePath();
        if (!oid || loc.isEmpty())
            return Error(Error::Code::NotFound, QStringLiteral("The tablespace link %1 leads nowhere (%2).").arg(w.absolute, w.link));
        tablespaces << repo::BackupTablespace{oid, loc};
        Place p{oid, loc, {}};
        if (Status s = walk(loc, QString(), false, p.files); !s)
            return s.error();
        places << p;
    }
    QString configDir;
    if (!m_o.configDir.isEmpty()) {
        configDir = QFileInfo(m_o.configDir).absoluteFilePath();
        if (!QFileInfo(configDir).isDir())
            return Error(Error::Code::NotFound, QStringLiteral("The configuration directory %1 does not exist.").arg(configDir));
        Place p{repo::BackupManifest::kConfigTablespace, configDir, {}};
        if (Status s = walk(configDir, QString(), false, p.files); !s)
            return s.error();
        places << p;
    }
    qint64 total = 0;
    for (const Place &p : std::as_const(places))
        for (const Walked &w : p.files)
            if (w.type == repo::BackupFileEntry::Type::File)
                total += w.st.st_size;

    auto locked = detail::lockForBackup(m_o.repoDir, m_o.server);
    if (!locked)
        return locked.error();
    repo::Repository *repo = &locked->repo;
    auto rec = repo->ensureServer(m_o.server, state->systemIdentifier, state->pgVersionNum);
    if (!rec)
        return rec.error();

    repo::BackupCatalog catalog(*repo, m_o.server);
    auto makeId = []() -> QString {
        QString id = repo::BackupCatalog::makeId(QDateTime::currentDateTimeUtc());
        id.chop(1);
        return id + QLatin1Char('C');
    };
    QString id = makeId();
    while (QFileInfo::exists(catalog.dir(id))) {
        QThread::msleep(250);
        id = makeId();
    }
    repo::BackupManifest m;
    m.id = id;
    m.kind = QStringLiteral("cold");
    m.label = m_o.label.isEmpty() ? QStringLiteral("pgarchivist cold %1").arg(id) : m_o.label;
    m.server = m_o.server;
    m.systemIdentifier = state->systemIdentifier;
    m.pgVersionNum = state->pgVersionNum;
    m.chunkSize = m_o.chunkSize;
    m.compressLevel = m_o.compressLevel;
    m.timeline = state->timeline;
    m.startLsn = m.stopLsn = Lsn::parse(state->checkpointLsn).value_or(Lsn());
    m.tablespaces = tablespaces;
    m.configDir = configDir;
    m.startTimeUtc = QDateTime::currentDateTimeUtc();
    progress.info(QStringLiteral("Cold backup %1 of %2 (system identifier %3, checkpoint %4): %5 bytes in %6 place(s).")
                      .arg(id, dataDir)
                      .arg(state->systemIdentifier)
                      .arg(state->checkpointLsn)
                      .arg(total)
                      .arg(places.size()));

    if (Status s = catalog.begin(id); !s)
        return s.error();
    detail::UnpublishedBackup unfinished{catalog, id};
    auto fileList = repo::BackupFileListWriter::create(catalog.fileListPath(id), repo->writeAs());
    if (!fileList)
        return fileList.error();
    repo::ChunkStore store(repo->chunksDir(), repo->writeAs());
    store.setDeferredSync(true);
    detail::PendingEntries entries(**fileList);
    detail::ChunkPipeline pipeline(store, entries, std::clamp(m_o.jobs, 1, 64), m_o.compressLevel, m_o.chunkSize);
    qint64 done = 0;
    Status copied = [&]() -> Status {
        for (const Place &p : std::as_const(places)) {
            for (const Walked &w : p.files) {
                if (cancel.isCancelled())
                    return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the cold backup was not published."));
                repo::BackupFileEntry e;
                e.path = w.path;
                e.tablespace = p.oid;
                e.type = w.type;
                e.mode = w.st.st_mode & 07777;
                e.mtime = w.st.st_mtim.tv_sec;
                e.link = w.link;
                if (w.type != repo::BackupFileEntry::Type::File) {
                    entries.add(std::move(e));
                    if (Status s = entries.drain(); !s)
                        return s;
                    continue;
                }
                const int fd = ::open(enc(w.absolute).constData(), O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                    return repo::ioError(QStringLiteral("Opening"), w.absolute, errno);
                e.size = w.st.st_size;
                e.chunks.resize((e.size + m.chunkSize - 1) / m.chunkSize);
                m.logicalBytes += e.size;
                m.chunkCount += e.chunks.size();
                const int count = int(e.chunks.size());
                const qint64 entry = entries.add(std::move(e));
                for (int i = 0; i < count; ++i) {
                    Buffer b = pipeline.take();
                    if (b.isNull()) {
                        ::close(fd);
                        return pipeline.error();
                    }
                    const size_t want = size_t(std::min<qint64>(m.chunkSize, w.st.st_size - qint64(i) * m.chunkSize));
                    size_t got = 0;
                    while (got < want) {
                        const ssize_t r = ::pread(fd, b.data() + got, want - got, off_t(qint64(i) * m.chunkSize + qint64(got)));
                        if (r <= 0) {
                            const int err = r == 0 ? EIO : errno;
                            ::close(fd);
                            pipeline.give(std::move(b));
                            return r == 0 ? Error(Error::Code::Io, QStringLiteral("%1 shrank while it was read: is the cluster really stopped?").arg(w.absolute))
                                          : repo::ioError(QStringLiteral("Reading"), w.absolute, err);
                        }
                        got += size_t(r);
                    }
                    b.resize(want);
                    pipeline.push({std::move(b), entry, i});
                    done += qint64(want);
                    progress.progress(done, total);
                }
                ::close(fd);
                if (Status s = entries.drain(); !s)
                    return s;
            }
        }
        return {};
    }();
    Status workers = pipeline.stop();
    if (!copied)
        return workers ? copied.error() : workers.error();
    if (!workers)
        return workers.error();
    if (Status s = entries.drain(); !s)
        return s.error();
    if (!entries.empty())
        return Error(Error::Code::Internal, QStringLiteral("The cold backup ended with file entries whose chunks never arrived."));
    if (Status s = detail::finishFileList(**fileList, pipeline, store, m); !s)
        return s.error();
    // The cluster must not have started while we copied: the same checkpoint, still shut down.
    auto after = readClusterState(dataDir);
    if (!after)
        return after.error();
    if (after->runningPid || after->checkpointLsn != state->checkpointLsn || after->state != state->state)
        return Error(Error::Code::Conflict, QStringLiteral("The cluster in %1 started while it was being copied (it is now \"%2\"); the copy is "
                                                           "not consistent and was not published. Stop it and run the cold backup again.")
                                                .arg(dataDir, after->state));
    m.stopTimeUtc = QDateTime::currentDateTimeUtc();
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the cold backup was not published."));
    if (Status s = catalog.publish(m); !s)
        return s.error();
    unfinished.published = true;
    progress.info(QStringLiteral("Cold backup %1 is complete: %2 files, %3 bytes, %4 bytes newly stored.")
                      .arg(id)
                      .arg(m.fileCount)
                      .arg(m.logicalBytes)
                      .arg(m.newBytes));
    return m;
}

} // namespace pga::engine
