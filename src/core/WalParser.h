#pragma once

#include "Lsn.h"
#include "Result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace pga::wal {

// What the long page header at the start of every WAL segment says (XLogLongPageHeaderData).
struct SegmentHeader {
    quint16 magic = 0;             // XLOG_PAGE_MAGIC, changes with each major version
    int pgVersionNum = 0;          // major * 10000 as guessed from the magic (150000 for 15); 0 if unknown
    quint32 timeline = 0;
    Lsn pageAddress;               // where the segment starts
    quint64 systemIdentifier = 0;
    quint32 segmentSize = 0;
    quint32 blockSize = 0;
};

// pg_create_restore_point(): a name recovery_target_name can stop at. lsn is where the record ends, as the
// function returns it.
struct RestorePoint {
    QString name;
    Lsn lsn;
    qint64 timeUs = 0;
    bool operator==(const RestorePoint &) const = default;
};

// The end of one top-level transaction, as recovery_target_xid matches it (32-bit xid, no epoch).
struct XactOutcome {
    quint32 xid = 0;
    bool committed = false;
    qint64 timeUs = 0;
    Lsn lsn;  // where the commit or abort record starts
};

// What one pass over a segment's records found. Timestamps are microseconds since the Unix epoch.
struct SegmentScan {
    SegmentHeader header;
    Lsn startLsn;                  // the segment's first byte
    Lsn endLsn;                    // end of the last complete record (segment end after a WAL switch)
    bool walSwitch = false;        // ends with an XLOG_SWITCH record
    int records = 0;
    int commits = 0;               // commit and commit-prepared records
    int aborts = 0;
    std::optional<qint64> firstXactTimeUs;   // earliest commit/abort timestamp in the segment
    std::optional<qint64> lastXactTimeUs;    // latest
    QList<RestorePoint> restorePoints;
    std::optional<quint32> minXid, maxXid;   // of top-level commit/abort records (not prepared ones), unwrapped order
};

// major*10000 for a known XLOG_PAGE_MAGIC (PostgreSQL 12..18), 0 otherwise.
int versionForMagic(quint16 magic);

// Reads and checks the long header of the first page. Corrupt when this is not the start of a WAL segment.
Result<SegmentHeader> readSegmentHeader(const char *data, size_t size);

// Walks the records of a whole segment (or a .partial) and collects the LSN range and the first and
// last transaction commit/abort timestamps. Stops at the end of valid WAL (zero length, a page that
// belongs to another position, a WAL switch). Only the header must be valid; the rest is best effort.
// With xacts, every top-level commit and abort is appended to it (for finding one transaction).
Result<SegmentScan> scanSegment(const char *data, size_t size, std::vector<XactOutcome> *xacts = nullptr);

// PostgreSQL timestamps count microseconds from 2000-01-01 UTC.
constexpr qint64 kPgEpochOffsetUs = 946684800LL * 1000000LL;
inline QDateTime timeFromUs(qint64 us) { return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC); }

} // namespace pga::wal
