#include "BaseBackup.h"
#include "BackupWal.h"

#include "CatalogCapture.h"
#include "repo/CatalogStore.h"

#include "BackupPipeline.h"

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

using detail::ChunkPipeline;
using detail::Receiver;


namespace {


// Why WAL does not arrive, in the server's own words (pg_stat_archiver), for the timeout message.
QString archiverState(pg::ConnectOptions co, const CancelToken &cancel)
{
    co.replication = false;
    co.connectTimeoutSec = 5;
    auto conn = pg::Connection::connect(co, &cancel);
    if (!conn)
        return QStringLiteral("could not ask the server why: %1").arg(conn.error().message);
    auto r = (*conn)->exec(QStringLiteral("SELECT current_setting('archive_mode'), current_setting('archive_command'), "
                                          "coalesce(last_archived_wal, '-'), coalesce(last_failed_wal, '-'), "
                                          "coalesce(last_failed_time::text, '-'), failed_count FROM pg_stat_archiver"),
                           {}, &cancel, 5000);
    if (!r || r->rowCount() != 1)
        return QStringLiteral("could not read pg_stat_archiver");
    return QStringLiteral("server: archive_mode=%1, archive_command='%2', last archived %3, last failed %4 at %5, %6 failures")
        .arg(r->value(0, 0), r->value(0, 1), r->value(0, 2), r->value(0, 3), r->value(0, 4), r->value(0, 5));
}

// The names the blunder finder needs, as the backup ends: without them a table dropped later is named by its file only.
// A backup never fails for want of it.
void recordCatalog(const pg::ConnectOptions &replication, const repo::BackupCatalog &catalog, const QString &id, ProgressSink &progress,
                   const CancelToken &cancel)
{
    QStringList warnings;
    auto snap = captureCatalog(replication.conninfo, replication.password, cancel, &warnings);
    if (!snap) {
        progress.warning(QStringLiteral("No catalog snapshot was recorded with the backup: %1").arg(snap.error().message));
        return;
    }
    for (const QString &w : warnings)
        progress.warning(w);
    if (Status s = repo::CatalogStore(catalog.repository(), catalog.server()).writeInto(catalog.dir(id), *snap); !s)
        progress.warning(QStringLiteral("No catalog snapshot was recorded with the backup: %1").arg(s.error().message));
}

} // namespace

Result<repo::BackupManifest> BaseBackup::run(ProgressSink &progress, const CancelToken &cancel)
{
    auto locked = detail::lockForBackup(m_o.repoDir, m_o.server);
    if (!locked)
        return locked.error();
    repo::Repository *repo = &locked->repo;

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

    // archive_command adds WAL here as the repository's owner: the directory exists before the backup waits for it.
    if (Status s = repo::makeDirectoryDurably(repo->walDir(m_o.server), repo->writeAs()); !s)
        return s.error();

    repo::BackupCatalog catalog(*repo, m_o.server);
    auto unfinishedIds = catalog.unfinishedIds();
    if (!unfinishedIds)
        return unfinishedIds.error();
    for (const QString &id : *unfinishedIds) {
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
    // Object storage pays a request per chunk (and s3rver, like any store, a fixed cost per request): larger chunks
    // there, at the price of coarser deduplication.
    m.chunkSize = m_o.chunkSize > 0 ? m_o.chunkSize : repo->onObjectStorage() ? qint64(4) << 20 : qint64(1) << 20;
    m.compressLevel = m_o.compressLevel;
    m.startTimeUtc = QDateTime::currentDateTimeUtc();

    // Until manifest.json is written the directory is an unfinished backup: invisible, and removed on failure here
    // or, after a kill, by the next backup or expire.
    if (Status s = catalog.begin(id); !s)
        return s.error();
    detail::UnpublishedBackup unfinished{catalog, id};
    auto fileList = repo::BackupFileListWriter::create(catalog.fileListPath(id), repo->writeAs());
    if (!fileList)
        return fileList.error();
    repo::ChunkStore store(repo->chunksDir(), repo->writeAs());
    store.setDeferredSync(true);
    if (Status s = detail::primeChunkStore(store, catalog); !s)
        return s.error();
    detail::PendingEntries entries(**fileList);
    ChunkPipeline pipeline(store, entries, std::clamp(m_o.jobs, 1, 64), m_o.compressLevel, m.chunkSize);
    Receiver rx(pipeline, entries, m, catalog.serverManifestPath(id), repo->writeAs(), progress);
    progress.info(QStringLiteral("Backup %1 of server %2 (system identifier %3): starting (checkpoint %4)")
                      .arg(id, m_o.server)
                      .arg(ident->systemIdentifier)
                      .arg(m_o.fastCheckpoint ? QStringLiteral("fast") : QStringLiteral("spread")));
    pg::BaseBackupRequest req;
    req.label = m.label;
    req.fastCheckpoint = m_o.fastCheckpoint;
    req.maxRateKb = m_o.maxRateKb;
    req.manifestChecksums = m_o.manifestChecksums;
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
    recordCatalog(co, catalog, id, progress, cancel);
    if (Status s = entries.drain(); !s)
        return s.error();
    if (!entries.empty())
        return Error(Error::Code::Internal, QStringLiteral("The backup ended with file entries whose chunks never arrived."));
    auto listSha = (*fileList)->finish();
    if (!listSha)
        return listSha.error();
    m.fileListSha256 = *listSha;
    m.fileCount = (*fileList)->count();
    m.timeline = end->startTimeline;
    m.startLsn = end->startLsn;
    m.stopLsn = end->stopLsn;
    m.stopTimeUtc = QDateTime::currentDateTimeUtc();
    m.newBytes = pipeline.newBytes();
    m.newChunks = pipeline.newChunks();
    auto serverManifestSha = rx.finishServerManifest();
    if (!serverManifestSha)
        return serverManifestSha.error();
    m.backupManifestSha256 = *serverManifestSha;
    auto existed = store.flush();
    if (!existed)
        return existed.error();
    m.newBytes -= *existed;
    if (Status s = store.syncDirectories(); !s)
        return s.error();
    progress.info(QStringLiteral("Data copied: %1 files, %2 bytes, %3 new chunks (%4 bytes stored); backup from %5 to %6 on timeline %7")
                      .arg(m.fileCount)
                      .arg(m.logicalBytes)
                      .arg(m.newChunks)
                      .arg(m.newBytes)
                      .arg(m.startLsn.toString(), m.stopLsn.toString())
                      .arg(m.timeline));
    if (Status s = waitForWal(repo::WalArchive(*repo, m_o.server), m.timeline, m.startLsn, m.stopLsn, *segSize,
                              m_o.archiveTimeoutSec, progress, cancel);
        !s) {
        if (s.error().code != Error::Code::Timeout)
            return s.error();
        return Error(s.error().code, s.error().message, archiverState(co, cancel));
    }
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the backup was not published."));
    if (Status s = catalog.publish(m); !s)
        return s.error();
    unfinished.published = true;
    progress.info(QStringLiteral("Backup %1 is complete.").arg(id));
    return m;
}

} // namespace pga::engine
