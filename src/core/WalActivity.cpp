#include "WalActivity.h"

#include "Zstd.h"

#include <zstd.h>


#include <cstring>
#include <map>
#include <tuple>
#include <optional>
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

namespace {

constexpr quint32 kMagic = 0x50474157;  // "PGAW"
constexpr qint32 kVersion = 4;  // 4: heap and unknown pages; 3: database drops with their LSN; 2: little-endian, crossing records
constexpr quint32 kMaxItems = 1u << 26;

// Plain little-endian fields (a QDataStream costs a virtual read per field: ten times slower on a warm scan).
class Writer {
public:
    template <typename T>
    void put(T v)
    {
        m_out.append(reinterpret_cast<const char *>(&v), sizeof v);
    }
    void put(const RelNode &n)
    {
        put(n.spc);
        put(n.db);
        put(n.rel);
    }
    void bytes(const QByteArray &b)
    {
        put(quint32(b.size()));
        m_out.append(b);
    }
    template <typename T, typename F>
    void list(const std::vector<T> &v, F each)
    {
        put(quint32(v.size()));
        for (const T &x : v)
            each(x);
    }
    QByteArray &out() { return m_out; }

private:
    QByteArray m_out;
};

class Reader {
public:
    explicit Reader(QByteArrayView in) : m_p(in.data()), m_end(in.data() + in.size()) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_p == m_end; }
    template <typename T>
    T get()
    {
        T v{};
        if (size_t(m_end - m_p) < sizeof v) {
            m_ok = false;
            return v;
        }
        std::memcpy(&v, m_p, sizeof v);
        m_p += sizeof v;
        return v;
    }
    RelNode node()
    {
        RelNode n;
        n.spc = get<quint32>();
        n.db = get<quint32>();
        n.rel = get<quint32>();
        return n;
    }
    QByteArray bytes()
    {
        const quint32 n = get<quint32>();
        if (!m_ok || n > size_t(m_end - m_p)) {
            m_ok = false;
            return {};
        }
        QByteArray b(m_p, qsizetype(n));
        m_p += n;
        return b;
    }
    template <typename T, typename F>
    void list(std::vector<T> &v, size_t minItemSize, F each)
    {
        const quint32 n = get<quint32>();
        if (!m_ok || n > kMaxItems || size_t(n) * minItemSize > size_t(m_end - m_p)) {
            m_ok = false;
            return;
        }
        v.clear();
        v.resize(n);
        for (T &x : v) {
            each(x);
            if (!m_ok)
                return;
        }
    }

private:
    const char *m_p;
    const char *m_end;
    bool m_ok = true;
};

} // namespace

QByteArray encodeActivity(const SegmentActivity &a)
{
    Writer w;
    w.put(kMagic);
    w.put(kVersion);
    w.put(a.timeline);
    w.put(quint64(a.startLsn.value()));
    w.put(quint64(a.endLsn.value()));
    w.put(qint32(a.pgVersionNum));
    w.list(a.ends, [&](const XactEnd &e) {
        w.put(e.xid);
        w.put(quint8(e.committed));
        w.put(e.timeUs);
        w.put(quint64(e.lsn.value()));
        w.put(e.db);
        w.list(e.subxids, [&](quint32 x) { w.put(x); });
        w.list(e.rels, [&](const RelNode &n) { w.put(n); });
        w.list(e.dropped, [&](const StatsItem &i) {
            w.put(i.kind);
            w.put(i.db);
            w.put(i.obj);
        });
    });
    w.list(a.changes, [&](const RelChange &c) {
        w.put(c.xid);
        w.put(c.node);
        w.put(c.inserted);
        w.put(c.deleted);
        w.put(c.updated);
        w.put(c.pages);
        w.put(c.heapPages);
        w.put(c.unknownPages);
    });
    w.list(a.creates, [&](const RelCreate &c) {
        w.put(c.xid);
        w.put(c.node);
    });
    w.list(a.dbDrops, [&](const DbDrop &d) {
        w.put(d.xid);
        w.put(d.db);
        w.put(quint64(d.lsn.value()));
    });
    w.bytes(a.carryHead);
    w.put(quint64(a.carryHeadLsn.value()));
    w.bytes(a.carryTail);
    return zstd::compress(w.out(), 3);
}

Result<SegmentActivity> decodeActivity(const QByteArray &bytes)
{
    SegmentActivity a;
    QByteArray scratch;
    if (Status s = decodeActivityInto(bytes, a, scratch); !s)
        return s.error();
    return a;
}

Status decodeActivityInto(const QByteArray &bytes, SegmentActivity &a, QByteArray &scratch)
{
    // Into buffers kept from the previous segment: a warm scan otherwise spends a third of its time on fresh pages.
    const unsigned long long size = ZSTD_getFrameContentSize(bytes.constData(), size_t(bytes.size()));
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 30))
        return Error(Error::Code::Corrupt, QStringLiteral("The WAL scan cache entry is not a zstd frame."));
    if (scratch.size() < qsizetype(size))
        scratch.resize(qsizetype(size));
    if (Status s = zstd::decompressInto(bytes.constData(), size_t(bytes.size()), scratch.data(), size_t(size)); !s)
        return Error(Error::Code::Corrupt, QStringLiteral("The WAL scan cache entry is not a zstd frame."), s.error().message);
    Reader r(QByteArrayView(scratch.constData(), qsizetype(size)));
    auto bad = [](const QString &why) { return Error(Error::Code::Corrupt, QStringLiteral("The WAL scan cache entry is damaged: %1.").arg(why)); };
    if (r.get<quint32>() != kMagic || !r.ok())
        return bad(QStringLiteral("no header"));
    const qint32 version = r.get<qint32>();
    if (version != kVersion)
        return Error(Error::Code::Unsupported, QStringLiteral("The WAL scan cache entry has format %1; this build reads %2.").arg(version).arg(kVersion));
    a.ends.clear();
    a.changes.clear();
    a.creates.clear();
    a.dbDrops.clear();
    a.timeline = r.get<quint32>();
    a.startLsn = Lsn(r.get<quint64>());
    a.endLsn = Lsn(r.get<quint64>());
    a.pgVersionNum = r.get<qint32>();
    r.list(a.ends, 37, [&](XactEnd &e) {  // 37: an end with empty lists
        e.xid = r.get<quint32>();
        e.committed = r.get<quint8>() != 0;
        e.timeUs = r.get<qint64>();
        e.lsn = Lsn(r.get<quint64>());
        e.db = r.get<quint32>();
        r.list(e.subxids, 4, [&](quint32 &x) { x = r.get<quint32>(); });
        r.list(e.rels, 12, [&](RelNode &n) { n = r.node(); });
        r.list(e.dropped, 12, [&](StatsItem &i) {
            i.kind = r.get<qint32>();
            i.db = r.get<quint32>();
            i.obj = r.get<quint32>();
        });
    });
    r.list(a.changes, 40, [&](RelChange &c) {
        c.xid = r.get<quint32>();
        c.node = r.node();
        c.inserted = r.get<qint32>();
        c.deleted = r.get<qint32>();
        c.updated = r.get<qint32>();
        c.pages = r.get<qint32>();
        c.heapPages = r.get<qint32>();
        c.unknownPages = r.get<qint32>();
    });
    r.list(a.creates, 16, [&](RelCreate &c) {
        c.xid = r.get<quint32>();
        c.node = r.node();
    });
    r.list(a.dbDrops, 16, [&](DbDrop &d) {
        d.xid = r.get<quint32>();
        d.db = r.get<quint32>();
        d.lsn = Lsn(r.get<quint64>());
    });
    a.carryHead = r.bytes();
    a.carryHeadLsn = Lsn(r.get<quint64>());
    a.carryTail = r.bytes();
    if (!r.ok())
        return bad(QStringLiteral("truncated or malformed"));
    if (!r.atEnd())
        return bad(QStringLiteral("trailing bytes"));
    return {};
}

} // namespace pga::wal
