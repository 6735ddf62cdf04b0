#include "WalActivity.h"

#include "Zstd.h"

#include <QDataStream>
#include <QIODevice>

#include <cstring>
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
constexpr quint8 kHeapOpMask = 0x70, kHeapInsert = 0x00, kHeapDelete = 0x10, kHeapUpdate = 0x20, kHeapHotUpdate = 0x40;
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

Result<SegmentActivity> scanActivity(const char *data, size_t size)
{
    SegmentActivity a;
    std::unordered_map<ChangeKey, size_t, ChangeKeyHash> index;
    const int version = size >= 2 ? versionForMagic(rd<quint16>(data)) : 0;
    auto change = [&](quint32 xid, const RelNode &node) -> RelChange & {
        auto [it, fresh] = index.try_emplace(ChangeKey{xid, node}, a.changes.size());
        if (fresh)
            a.changes.push_back(RelChange{xid, node});
        return a.changes[it->second];
    };
    DecodedRecord d;
    auto walk = forEachRecord(data, size, [&](const RawRecord &r) {
        const bool wanted = r.rmid == rm::Heap || r.rmid == rm::Xact || (r.rmid == rm::Heap2 && (r.info & kHeapOpMask) == kHeap2MultiInsert) ||
                            (r.rmid == rm::Xlog && (r.info & 0xF0) == kXlogFpi) || (r.rmid == rm::Smgr && (r.info & 0xF0) == kSmgrCreate) ||
                            (r.rmid == rm::Dbase && (r.info & 0xF0) == kDbaseDrop);
        if (!wanted)
            return true;
        size_t len = 0;
        const char *rec = r.bytes(size_t(1) << 30, &len);
        if (!decodeRecord(rec, len, version, d))
            return true;
        switch (r.rmid) {
        case rm::Heap: {
            if (d.blocks.empty() || d.blocks[0].fork != 0 || r.xid == 0)
                break;
            const quint8 op = r.info & kHeapOpMask;
            if (op == kHeapInsert)
                ++change(r.xid, d.blocks[0].node).inserted;
            else if (op == kHeapDelete) {
                RelChange &c = change(r.xid, d.blocks[0].node);
                if (d.mainLength >= 8 && (quint8(d.main[7]) & kDeleteIsSuper))
                    --c.inserted;
                else
                    ++c.deleted;
            } else if (op == kHeapUpdate || op == kHeapHotUpdate)
                ++change(r.xid, d.blocks[0].node).updated;
            break;
        }
        case rm::Heap2:
            if (!d.blocks.empty() && d.blocks[0].fork == 0 && r.xid != 0 && d.mainLength >= 4)
                change(r.xid, d.blocks[0].node).inserted += rd<quint16>(d.main + 2);  // xl_heap_multi_insert.ntuples
            break;
        case rm::Xlog:
            if (r.xid != 0)
                for (const BlockRef &b : d.blocks)
                    if (b.image && b.fork == 0)
                        ++change(r.xid, b.node).pages;
            break;
        case rm::Smgr:
            if (d.mainLength >= 16 && rd<qint32>(d.main + 12) == 0)
                a.creates.push_back({r.xid, {rd<quint32>(d.main), rd<quint32>(d.main + 4), rd<quint32>(d.main + 8)}});
            break;
        case rm::Dbase:
            if (d.mainLength >= 4)
                a.dbDrops.push_back({r.xid, rd<quint32>(d.main)});
            break;
        case rm::Xact: {
            const quint8 op = r.info & kXactOpMask;
            if (op != kCommit && op != kAbort && op != kCommitPrepared && op != kAbortPrepared)
                break;
            XactEnd e;
            e.committed = op == kCommit || op == kCommitPrepared;
            e.lsn = r.lsn;
            if (parseXactEnd(d.main, d.mainLength, r.info, e.committed, version, r.xid, e))
                a.ends.push_back(std::move(e));
            break;
        }
        default:
            break;
        }
        return true;
    });
    if (!walk)
        return walk.error();
    a.timeline = walk->header.timeline;
    a.startLsn = walk->header.pageAddress;
    a.endLsn = walk->endLsn;
    a.pgVersionNum = walk->header.pgVersionNum;
    return a;
}

namespace {

constexpr quint32 kMagic = 0x50474157;  // "PGAW"
constexpr qint32 kVersion = 1;
constexpr quint32 kMaxItems = 1u << 26;

QDataStream &operator<<(QDataStream &s, const RelNode &n) { return s << n.spc << n.db << n.rel; }
QDataStream &operator>>(QDataStream &s, RelNode &n) { return s >> n.spc >> n.db >> n.rel; }

template <typename T, typename W>
void writeList(QDataStream &s, const std::vector<T> &v, W w)
{
    s << quint32(v.size());
    for (const T &x : v)
        w(x);
}

template <typename T, typename R>
bool readList(QDataStream &s, std::vector<T> &v, R r)
{
    quint32 n = 0;
    s >> n;
    if (s.status() != QDataStream::Ok || n > kMaxItems || n > quint32(s.device()->bytesAvailable()))
        return false;
    v.resize(n);
    for (T &x : v) {
        r(x);
        if (s.status() != QDataStream::Ok)
            return false;
    }
    return true;
}

} // namespace

QByteArray encodeActivity(const SegmentActivity &a)
{
    QByteArray raw;
    {
        QDataStream s(&raw, QIODevice::WriteOnly);
        s.setVersion(QDataStream::Qt_6_0);
        s << kMagic << kVersion << a.timeline << quint64(a.startLsn.value()) << quint64(a.endLsn.value()) << qint32(a.pgVersionNum);
        writeList(s, a.ends, [&](const XactEnd &e) {
            s << e.xid << e.committed << e.timeUs << quint64(e.lsn.value()) << e.db;
            writeList(s, e.subxids, [&](quint32 x) { s << x; });
            writeList(s, e.rels, [&](const RelNode &n) { s << n; });
            writeList(s, e.dropped, [&](const StatsItem &i) { s << i.kind << i.db << i.obj; });
        });
        writeList(s, a.changes, [&](const RelChange &c) { s << c.xid << c.node << c.inserted << c.deleted << c.updated << c.pages; });
        writeList(s, a.creates, [&](const RelCreate &c) { s << c.xid << c.node; });
        writeList(s, a.dbDrops, [&](const DbDrop &d) { s << d.xid << d.db; });
    }
    return zstd::compress(raw, 3);
}

Result<SegmentActivity> decodeActivity(const QByteArray &bytes)
{
    auto raw = zstd::decompress(bytes, size_t(1) << 30);
    if (!raw)
        return Error(Error::Code::Corrupt, QStringLiteral("The WAL scan cache entry is not a zstd frame."), raw.error().message);
    QDataStream s(*raw);
    s.setVersion(QDataStream::Qt_6_0);
    auto bad = [](const QString &why) { return Error(Error::Code::Corrupt, QStringLiteral("The WAL scan cache entry is damaged: %1.").arg(why)); };
    quint32 magic = 0;
    qint32 version = 0;
    s >> magic >> version;
    if (s.status() != QDataStream::Ok || magic != kMagic)
        return bad(QStringLiteral("no header"));
    if (version != kVersion)
        return Error(Error::Code::Unsupported, QStringLiteral("The WAL scan cache entry has format %1; this build reads %2.").arg(version).arg(kVersion));
    SegmentActivity a;
    quint64 start = 0, end = 0;
    qint32 pgVersion = 0;
    s >> a.timeline >> start >> end >> pgVersion;
    a.startLsn = Lsn(start);
    a.endLsn = Lsn(end);
    a.pgVersionNum = pgVersion;
    const bool ok = readList(s, a.ends, [&](XactEnd &e) {
        quint64 lsn = 0;
        s >> e.xid >> e.committed >> e.timeUs >> lsn >> e.db;
        e.lsn = Lsn(lsn);
        if (!readList(s, e.subxids, [&](quint32 &x) { s >> x; }) || !readList(s, e.rels, [&](RelNode &n) { s >> n; }) ||
            !readList(s, e.dropped, [&](StatsItem &i) { s >> i.kind >> i.db >> i.obj; }))
            s.setStatus(QDataStream::ReadCorruptData);
    }) && readList(s, a.changes, [&](RelChange &c) { s >> c.xid >> c.node >> c.inserted >> c.deleted >> c.updated >> c.pages; })
                    && readList(s, a.creates, [&](RelCreate &c) { s >> c.xid >> c.node; })
                    && readList(s, a.dbDrops, [&](DbDrop &d) { s >> d.xid >> d.db; });
    if (!ok || s.status() != QDataStream::Ok)
        return bad(QStringLiteral("truncated or malformed"));
    if (!s.atEnd())
        return bad(QStringLiteral("trailing bytes"));
    return a;
}

} // namespace pga::wal
