#pragma once

#include "Lsn.h"
#include "Result.h"
#include "WalParser.h"

#include <QByteArray>
#include <QtGlobal>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

// The records of one WAL segment, one at a time, and the parts of a record's body the blunder finder reads
// (PostgreSQL src/include/access/xlogrecord.h). Reads the segment in place; a record is copied out only when
// the caller asks for its bytes.
namespace pga::wal {

struct RelNode {  // RelFileNode (PostgreSQL 15), RelFileLocator (16 and newer): the same three OIDs
    quint32 spc = 0, db = 0, rel = 0;
    bool operator==(const RelNode &) const = default;
    bool operator<(const RelNode &o) const { return db != o.db ? db < o.db : rel != o.rel ? rel < o.rel : spc < o.spc; }
};

struct BlockRef {
    RelNode node;
    quint8 fork = 0;     // 0: main
    quint32 block = 0;
    bool image = false;  // carries a full page image
    bool imageCompressed = false;
    const char *imageData = nullptr;  // the image as stored (its page header first, unless compressed)
    quint16 imageLength = 0;
    quint16 dataLength = 0;
};
// Whether a full page image is of a heap page (no special space) rather than an index page; nullopt when compressed.
std::optional<bool> isHeapPageImage(const BlockRef &b);

// One record's header and, on request, its bytes.
class RawRecord {
public:
    Lsn lsn;             // where it starts
    Lsn endLsn;          // MAXALIGNed end, as pg_create_restore_point() returns it
    quint32 totalLength = 0;
    quint8 rmid = 0;
    quint8 info = 0;
    quint32 xid = 0;
    // The whole record (up to maxLen bytes of it), contiguous and valid until the next record; size in *len.
    const char *bytes(size_t maxLen, size_t *len) const;

    const void *walk = nullptr;  // the walk it belongs to (internal)
    size_t streamPos = 0;        // its offset in the page payload stream (internal)
};

struct RecordWalk {
    SegmentHeader header;
    Lsn endLsn;              // end of the last complete record (segment end after a WAL switch)
    bool walSwitch = false;
    int records = 0;
    // A record that crosses into the next segment: its first bytes here (head, from headLsn), and the rest of one that
    // began in the previous segment (tail: the first page header's xlp_rem_len bytes). Glued, they are one record.
    QByteArray head;
    Lsn headLsn;
    QByteArray tail;
};
// Larger pieces are not kept (no record of interest is that large; a commit that removed a million files would be).
constexpr qsizetype kMaxCarriedRecord = 16 << 20;

// Calls fn for every complete record of a segment (or .partial) in order, until fn returns false or valid WAL
// ends (zero length, a page that belongs to another position, a WAL switch, a record continuing in the next
// segment). Corrupt when this is not the start of a WAL segment.
Result<RecordWalk> forEachRecord(const char *data, size_t size, const std::function<bool(const RawRecord &)> &fn);

// A record's block references and main data, decoded from its bytes (nothing is copied).
struct DecodedRecord {
    std::vector<BlockRef> blocks;
    const char *main = nullptr;
    size_t mainLength = 0;
};
// False when the bytes do not hold a well-formed record.
bool decodeRecord(const char *rec, size_t len, int pgVersionNum, DecodedRecord &out);

// Resource managers and record types the finder reads (PostgreSQL 15; unchanged through 18).
namespace rm {
constexpr quint8 Xlog = 0, Xact = 1, Smgr = 2, Dbase = 4, Heap2 = 9, Heap = 10;
}

} // namespace pga::wal
