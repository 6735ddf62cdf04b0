// The WAL scan cache's encoding of a SegmentActivity (docs/repository-format.md, "WAL scan cache").
#include "WalActivity.h"

#include "Zstd.h"

#include <zstd.h>

#include <cstring>

namespace pga::wal {

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
