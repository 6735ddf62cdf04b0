#include "WalRecords.h"

#include <algorithm>
#include <cstring>

namespace pga::wal {

namespace {

constexpr size_t kShortHeader = 24;   // MAXALIGN(sizeof(XLogPageHeaderData))
constexpr size_t kLongHeader = 40;    // MAXALIGN(sizeof(XLogLongPageHeaderData))
constexpr size_t kRecordHeader = 24;  // SizeOfXLogRecord
constexpr quint8 kXlogSwitch = 0x40;

template <typename T>
T rd(const char *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

constexpr size_t align8(size_t v) { return (v + 7) & ~size_t(7); }

// The records form a stream over the page payloads (page headers skipped). Headers are multiples of 8 bytes, so
// MAXALIGN positions in the stream are MAXALIGN positions in the file.
struct Walk {
    const char *data = nullptr;
    size_t blck = 0, p0 = 0, pn = 0;
    mutable std::vector<char> buffer;

    size_t phys(size_t off) const
    {
        if (off < p0)
            return kLongHeader + off;
        off -= p0;
        return (1 + off / pn) * blck + kShortHeader + off % pn;
    }
    void copyOut(size_t off, size_t len, char *dst) const
    {
        while (len) {
            const size_t room = off < p0 ? p0 - off : pn - (off - p0) % pn;
            const size_t k = std::min(len, room);
            std::memcpy(dst, data + phys(off), k);
            dst += k;
            off += k;
            len -= k;
        }
    }
};

} // namespace

const char *RawRecord::bytes(size_t maxLen, size_t *len) const
{
    const Walk &w = *static_cast<const Walk *>(walk);
    const size_t n = std::min<size_t>(totalLength, maxLen);
    // Most records lie within one page: read them in place.
    const size_t first = streamPos < w.p0 ? w.p0 - streamPos : w.pn - (streamPos - w.p0) % w.pn;
    *len = n;
    if (n <= first)
        return w.data + w.phys(streamPos);
    w.buffer.resize(n);
    w.copyOut(streamPos, n, w.buffer.data());
    return w.buffer.data();
}

Result<RecordWalk> forEachRecord(const char *data, size_t size, const std::function<bool(const RawRecord &)> &fn)
{
    auto header = readSegmentHeader(data, size);
    if (!header)
        return header.error();
    RecordWalk out;
    out.header = *header;
    const quint64 segStart = header->pageAddress.value();
    out.endLsn = header->pageAddress;
    Walk w;
    w.data = data;
    w.blck = header->blockSize;
    w.p0 = w.blck - kLongHeader;
    w.pn = w.blck - kShortHeader;
    const size_t usable = std::min<size_t>(size, header->segmentSize);
    size_t pages = 0;
    for (; (pages + 1) * w.blck <= usable; ++pages) {
        const char *p = data + pages * w.blck;
        if (rd<quint16>(p) != header->magic || rd<quint64>(p + 8) != segStart + pages * w.blck)
            break;  // not written yet, or left over from a recycled segment
    }
    const size_t n = pages == 0 ? 0 : w.p0 + (pages - 1) * w.pn;
    const quint32 firstRemLen = rd<quint32>(data + 16);

    if (firstRemLen > 0 && firstRemLen <= size_t(kMaxCarriedRecord) && firstRemLen <= n) {
        out.tail.resize(qsizetype(firstRemLen));
        w.copyOut(0, firstRemLen, out.tail.data());
    }
    char hdr[kRecordHeader];
    size_t pos = align8(firstRemLen);
    auto carry = [&](size_t from) {
        // Only a segment whose every page was written ends in the middle of a record that the next one continues.
        if (pages * w.blck < header->segmentSize || from >= n || n - from > size_t(kMaxCarriedRecord))
            return;
        out.head.resize(qsizetype(n - from));
        w.copyOut(from, n - from, out.head.data());
        out.headLsn = Lsn(segStart + w.phys(from));
    };
    if (pos > n)
        pos = n;  // the continued record fills the whole segment
    RawRecord r;
    r.walk = &w;
    while (true) {
        if (pos + kRecordHeader > n) {
            carry(pos);  // a record header split across the segment boundary
            break;
        }
        w.copyOut(pos, kRecordHeader, hdr);
        const quint32 totLen = rd<quint32>(hdr);
        if (totLen < kRecordHeader || totLen > (1u << 30))
            break;  // zero: end of valid WAL
        if (pos + totLen > n) {
            carry(pos);  // continues in the next segment
            break;
        }
        r.totalLength = totLen;
        r.xid = rd<quint32>(hdr + 4);
        r.info = quint8(hdr[16]);
        r.rmid = quint8(hdr[17]);
        r.streamPos = pos;
        r.lsn = Lsn(segStart + w.phys(pos));
        const size_t end = pos + totLen;
        // As pg_create_restore_point() returns it: the MAXALIGNed end, a page boundary itself when it ends a page.
        r.endLsn = Lsn(segStart + w.phys(align8(end) - 1) + 1);
        ++out.records;
        out.endLsn = Lsn(segStart + (end < n ? w.phys(end) : pages * w.blck));
        const bool more = fn(r);
        if (r.rmid == rm::Xlog && (r.info & 0xF0) == kXlogSwitch) {
            out.walSwitch = true;
            out.endLsn = Lsn(segStart + header->segmentSize);
            break;
        }
        if (!more)
            break;
        pos = align8(end);
    }
    return out;
}

bool decodeRecord(const char *rec, size_t len, int pgVersion, DecodedRecord &out)
{
    out.blocks.clear();
    out.main = nullptr;
    out.mainLength = 0;
    size_t off = kRecordHeader;
    size_t blockData = 0;
    RelNode last;
    bool haveRel = false;
    // As DecodeXLogRecord: headers go on while more bytes remain than the data they announced (a record without
    // main data has no main data header).
    while (off < len && len - off > blockData) {
        const quint8 id = quint8(rec[off]);
        if (id == 255) {                       // XLR_BLOCK_ID_DATA_SHORT
            if (off + 2 > len)
                return false;
            out.mainLength = quint8(rec[off + 1]);
            off += 2;
            break;
        }
        if (id == 254) {                       // XLR_BLOCK_ID_DATA_LONG
            if (off + 5 > len)
                return false;
            out.mainLength = rd<quint32>(rec + off + 1);
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
            return false;
        BlockRef b;
        const quint8 forkFlags = quint8(rec[off + 1]);
        b.fork = forkFlags & 0x0F;
        b.dataLength = rd<quint16>(rec + off + 2);
        blockData += b.dataLength;
        off += 4;
        if (forkFlags & 0x10) {                // BKPBLOCK_HAS_IMAGE
            if (off + 5 > len)
                return false;
            b.image = true;
            b.imageLength = rd<quint16>(rec + off);
            blockData += b.imageLength;
            const quint8 bimgInfo = quint8(rec[off + 4]);
            off += 5;
            b.imageCompressed = pgVersion >= 150000 ? (bimgInfo & 0x1c) != 0 : (bimgInfo & 0x02) != 0;
            if ((bimgInfo & 0x01) && b.imageCompressed) // BKPIMAGE_HAS_HOLE: XLogRecordBlockCompressHeader
                off += 2;
        }
        if (!(forkFlags & 0x80)) {             // BKPBLOCK_SAME_REL: else a RelFileNode follows
            if (off + 12 > len)
                return false;
            last = {rd<quint32>(rec + off), rd<quint32>(rec + off + 4), rd<quint32>(rec + off + 8)};
            haveRel = true;
            off += 12;
        } else if (!haveRel) {
            return false;
        }
        if (off + 4 > len)
            return false;
        b.node = last;
        b.block = rd<quint32>(rec + off);
        off += 4;
        if (out.blocks.size() >= 33)
            return false;
        out.blocks.push_back(b);
    }
    if (off + blockData > len || out.mainLength > len - off - blockData)
        return false;
    // The block data follows the headers in block order: each block's image, then its data.
    for (BlockRef &b : out.blocks) {
        if (b.image)
            b.imageData = rec + off;
        off += size_t(b.imageLength) + b.dataLength;
    }
    out.main = rec + off;
    return true;
}

std::optional<bool> isHeapPageImage(const BlockRef &b)
{
    if (!b.image || b.imageCompressed || !b.imageData || b.imageLength < 20)
        return std::nullopt;
    // PageHeaderData: pd_special at 16, pd_pagesize_version at 18. A heap page's special space is empty.
    const quint16 special = rd<quint16>(b.imageData + 16);
    const quint16 pageSize = rd<quint16>(b.imageData + 18) & 0xFF00;
    return pageSize != 0 && special == pageSize;
}

} // namespace pga::wal
