#pragma once

#include "WalLandmarks.h"
#include "core/ArchiveSummary.h"
#include "core/Result.h"
#include "repo/WalStream.h"

#include <QDateTime>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace pga::engine {

// A base backup as `info` lists it.
struct BackupListing {
    QString id;
    QString label;
    QDateTime startTimeUtc, stopTimeUtc;
    Lsn startLsn, stopLsn;
    quint32 timeline = 0;
    qint64 logicalBytes = 0;
    qint64 newBytes = 0;
    int files = 0;
    QString status;     // ok | wal-missing (WAL to consistency not archived) | damaged (manifest unreadable)
    QString problem;
    QString kind = QStringLiteral("base");   // base | cold | snapshot | dump
    QString snapshotId;                      // snapshot backups: what their command printed (what to mount)
    // Dumps: their format, databases and whether the roles came along. logicalBytes is what pg_dump wrote, newBytes
    // what is stored (compressed).
    QString format;
    QStringList databases;
    bool globals = false;
};

// What the repository holds for one server: identity, and per timeline the archived range, gaps and
// the recoverable window. This is the API the GUI's overview and the CLI's `info` share.
struct ServerArchiveSummary {
    QString name;
    quint64 systemIdentifier = 0;
    int pgVersionNum = 0;
    quint32 segmentSize = 0;
    QStringList historyFiles;
    QStringList damagedFiles;        // archived files whose header is unreadable (shown as gaps)
    int backupFiles = 0;             // PostgreSQL backup history files (.backup) in the archive
    QList<BackupPoint> backups;      // usable base backups (servers/NAME/backups), for the window
    QList<BackupListing> backupList; // every published base and cold backup, oldest first
    QList<BackupListing> dumpList;   // every published dump (kind "dump"), oldest first
    QList<TimelineSummary> timelines;
    // Restore points as archive-push recorded them (files archived before it recorded them are not read here:
    // restorePointsComplete is then false, and 'restore-points' scans them).
    QList<ArchivedRestorePoint> restorePoints;
    bool restorePointsComplete = true;
    // wal-receive's last word (servers/NAME/stream/state.json), when a receiver ever ran; running: it holds its lock now.
    std::optional<repo::ReceiverState> receiver;
    bool receiverRunning = false;
};

// All servers (server empty) or one (NotFound when the repository has no such server).
Result<QList<ServerArchiveSummary>> archiveSummary(const QString &repoDir, const QString &server = {});

QJsonObject toJson(const ServerArchiveSummary &s);
// {"name", "lsn", "time" (ISO 8601 UTC to the µs), "timeline"}
QJsonObject toJson(const ArchivedRestorePoint &p);
QJsonObject toJson(const TimelineSummary &t);

} // namespace pga::engine
