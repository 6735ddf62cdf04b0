#pragma once

#include "Lsn.h"
#include "Result.h"
#include "WalRecords.h"

#include <QByteArray>

#include <optional>
#include <vector>

// What one WAL segment says about changes to data, for the blunder finder: which transactions changed which
// relations (heap rows inserted, deleted, updated; pages written whole), created or dropped relation files and
// databases, and how each transaction ended. Kept per segment in the repository (walscan/), so it is read once.
namespace pga::wal {

struct StatsItem {           // xl_xact_stats_item: statistics dropped with an object
    qint32 kind = 0;         // 1 database, 2 relation, 3 function
    quint32 db = 0;
    quint32 obj = 0;         // pg_class / pg_database OID
    bool operator==(const StatsItem &) const = default;
};

// A commit or abort of a top-level transaction or a subtransaction.
struct XactEnd {
    quint32 xid = 0;
    bool committed = false;
    qint64 timeUs = 0;
    Lsn lsn;                          // where the record starts
    quint32 db = 0;                   // the database, when the record says (0 otherwise)
    std::vector<quint32> subxids;     // committed subtransactions (commit), or those rolled back with it (abort)
    std::vector<RelNode> rels;        // relation files removed when it ends (dropped or rewritten relations)
    std::vector<StatsItem> dropped;   // DROP TABLE / DROP DATABASE: the objects whose statistics go
    bool operator==(const XactEnd &) const = default;
};

// One transaction's changes to one relation file within the segment.
struct RelChange {
    quint32 xid = 0;
    RelNode node;
    qint32 inserted = 0;   // heap rows inserted (a withdrawn speculative insert counts -1)
    qint32 deleted = 0;
    qint32 updated = 0;    // UPDATE and HOT UPDATE
    qint32 pages = 0;      // pages written whole (log_newpage: table rewrites, index builds)
    qint32 heapPages = 0;  // of which heap pages (a rewrite's rows); compressed images are neither
    qint32 unknownPages = 0;  // of which compressed (wal_compression): heap or index cannot be told
    bool operator==(const RelChange &) const = default;
};

struct RelCreate {     // Storage CREATE of a main fork
    quint32 xid = 0;   // 0 when the transaction had no xid yet
    RelNode node;
    bool operator==(const RelCreate &) const = default;
};

struct DbDrop {
    quint32 xid = 0;
    quint32 db = 0;    // 0: the in-place update of pg_database that began that transaction's DROP DATABASE
    Lsn lsn;           // the record: replaying it removes the database's files, before the commit
    bool operator==(const DbDrop &) const = default;
};

struct SegmentActivity {
    quint32 timeline = 0;
    Lsn startLsn, endLsn;
    int pgVersionNum = 0;
    std::vector<XactEnd> ends;        // in WAL order
    std::vector<RelChange> changes;   // one per (xid, relation file), in order of first change
    std::vector<RelCreate> creates;
    std::vector<DbDrop> dbDrops;
    // The pieces of records crossing the segment's ends (see RecordWalk): joinedRecord() glues them.
    QByteArray carryHead;
    Lsn carryHeadLsn;
    QByteArray carryTail;
    bool operator==(const SegmentActivity &) const = default;
};

// Reads every record of a segment (or .partial). Corrupt when it is not a WAL segment; malformed records past
// the header are skipped (best effort, as scanSegment).
Result<SegmentActivity> scanActivity(const char *data, size_t size);

// The record that starts at the end of `previous` and ends at the start of `next` (the following segment of the same
// timeline), as an activity of its own; nullopt when they do not hold the two halves of one record.
std::optional<SegmentActivity> joinedRecord(const SegmentActivity &previous, const SegmentActivity &next);

// The cache form (docs/repository-format.md, "WAL scan cache"): a versioned binary encoding, zstd-compressed.
QByteArray encodeActivity(const SegmentActivity &a);
// Corrupt for anything encodeActivity did not write (truncated, another version, trailing bytes).
Result<SegmentActivity> decodeActivity(const QByteArray &bytes);
// The same into `out`, reusing its vectors' storage and `scratch` for the decompressed bytes (a scan's loop).
Status decodeActivityInto(const QByteArray &bytes, SegmentActivity &out, QByteArray &scratch);

} // namespace pga::wal
