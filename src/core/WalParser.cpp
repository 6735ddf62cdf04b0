#include "WalParser.h"
#include "WalRecords.h"

#include <cstring>
#include <vector>

namespace pga::wal {

// Layout facts (PostgreSQL src/include/access/xlog_internal.h, xlogrecord.h, xact.h). All fields are
// little-endian on the platforms we support; we read them with memcpy.
namespace {

constexpr size_t kLongHeader = 40;    // MAXALIGN(sizeof(XLogLongPageHeaderData))
constexpr quint16 kLongHeaderFlag = 0x0002;  // XLP_LONG_HEADER
constexpr quint8 kRmXlog = 0, kRmXact = 1;
constexpr quint8 kXlogRestorePoint = 0x70;
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
    SegmentScan s;
    DecodedRecord d;
    const int version = size >= 2 ? versionForMagic(rd<quint16>(data)) : 0;
    auto walk = forEachRecord(data, size, [&](const RawRecord &r) {
        if (r.rmid == kRmXact) {
            const quint8 op = r.info & kXactOpMask;
            if (op == kXactCommit || op == kXactAbort || op == kXactCommitPrepared || op == kXactAbortPrepared) {
                size_t len = 0;
                const char *rec = r.bytes(size_t(1) << 30, &len);  // a commit of many files or invalidations is large
                if (decodeRecord(rec, len, version, d) && d.mainLength >= 8) {
                    const qint64 us = rd<qint64>(d.main) + kPgEpochOffsetUs;  // xl_xact_commit/abort.xact_time
                    if (!s.firstXactTimeUs || us < *s.firstXactTimeUs)
                        s.firstXactTimeUs = us;
                    if (!s.lastXactTimeUs || us > *s.lastXactTimeUs)
                        s.lastXactTimeUs = us;
                    const bool committed = op == kXactCommit || op == kXactCommitPrepared;
                    committed ? ++s.commits : ++s.aborts;
                    // A prepared transaction's xid is in the record's body; xl_xid is the session's that ended it.
                    std::optional<quint32> ended = (op == kXactCommit || op == kXactAbort) ? std::optional<quint32>(r.xid)
                                                                                              : twoPhaseXid(d.main, d.mainLength, r.info, committed);
                    if (ended && *ended != 0) {
                        if (!s.minXid || *ended < *s.minXid)
                            s.minXid = *ended;
                        if (!s.maxXid || *ended > *s.maxXid)
                            s.maxXid = *ended;
                        if (xacts)
                            xacts->push_back({*ended, committed, us, r.lsn});
                    }
                }
            }
        }
        if (r.rmid == kRmXlog && (r.info & 0xF0) == kXlogRestorePoint) {
            size_t len = 0;
            const char *rec = r.bytes(4096, &len);
            if (decodeRecord(rec, len, version, d) && d.mainLength >= 8 + kRestorePointName) {
                const char *name = d.main + 8;
                s.restorePoints << RestorePoint{QString::fromUtf8(name, qsizetype(strnlen(name, kRestorePointName))), r.endLsn,
                                                rd<qint64>(d.main) + kPgEpochOffsetUs};
            }
        }
        return true;
    });
    if (!walk)
        return walk.error();
    s.header = walk->header;
    s.startLsn = walk->header.pageAddress;
    s.endLsn = walk->endLsn;
    s.walSwitch = walk->walSwitch;
    s.records = walk->records;
    return s;
}

} // namespace pga::wal
