#include "WalParser.h"

#include <cstring>
#include <vector>

namespace pga::wal {

// Layout facts (PostgreSQL src/include/access/xlog_internal.h, xlogrecord.h, xact.h). All fields are
// little-endian on the platforms we support; we read them with memcpy.
namespace {

constexpr size_t kShortHeader = 24;   // MAXALIGN(sizeof(XLogPageHeaderData))
constexpr size_t kLongHeader = 40;    // MAXALIGN(sizeof(XLogLongPageHeaderData))
constexpr size_t kRecordHeader = 24;  // SizeOfXLogRecord
constexpr quint16 kLongHeaderFlag = 0x0002;  // XLP_LONG_HEADER
constexpr quint8 kRmXlog = 0, kRmXact = 1;
constexpr quint8 kXlogSwitch = 0x40, kXlogRestorePoint = 0x70;
constexpr size_t kRestorePointName = 64;  // MAXFNAMELEN
constexpr quint8 kXactOpMask = 0x70;
constexpr quint8 kXactCommit = 0x00, kXactAbort = 0x20, kXactCommitPrepared = 0x30, kXactAbortPrepared = 0x40;

template <typename T>
T rd(const char *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The prepared transaction a COMMIT PREPARED or ROLLBACK PREPARED record ends (xl_xact_twophase), found by
// walking the optional parts in front of it as ParseCommitRecord/ParseAbortRecord do (PostgreSQL 15 xact.h).
std::optional<quint32> twoPhaseXid(const char *main, size_t len, quint8 info, bool commit)
{
    constexpr quint8 kHasInfo = 0x80;  // XLOG_XACT_HAS_INFO
    constexpr quint32 kDbInfo = 1u << 0, kSubxacts = 1u << 1, kRelfilenodes = 1u << 2, kInvals = 1u << 3, kTwoPhase = 1u << 4,
                      kDroppedStats = 1u << 8;
    size_t off = 8;  // xact_time
    if (!(info & kHasInfo) || off + 4 > len)
        return std::nullopt;
    const quint32 xinfo = rd<quint32>(main + off);
    off += 4;
    auto skipArray = [&](size_t itemSize) {
        if (off + 4 > len)
            return false;
        const qint32 n = rd<qint32>(main + off);
        if (n < 0 || size_t(n) > len)
            return false;
        off += 4 + size_t(n) * itemSize;
        return off <= len;
    };
    if (xinfo & kDbInfo)
        off += 8;
    if ((xinfo & kSubxacts) && !skipArray(4))
        return std::nullopt;
    if ((xinfo & kRelfilenodes) && !skipArray(12))
        return std::nullopt;
    if ((xinfo & kDroppedStats) && !skipArray(12))
        return std::nullopt;
    if (commit && (xinfo & kInvals) && !skipArray(16))
        return std::nullopt;
    if (!(xinfo & kTwoPhase) || off + 4 > len)
        return std::nullopt;
    return rd<quint32>(main + off);
}

constexpr size_t align8(size_t v) { return (v + 7) & ~size_t(7); }

// Finds the start of the main data inside a complete record; nullopt when malformed.
std::optional<size_t> mainDataOffset(const char *rec, size_t len, int pgVersion)
{
    size_t off = kRecordHeader;
    size_t blockData = 0;
    while (off < len) {
        const quint8 id = quint8(rec[off]);
        if (id == 255) {                       // XLR_BLOCK_ID_DATA_SHORT
            off += 2;
            break;
        }
        if (id == 254) {                       // XLR_BLOCK_ID_DATA_LONG
            off += 5;
            break;
        }
        if (id == 253) {                       // XLR_BLOCK_ID_ORIGIN: RepOriginId
            off += 3;
            continue;
        }
        if (id == 252) {                       // XLR_BLOCK_ID_TOPLEVEL_XID: TransactionId
            off += 5;
            continue;
        }
        if (id > 32 || off + 4 > len)
            return std::nullopt;
        const quint8 forkFlags = quint8(rec[off + 1]);
        blockData += rd<quint16>(rec + off + 2);
        off += 4;
        if (forkFlags & 0x10) {                // BKPBLOCK_HAS_IMAGE
            if (off + 5 > len)
                return std::nullopt;
            blockData += rd<quint16>(rec + off);
            const quint8 bimgInfo = quint8(rec[off + 4]);
            off += 5;
            const bool compressed = pgVersion >= 150000 ? (bimgInfo & 0x1c) != 0 : (bimgInfo & 0x02) != 0;
            if ((bimgInfo & 0x01) && compressed) // BKPIMAGE_HAS_HOLE: XLogRecordBlockCompressHeader
                off += 2;
        }
        if (!(forkFlags & 0x20))               // BKPBLOCK_SAME_REL: else a RelFileNode follows
            off += 12;
        off += 4;                              // BlockNumber
    }
    off += blockData;
    if (off > len)
        return std::nullopt;
    return off;
}

} // namespace

int versionForMagic(quint16 magic)
{
    switch (magic) {
    case 0xD101: return 120000;
    case 0xD106: return 130000;
    case 0xD10D: return 140000;
    case 0xD110: return 150000;
    case 0xD113: return 160000;
    case 0xD116: return 170000;
    case 0xD118: return 180000;
    default: return 0;
    }
}

Result<SegmentHeader> readSegmentHeader(const char *data, size_t size)
{
    if (size < kLongHeader)
        return Error(Error::Code::Corrupt, QStringLiteral("The file is too short (%1 bytes) to be a WAL segment.").arg(size));
    SegmentHeader h;
    h.magic = rd<quint16>(data);
    const quint16 info = rd<quint16>(data + 2);
    h.timeline = rd<quint32>(data + 4);
    h.pageAddress = Lsn(rd<quint64>(data + 8));
    h.systemIdentifier = rd<quint64>(data + 24);
    h.segmentSize = rd<quint32>(data + 32);
    h.blockSize = rd<quint32>(data + 36);
    h.pgVersionNum = versionForMagic(h.magic);
    if (!(info & kLongHeaderFlag) || (h.magic & 0xFF00) != 0xD100)
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The file does not start with a WAL segment header (magic 0x%1). It is not a "
                                    "PostgreSQL WAL segment, or it is damaged.")
                         .arg(h.magic, 4, 16, QLatin1Char('0')));
    const bool blockOk = h.blockSize >= 1024 && h.blockSize <= 65536 && (h.blockSize & (h.blockSize - 1)) == 0;
    const bool segOk = h.segmentSize >= (1u << 20) && h.segmentSize <= (1u << 30) && (h.segmentSize & (h.segmentSize - 1)) == 0;
    if (!blockOk || !segOk || h.timeline == 0 || h.systemIdentifier == 0 || h.pageAddress.value() % h.segmentSize != 0)
        return Error(Error::Code::Corrupt, QStringLiteral("The WAL segment header is implausible (segment size %1, block "
                                                          "size %2, timeline %3). The file is damaged.")
                                               .arg(h.segmentSize)
                                               .arg(h.blockSize)
                                               .arg(h.timeline));
    return h;
}

Result<SegmentScan> scanSegment(const char *data, size_t size, std::vector<XactOutcome> *xacts)
{
    auto header = readSegmentHeader(data, size);
    if (!header)
        return header.error();
    SegmentScan s;
    s.header = *header;
    s.startLsn = header->pageAddress;
    s.endLsn = s.startLsn;
    const size_t blck = header->blockSize;
    const quint64 segStart = header->pageAddress.value();
    const size_t usable = std::min<size_t>(size, header->segmentSize);

    // The records form a stream over the page payloads (page headers skipped). Headers are multiples
    // of 8 bytes, so MAXALIGN positions in the stream are MAXALIGN positions in the file. We read the
    // stream in place (no copy of the segment): only record headers and transaction records are copied.
    const size_t p0 = blck - kLongHeader, pn = blck - kShortHeader;
    size_t pages = 0;
    for (; (pages + 1) * blck <= usable; ++pages) {
        const char *p = data + pages * blck;
        if (rd<quint16>(p) != header->magic || rd<quint64>(p + 8) != segStart + pages * blck)
            break;  // not written yet, or left over from a recycled segment
    }
    const size_t n = pages == 0 ? 0 : p0 + (pages - 1) * pn;
    auto phys = [&](size_t off) -> size_t {
        if (off < p0)
            return kLongHeader + off;
        off -= p0;
        return (1 + off / pn) * blck + kShortHeader + off % pn;
    };
    auto copyOut = [&](size_t off, size_t len, char *dst) {
        while (len) {
            const size_t room = off < p0 ? p0 - off : pn - (off - p0) % pn;
            const size_t k = std::min(len, room);
            std::memcpy(dst, data + phys(off), k);
            dst += k;
            off += k;
            len -= k;
        }
    };
    const quint32 firstRemLen = rd<quint32>(data + 16);

    std::vector<char> rec;
    char hdr[kRecordHeader];
    size_t pos = align8(firstRemLen);
    while (pos + kRecordHeader <= n) {
        copyOut(pos, kRecordHeader, hdr);
        const quint32 totLen = rd<quint32>(hdr);
        if (totLen < kRecordHeader || totLen > (1u << 30))
            break;  // zero: end of valid WAL
        if (pos + totLen > n)
            break;  // continues in the next segment
        const quint8 info = quint8(hdr[16]);
        const quint8 rmid = quint8(hdr[17]);
        const quint32 xid = rd<quint32>(hdr + 4);
        const size_t recordStart = pos;
        ++s.records;
        std::optional<RestorePoint> restorePoint;
        if (rmid == kRmXact) {
            const quint8 op = info & kXactOpMask;
            if (op == kXactCommit || op == kXactAbort || op == kXactCommitPrepared || op == kXactAbortPrepared) {
                const size_t len = std::min<size_t>(totLen, 1u << 20);
                rec.resize(len);
                copyOut(pos, len, rec.data());
                if (auto off = mainDataOffset(rec.data(), len, header->pgVersionNum); off && *off + 8 <= len) {
                    const qint64 us = rd<qint64>(rec.data() + *off) + kPgEpochOffsetUs;  // xl_xact_commit/abort.xact_time
                    if (!s.firstXactTimeUs || us < *s.firstXactTimeUs)
                        s.firstXactTimeUs = us;
                    if (!s.lastXactTimeUs || us > *s.lastXactTimeUs)
                        s.lastXactTimeUs = us;
                    const bool committed = op == kXactCommit || op == kXactCommitPrepared;
                    committed ? ++s.commits : ++s.aborts;
                    // A prepared transaction's xid is in the record's body; xl_xid is the session's that ended it.
                    std::optional<quint32> ended = (op == kXactCommit || op == kXactAbort) ? std::optional<quint32>(xid)
                                                                                              : twoPhaseXid(rec.data() + *off, len - *off, info, committed);
                    if (ended && *ended != 0) {
                        if (!s.minXid || *ended < *s.minXid)
                            s.minXid = *ended;
                        if (!s.maxXid || *ended > *s.maxXid)
                            s.maxXid = *ended;
                        if (xacts)
                            xacts->push_back({*ended, committed, us, Lsn(segStart + phys(recordStart))});
                    }
                }
            }
        }
        if (rmid == kRmXlog && (info & 0xF0) == kXlogRestorePoint) {
            const size_t len = std::min<size_t>(totLen, 4096);
            rec.resize(len);
            copyOut(pos, len, rec.data());
            if (auto off = mainDataOffset(rec.data(), len, header->pgVersionNum); off && *off + 8 + kRestorePointName <= len) {
                const char *name = rec.data() + *off + 8;
                restorePoint = RestorePoint{QString::fromUtf8(name, qsizetype(strnlen(name, kRestorePointName))), Lsn(),
                                            rd<qint64>(rec.data() + *off) + kPgEpochOffsetUs};
            }
        }
        pos += totLen;
        s.endLsn = Lsn(segStart + (pos < n ? phys(pos) : pages * blck));
        if (restorePoint) {
            // As pg_create_restore_point() returns it: the MAXALIGNed end, a page boundary itself when it ends a page.
            restorePoint->lsn = Lsn(segStart + phys(align8(pos) - 1) + 1);
            s.restorePoints << *restorePoint;
        }
        if (rmid == kRmXlog && (info & 0xF0) == kXlogSwitch) {
            s.walSwitch = true;
            s.endLsn = Lsn(segStart + header->segmentSize);
            break;
        }
        pos = align8(pos);
    }
    return s;
}

} // namespace pga::wal
