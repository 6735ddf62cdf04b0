#include "SnapshotBackup.h"

#include "BackupPipeline.h"
#include "BackupWal.h"
#include "core/Buffer.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

namespace {

struct MemoryFile {
    QString path;
    QByteArray data;
};

// Runs the snapshot command; its trimmed standard output is the snapshot's identifier.
Result<QString> runSnapshotCommand(const SnapshotBackupOptions &o, const QProcessEnvironment &env, ProgressSink &progress, const CancelToken &cancel)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), o.command});
    if (!p.waitForStarted(30000))
        return Error(Error::Code::Io, QStringLiteral("The snapshot command could not be started: %1").arg(p.errorString()));
    while (!p.waitForFinished(200)) {
        if (cancel.isCancelled()) {
            p.kill();
            p.waitForFinished();
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled while the snapshot command ran; no backup was published."));
        }
    }
    const QString err = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    for (const QString &line : err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        progress.info(QStringLiteral("snapshot command: ") + line);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return Error(Error::Code::Io, QStringLiteral("The snapshot command failed (exit %1); no backup was published.").arg(p.exitCode()), err.right(2000));
    const QString id = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
    if (id.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("The snapshot command printed nothing: it must print the snapshot's identifier "
                                                                  "(what to mount or clone to restore it)."));
    return id;
}

// Stores small in-memory files as the backup's members.
Status storeFiles(repo::Repository &repo, const repo::BackupCatalog &catalog, repo::BackupManifest &m, const QList<MemoryFile> &files)
{
    auto fileList = repo::BackupFileListWriter::create(catalog.fileListPath(m.id), repo.writeAs());
    if (!fileList)
        return fileList.error();
    repo::ChunkStore store(repo.chunksDir(), repo.writeAs());
    detail::PendingEntries entries(**fileList);
    detail::ChunkPipeline pipeline(store, entries, 1, m.compressLevel, m.chunkSize);
    for (const MemoryFile &f : files) {
        repo::BackupFileEntry e;
        e.path = f.path;
        e.mode = 0600;
        e.mtime = QDateTime::currentSecsSinceEpoch();
        e.size = f.data.size();
        const int count = int((e.size + m.chunkSize - 1) / m.chunkSize);
        e.chunks.resize(count);
        m.logicalBytes += e.size;
        m.chunkCount += count;
        const qint64 entry = entries.add(std::move(e));
        for (int i = 0; i < count; ++i) {
            Buffer b = pipeline.take();
            if (b.isNull())
                return pipeline.error();
            const qint64 at = qint64(i) * m.chunkSize;
            const size_t n = size_t(std::min<qint64>(m.chunkSize, f.data.size() - at));
            std::memcpy(b.data(), f.data.constData() + at, n);
            b.resize(n);
            pipeline.push({std::move(b), entry, i});
        }
    }
    if (Status s = pipeline.stop(); !s)
        return s;
    if (Status s = entries.drain(); !s)
        return s;
    return detail::finishFileList(**fileList, pipeline, store, m);
}

} // namespace

Result<repo::BackupManifest> takeSnapshotBackup(const SnapshotBackupOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    if (o.command.trimmed().isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("Give the snapshot command (--snapshot-command 'CMD')."));
    auto locked = detail::lockForBackup(o.repoDir, o.server);
    if (!locked)
        return locked.error();
    repo::Repository &repo = locked->repo;
    auto conn = pg::Connection::connect({o.conninfo, o.password}, &cancel);
    if (!conn)
        return conn.error();
    auto facts = (*conn)->exec(QStringLiteral("SELECT system_identifier::text, current_setting('server_version_num')::int, "
                                              "pg_size_bytes(current_setting('wal_segment_size')), pg_is_in_recovery(), "
                                              "coalesce((SELECT setting FROM pg_settings WHERE name = 'data_directory'), '') FROM pg_control_system()"),
                               {}, &cancel, 30000);
    if (!facts)
        return facts.error();
    if (facts->value(0, 3) == QLatin1String("t"))
        return Error(Error::Code::InvalidArgument, QStringLiteral("Snapshot backups are taken on the primary; this server is a standby."));
    repo::BackupManifest m;
    m.systemIdentifier = facts->value(0, 0).toULongLong();
    m.pgVersionNum = facts->value(0, 1).toInt();
    const quint64 segSize = facts->value(0, 2).toULongLong();
    const QString dataDir = facts->value(0, 4);
    if (auto rec = repo.ensureServer(o.server, m.systemIdentifier, m.pgVersionNum); !rec)
        return rec.error();
    repo::BackupCatalog catalog(repo, o.server);
    QString id = repo::BackupCatalog::makeId(QDateTime::currentDateTimeUtc());
    id.chop(1);
    id += QLatin1Char('S');
    while (QFileInfo::exists(catalog.dir(id))) {
        QThread::msleep(250);
        id = repo::BackupCatalog::makeId(QDateTime::currentDateTimeUtc()).chopped(1) + QLatin1Char('S');
    }
    m.id = id;
    m.kind = QStringLiteral("snapshot");
    m.server = o.server;
    m.label = o.label.isEmpty() ? QStringLiteral("pgarchivist snapshot %1").arg(id) : o.label;
    m.chunkSize = o.chunkSize;
    m.compressLevel = o.compressLevel;
    m.snapshotCommand = o.command;
    if (Status s = catalog.begin(id); !s)
        return s.error();
    detail::UnpublishedBackup unfinished{catalog, id};

    m.startTimeUtc = QDateTime::currentDateTimeUtc();
    auto start = (*conn)->exec(QStringLiteral("SELECT pg_backup_start($1, $2)::text, (SELECT timeline_id FROM pg_control_checkpoint())"),
                               {m.label, o.fastCheckpoint ? QStringLiteral("true") : QStringLiteral("false")}, &cancel, 0);
    if (!start)
        return start.error();
    m.startLsn = Lsn::parse(start->value(0, 0)).value_or(Lsn());
    m.timeline = start->value(0, 1).toUInt();
    progress.info(QStringLiteral("Backup mode started at %1 (timeline %2); running the snapshot command.").arg(m.startLsn.toString()).arg(m.timeline));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGARCHIVIST_BACKUP_ID"), id);
    env.insert(QStringLiteral("PGARCHIVIST_BACKUP_LABEL"), m.label);
    env.insert(QStringLiteral("PGARCHIVIST_START_LSN"), m.startLsn.toString());
    env.insert(QStringLiteral("PGARCHIVIST_SERVER"), o.server);
    env.insert(QStringLiteral("PGARCHIVIST_DATA_DIRECTORY"), dataDir);
    auto snapshot = runSnapshotCommand(o, env, progress, cancel);
    if (!snapshot) {
        (void)(*conn)->exec(QStringLiteral("SELECT pg_backup_stop(false)"), {}, nullptr, 60000);  // leave backup mode
        return snapshot.error();
    }
    m.snapshotId = *snapshot;
    auto stop = (*conn)->exec(QStringLiteral("SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)"), {}, &cancel, 0);
    if (!stop)
        return stop.error();
    m.stopLsn = Lsn::parse(stop->value(0, 0)).value_or(Lsn());
    m.stopTimeUtc = QDateTime::currentDateTimeUtc();
    QList<MemoryFile> files{{QStringLiteral("backup_label"), stop->value(0, 1).toUtf8()}};
    const QString spcmap = stop->value(0, 2);
    if (!spcmap.isEmpty()) {
        files << MemoryFile{QStringLiteral("tablespace_map"), spcmap.toUtf8()};
        for (const QString &line : spcmap.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            m.tablespaces << repo::BackupTablespace{line.section(QLatin1Char(' '), 0, 0).toUInt(), line.section(QLatin1Char(' '), 1)};
    }
    progress.info(QStringLiteral("Snapshot '%1' taken; backup mode ended at %2.").arg(m.snapshotId, m.stopLsn.toString()));
    if (Status s = waitForWal(repo::WalArchive(repo, o.server), m.timeline, m.startLsn, m.stopLsn, segSize, o.archiveTimeoutSec, progress, cancel); !s)
        return s.error();
    if (Status s = storeFiles(repo, catalog, m, files); !s)
        return s.error();
    if (Status s = catalog.publish(m); !s)
        return s.error();
    unfinished.published = true;
    return m;
}

Result<RestoreResult> restoreSnapshot(const RestoreOptions &o, const repo::BackupManifest &m, const repo::BackupCatalog &catalog,
                                      const QStringList &settings, ProgressSink &progress)
{
    const QString dir = QFileInfo(o.targetDir).absoluteFilePath();
    if (!QFileInfo::exists(dir + QStringLiteral("/PG_VERSION")) || !QFileInfo::exists(dir + QStringLiteral("/global/pg_control")))
        return Error(Error::Code::NotFound,
                     QStringLiteral("Backup %1 is a snapshot backup: its files are in snapshot '%2' (taken by '%3' at %4). Mount or clone that "
                                    "snapshot so that its data directory is %5, then run this restore again: it writes backup_label and the "
                                    "recovery settings there. (Or restore a base backup with --backup ID.)")
                         .arg(m.id, m.snapshotId, m.snapshotCommand, m.startTimeUtc.toLocalTime().toString(Qt::ISODate), dir));
    pg::LocalCluster::Spec spec;
    spec.dataDir = dir;
    spec.osUser = QFileInfo(dir).owner();
    pg::LocalCluster cluster(spec);
    auto control = cluster.runTool(QStringLiteral("pg_controldata"), {dir}, 60000);
    if (control && control->exitCode == 0) {
        const QByteArray out = control->out;
        const qsizetype at = out.indexOf("Database system identifier:");
        const QByteArray sysid = at < 0 ? QByteArray() : out.mid(at + 27, out.indexOf('\n', at) - at - 27).trimmed();
        if (!sysid.isEmpty() && sysid.toULongLong() != m.systemIdentifier)
            return Error(Error::Code::WrongCluster, QStringLiteral("%1 holds cluster %2, but snapshot backup %3 is of cluster %4: the wrong snapshot is "
                                                                   "mounted there.").arg(dir, QString::fromLatin1(sysid), m.id).arg(m.systemIdentifier));
    }
    // A snapshot of a running server holds its postmaster.pid; only one naming this directory, of a live process, is ours.
    if (QFile pid(dir + QStringLiteral("/postmaster.pid")); pid.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = pid.readAll().split('\n');
        const qint64 p = lines.value(0).trimmed().toLongLong();
        if (p > 0 && QFileInfo(QString::fromLocal8Bit(lines.value(1).trimmed())).absoluteFilePath() == dir && ::kill(pid_t(p), 0) == 0)
            return Error(Error::Code::InvalidArgument, QStringLiteral("A server runs on %1 (pid %2); stop it before restoring into it.").arg(dir).arg(p));
    }
    struct stat owner {};
    ::stat(QFile::encodeName(dir).constData(), &owner);
    auto writeOwned = [&](const QString &path, const QByteArray &data, bool append) -> Status {
        QFile f(path);
        if (!f.open(append ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate)))
            return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(path), f.errorString());
        f.write(data);
        if (!f.flush() || ::fsync(f.handle()) != 0)
            return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(path), f.errorString());
        f.close();
        if (::geteuid() == 0)
            (void)::chown(QFile::encodeName(path).constData(), owner.st_uid, owner.st_gid);
        ::chmod(QFile::encodeName(path).constData(), 0600);
        return {};
    };
    RestoreResult result;
    repo::ChunkStore store(catalog.repository().chunksDir());
    Status written = catalog.forEachFile(m, [&](repo::BackupFileEntry &e) -> Status {
        QByteArray data(e.size, Qt::Uninitialized);
        for (int i = 0; i < e.chunks.size(); ++i) {
            const qint64 at = qint64(i) * m.chunkSize;
            if (Status s = store.readInto(e.chunks[i].hex(), data.data() + at, size_t(std::min<qint64>(m.chunkSize, e.size - at))); !s)
                return s;
        }
        ++result.files;
        result.bytesWritten += e.size;
        return writeOwned(dir + QLatin1Char('/') + e.path, data, false);
    });
    if (!written)
        return written.error();
    for (const char *stale : {"/postmaster.pid", "/postmaster.opts", o.standby ? "/recovery.signal" : "/standby.signal"})
        QFile::remove(dir + QLatin1String(stale));
    QByteArray conf = QStringLiteral("\n# Recovery settings written by pgarchivist-cli restore of snapshot backup %1\n").arg(m.id).toUtf8();
    for (const QString &line : settings)
        conf += line.toUtf8() + '\n';
    if (Status s = writeOwned(dir + QStringLiteral("/postgresql.auto.conf"), conf, true); !s)
        return s.error();
    if (Status s = writeOwned(dir + (o.standby ? QStringLiteral("/standby.signal") : QStringLiteral("/recovery.signal")), QByteArray(), false); !s)
        return s.error();
    progress.info(QStringLiteral("Wrote backup_label and the recovery settings into the mounted snapshot %1 at %2.").arg(m.snapshotId, dir));
    return result;
}

} // namespace pga::engine
