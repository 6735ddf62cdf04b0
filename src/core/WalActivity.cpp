#include "WalActivity.h"

#include <cstring>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace pga::wal {

namespace {

template <typename T>
T rd(const char *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// access/xact.h (PostgreSQL 15)
constexpr quint8 kXactOpMask = 0x70, kXactHasInfo = 0x80;
constexpr quint8 kCommit = 0x00, kAbort = 0x20, kCommitPrepared = 0x30, kAbortPrepared = 0x40;
constexpr quint32 kDbInfo = 1u << 0, kSubxacts = 1u << 1, kRelfilenodes = 1u << 2, kInvals = 1u << 3, kTwoPhase = 1u << 4,
                  kDroppedStats = 1u << 8;
// access/heapam_xlog.h, catalog/storage_xlog.h, commands/dbcommands_xlog.h, catalog/pg_control.h
constexpr quint8 kHeapOpMask = 0x70, kHeapInsert = 0x00, kHeapDelete = 0x10, kHeapUpdate = 0x20, kHeapHotUpdate = 0x40,
                  kHeapInplace = 0x70;
constexpr quint8 kHeap2MultiInsert = 0x50;
constexpr quint8 kDeleteIsSuper = 1 << 3;
constexpr quint8 kSmgrCreate = 0x10, kDbaseDrop = 0x20, kXlogFpi = 0xB0;

// Walks the optional parts of xl_xact_commit / xl_xact_abort as ParseCommitRecord and ParseAbortRecord do.
bool parseXactEnd(const char *p, size_t len, quint8 info, bool commit, int version, quint32 recordXid, XactEnd &e)
{
    size_t off = 0;
    if (len < 8)
        return false;
    e.timeUs = rd<qint64>(p) + kPgEpochOffsetUs;
    off = 8;
    quint32 xinfo = 0;
    if (info & kXactHasInfo) {
        if (off + 4 > len)
            return false;
        xinfo = rd<quint32>(p + off);
        off += 4;
    }
    auto count = [&](size_t itemSize, qint32 *n) {
        if (off + 4 > len)
            return false;
        *n = rd<qint32>(p + off);
        off += 4;
        return *n >= 0 && size_t(*n) <= (len - off) / itemSize;
    };
    if (xinfo & kDbInfo) {
        if (off + 8 > len)
            return false;
        e.db = rd<quint32>(p + off);
        off += 8;
    }
    qint32 n = 0;
    if (xinfo & kSubxacts) {
        if (!count(4, &n))
            return false;
        e.subxids.resize(size_t(n));
        for (qint32 i = 0; i < n; ++i)
            e.subxids[size_t(i)] = rd<quint32>(p + off + size_t(i) * 4);
        off += size_t(n) * 4;
    }
    if (xinfo & kRelfilenodes) {
        if (!count(12, &n))
            return false;
        e.rels.resize(size_t(n));
        for (qint32 i = 0; i < n; ++i) {
            const char *q = p + off + size_t(i) * 12;
            e.rels[size_t(i)] = {rd<quint32>(q), rd<quint32>(q + 4), rd<quint32>(q + 8)};
        }
        off += size_t(n) * 12;
    }
    if (xinfo & kDroppedStats) {
        const size_t item = version >= 180000 ? 16 : 12;  // 18 split objoid into two 32-bit halves
        if (!count(item, &n))
            return false;
        e.dropped.resize(size_t(n));
        for (qint32 i = 0; i < n; ++i) {
            const char *q = p + off + size_t(i) * item;
            e.dropped[size_t(i)] = {rd<qint32>(q), rd<quint32>(q + 4), rd<quint32>(q + 8)};
        }
        off += size_t(n) * item;
    }
    if (commit && (xinfo & kInvals)) {
        if (!count(16, &n))
            return false;
        off += size_t(n) * 16;
    }
    e.xid = recordXid;
    const quint8 op = info & kXactOpMask;
    if (op == kCommitPrepared || op == kAbortPrepared) {  // the prepared transaction's xid is in the body
        if (!(xinfo & kTwoPhase) || off + 4 > len)
            return false;
        e.xid = rd<quint32>(p + off);
    }
    return e.xid != 0;
}

struct ChangeKey {
    quint32 xid;
    RelNode node;
    bool operator==(const ChangeKey &o) const { return xid == o.xid && node == o.node; }
};
struct ChangeKeyHash {
    size_t operator()(const ChangeKey &k) const
    {
        return (size_t(k.xid) * 0x9E3779B97F4A7C15ull) ^ (size_t(k.node.rel) << 1) ^ (size_t(k.node.db) << 33) ^ k.node.spc;
    }
};

} // namespace

namespace {

// Adds what one record says to an activity (changes aggregated per transaction and relation file).
class ActivityBuilder {
public:
    ActivityBuilder(SegmentActivity &a, int version) : m_a(a), m_version(version) {}

    static bool wanted(quint8 rmid, quint8 info)
    {
        return rmid == rm::Heap || rmid == rm::Xact || (rmid == rm::Heap2 && (info & kHeapOpMask) == kHeap2MultiInsert) ||
               (rmid == rm::Xlog && (info & 0xF0) == kXlogFpi) || (rmid == rm::Smgr && (info & 0xF0) == kSmgrCreate) ||
               (rmid == rm::Dbase && (info & 0xF0) == kDbaseDrop);
    }

    void add(const char *rec, size_t len, quint8 rmid, quint8 info, quint32 xid, Lsn lsn)
    {
        if (!wanted(rmid, info) || !decodeRecord(rec, len, m_version, m_d))
            return;
        const DecodedRecord &d = m_d;
        switch (rmid) {
        case rm::Heap: {
            if (d.blocks.empty() || d.blocks[0].fork != 0)
                break;
            const quint8 op = info & kHeapOpMask;
            if (op == kHeapInplace && d.blocks[0].node.db == 0 && d.mainLength >= 2) {
                // DROP DATABASE (15.4 and newer) first marks pg_database's row invalid in place. Replaying the mark
                // makes the database unusable, so a recovery that undoes the drop must stop before it. The
                // transaction may have no xid yet (a database with nothing else to clean up first): then the same
                // row's DELETE names it.
                if (xid != 0)
                    m_a.dbDrops.push_back({xid, 0, lsn});
                else
                    m_inplace[{d.blocks[0].node, d.blocks[0].block, rd<quint16>(d.main)}] = lsn;
                break;
            }
            if (xid == 0)
                break;
            if (op == kHeapDelete && d.blocks[0].node.db == 0 && d.mainLength >= 6 && !m_inplace.empty())
                if (auto it = m_inplace.find({d.blocks[0].node, d.blocks[0].block, rd<quint16>(d.main + 4)}); it != m_inplace.end()) {
                    m_a.dbDrops.push_back({xid, 0, it->second});
                    m_inplace.erase(it);
                }
            if (op == kHeapInsert)
                ++change(xid, d.blocks[0].node).inserted;
            else if (op == kHeapDelete) {
                RelChange &c = change(xid, d.blocks[0].node);
                if (d.mainLength >= 8 && (quint8(d.main[7]) & kDeleteIsSuper))
                    --c.inserted;
                else
                    ++c.deleted;
            } else if (op == kHeapUpdate || op == kHeapHotUpdate) {
                ++change(xid, d.blocks[0].node).updated;
            }
            break;
        }
        case rm::Heap2:
            if (!d.blocks.empty() && d.blocks[0].fork == 0 && xid != 0 && d.mainLength >= 4)
                change(xid, d.blocks[0].node).inserted += rd<quint16>(d.main + 2);  // xl_heap_multi_insert.ntuples
            break;
        case rm::Xlog:
            if (xid != 0)
                for (const BlockRef &b : d.blocks)
                    if (b.image && b.fork == 0) {
                        RelChange &c = change(xid, b.node);
                        ++c.pages;
                        const std::optional<bool> heap = isHeapPageImage(b);
                        if (!heap)
                            ++c.unknownPages;
                        else if (*heap)
                            ++c.heapPages;
                    }
            break;
        case rm::Smgr:
            if (d.mainLength >= 16 && rd<qint32>(d.main + 12) == 0)
                m_a.creates.push_back({xid, {rd<quint32>(d.main), rd<quint32>(d.main + 4), rd<quint32>(d.main + 8)}});
            break;
        case rm::Dbase:
            if (d.mainLength >= 4)
                m_a.dbDrops.push_back({xid, rd<quint32>(d.main), lsn});
            break;
        case rm::Xact: {
            const quint8 op = info & kXactOpMask;
            if (op != kCommit && op != kAbort && op != kCommitPrepared && op != kAbortPrepared)
                break;
            XactEnd e;
            e.committed = op == kCommit || op == kCommitPrepared;
            e.lsn = lsn;
            if (parseXactEnd(d.main, d.mainLength, info, e.committed, m_version, xid, e))
                m_a.ends.push_back(std::move(e));
            break;
        }
        default:
            break;
        }
    }

private:
    RelChange &change(quint32 xid, const RelNode &node)
    {
        auto [it, fresh] = m_index.try_emplace(ChangeKey{xid, node}, m_a.changes.size());
        if (fresh)
            m_a.changes.push_back(RelChange{xid, node});
        return m_a.changes[it->second];
    }

    SegmentActivity &m_a;
    int m_version;
    DecodedRecord m_d;
    std::unordered_map<ChangeKey, size_t, ChangeKeyHash> m_index;
    std::map<std::tuple<RelNode, quint32, quint16>, Lsn> m_inplace;  // shared catalog row -> its last xid-less in-place update
};

} // namespace

Result<SegmentActivity> scanActivity(const char *data, size_t size)
{
    SegmentActivity a;
    const int version = size >= 2 ? versionForMagic(rd<quint16>(data)) : 0;
    ActivityBuilder builder(a, version);
    auto walk = forEachRecord(data, size, [&](const RawRecord &r) {
        if (ActivityBuilder::wanted(r.rmid, r.info)) {
            size_t len = 0;
            const char *rec = r.bytes(size_t(1) << 30, &len);
            builder.add(rec, len, r.rmid, r.info, r.xid, r.lsn);
        }
        return true;
    });
    if (!walk)
        return walk.error();
    a.timeline = walk->header.timeline;
    a.startLsn = walk->header.pageAddress;
    a.endLsn = walk->endLsn;
    a.pgVersionNum = walk->header.pgVersionNum;
    a.carryHead = walk->head;
    a.carryHeadLsn = walk->headLsn;
    a.carryTail = walk->tail;
    return a;
}

std::optional<SegmentActivity> joinedRecord(const SegmentActivity &previous, const SegmentActivity &next)
{
    if (previous.carryHead.isEmpty() || next.carryTail.isEmpty() || previous.timeline != next.timeline)
        return std::nullopt;
    const QByteArray rec = previous.carryHead + next.carryTail;
    if (rec.size() < 24 || rd<quint32>(rec.constData()) != quint32(rec.size()))
        return std::nullopt;  // not the two halves of one record
    SegmentActivity a;
    a.timeline = previous.timeline;
    a.startLsn = a.endLsn = previous.carryHeadLsn;
    a.pgVersionNum = previous.pgVersionNum;
    ActivityBuilder(a, a.pgVersionNum).add(rec.constData(), size_t(rec.size()), quint8(rec[17]), quint8(rec[16]),
                                            rd<quint32>(rec.constData() + 4), previous.carryHeadLsn);
    return a;
}

} // namespace pga::wal
