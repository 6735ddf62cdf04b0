#pragma once

#include "Connection.h"
#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/Result.h"

#include <QList>
#include <QString>

namespace pga::pg {

// IDENTIFY_SYSTEM on a replication connection.
struct SystemIdentity {
    quint64 systemIdentifier = 0;
    quint32 timeline = 0;
    Lsn xlogPos;
};
Result<SystemIdentity> identifySystem(Connection &conn, const CancelToken &cancel);
// SHOW name over a replication connection (walsenders accept SHOW, not the extended protocol).
Result<QString> showSetting(Connection &conn, const QString &name, const CancelToken &cancel);
// wal_segment_size in bytes.
Result<quint64> walSegmentSize(Connection &conn, const CancelToken &cancel);

struct BaseBackupRequest {
    QString label = QStringLiteral("pgarchivist");
    bool fastCheckpoint = true;
    int maxRateKb = 0;        // MAX_RATE (kB/s, 32..1048576); 0: unlimited
    // The server manifest's per-file checksums: NONE, CRC32C, SHA224..SHA512. Computed by the one server
    // process that also sends the data, so they bound the backup's speed (CRC32C: ~1 s per 1.5 GB here).
    QString manifestChecksums = QStringLiteral("NONE");
};

struct TablespaceInfo {
    quint32 oid = 0;          // 0: the main data directory
    QString location;         // empty for the main data directory
    qint64 sizeBytes = -1;    // estimated (PROGRESS), -1 unknown
};

struct BaseBackupEnd {
    Lsn startLsn, stopLsn;
    quint32 startTimeline = 0, stopTimeline = 0;
    QList<TablespaceInfo> tablespaces;
};

// What the stream delivers, in order: start, then for each archive archive() and its data(), then
// manifestStart() and the manifest's data(); progress() any time. Returning an error stops the backup.
class BaseBackupReceiver {
public:
    virtual ~BaseBackupReceiver() = default;
    virtual Status started(Lsn startLsn, quint32 timeline, const QList<TablespaceInfo> &tablespaces) = 0;
    virtual Status archive(const QString &name, const QString &tablespaceLocation) = 0;
    virtual Status data(const char *p, size_t n) = 0;
    virtual Status manifestStart() = 0;
    virtual void progress(qint64 bytesDone) = 0;
};

// BASE_BACKUP (PostgreSQL 15+ COPY protocol: one CopyOut whose messages start with a type byte,
// 'n' new archive, 'd' data, 'p' progress, 'm' manifest) with LABEL, PROGRESS, CHECKPOINT, MANIFEST 'yes',
// WAIT false (the WAL comes from the archive) and TABLESPACE_MAP. Reads as the data arrives; a cancel
// drops the connection, which makes the server abort the backup.
Result<BaseBackupEnd> runBaseBackup(Connection &conn, const BaseBackupRequest &req, BaseBackupReceiver &rx,
                                    const CancelToken &cancel);

} // namespace pga::pg
