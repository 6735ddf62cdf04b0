#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstring>

namespace pga::test {

// Builds WAL segments the way PostgreSQL lays them out (page headers, records that cross pages), for
// unit tests that must not depend on a server. Only what our parser reads is filled in.
class SyntheticWal {
public:
    SyntheticWal(quint64 sysid, quint32 timeline, quint64 segNo, quint32 segSize = 1u << 20, quint16 magic = 0xD110,
                 quint32 blck = 8192)
        : m_sysid(sysid), m_tli(timeline), m_segStart(segNo * segSize), m_segSize(segSize), m_magic(magic), m_blck(blck)
    {
        m_data = QByteArray(qsizetype(segSize), '\0');
        m_stream.reserve(segSize);
    }

    // A commit (or, with abort, an abort) record whose xact_time is `pgTimeUs` (PostgreSQL epoch).
    void commit(qint64 pgTimeUs, bool abort = false, bool withBlockRef = false, quint32 xid = 1234)
    {
        QByteArray body;
        if (withBlockRef) {  // one block reference with 10 bytes of block data before the main data
            body.append(char(0)).append(char(0));
            appendInt<quint16>(body, 10);
            body.append(QByteArray(12, 'r')).append(QByteArray(4, 'b'));
        }
        body.append(char(255)).append(char(8));
        if (withBlockRef)
            body.append(QByteArray(10, 'd'));
        appendInt<qint64>(body, pgTimeUs);
        record(1, abort ? 0x20 : 0x00, body, xid);
    }
    // pg_create_restore_point(name): xl_restore_point {rp_time, rp_name[64]}. Returns the record's end in the
    // stream (bytes after the segment's first record position), for the expected LSN.
    qsizetype restorePoint(const QByteArray &name, qint64 pgTimeUs)
    {
        QByteArray body(1, char(255));
        body.append(char(8 + 64));
        appendInt<qint64>(body, pgTimeUs);
        body.append(name.left(63)).append(QByteArray(64 - qMin<qsizetype>(name.size(), 63), '\0'));
        record(0, 0x70, body, 0);
        return m_stream.size();
    }
    // An uninteresting record of n bytes of main data (heap insert), to fill pages.
    void filler(int n)
    {
        QByteArray body(1, char(254));
        body.append(intBytes<quint32>(quint32(n))).append(QByteArray(n, 'x'));
        record(10, 0, body);
    }
    void walSwitch() { record(0, 0x40, {}); }
    // Raw bytes appended to the record stream (fuzzing), and the stream so far (fuzz seeds).
    void raw(const QByteArray &bytes) { m_stream.append(bytes); }
    const QByteArray &stream() const { return m_stream; }
    // How many stream bytes the segment's pages hold.
    qsizetype capacity() const { return qsizetype(m_blck - 40) + qsizetype(m_segSize / m_blck - 1) * qsizetype(m_blck - 24); }

    // Records the blunder finder reads (PostgreSQL 15 layouts). A relation file is (tablespace, database, file).
    struct Rel {
        quint32 spc = 1663, db = 5, rel = 0;
    };
    // A heap record touching one block of rel: op 0x00 INSERT, 0x10 DELETE (flags in xl_heap_delete), 0x20 UPDATE,
    // 0x40 HOT UPDATE; with a second block reference of the same relation (SAME_REL) for an UPDATE, as heap_update
    // writes when the new version goes to another page. A full page image on the first block when `image`.
    void heap(quint8 op, quint32 xid, Rel rel, quint8 deleteFlags = 0, bool image = false)
    {
        QByteArray hdrs, data;
        blockRef(hdrs, data, 0, rel, 7, image, false, QByteArray(image ? 0 : 6, 'h'));
        if (op == 0x20)
            blockRef(hdrs, data, 1, rel, 3, false, true, {});
        QByteArray main;
        appendInt<quint32>(main, xid);       // xmax
        appendInt<quint16>(main, 1);         // offnum
        main.append(char(0)).append(char(deleteFlags));
        record(10, op, hdrs + mainHeader(main) + data + main, xid);
    }
    // XLOG_HEAP2_MULTI_INSERT of n tuples.
    void multiInsert(quint32 xid, Rel rel, quint16 n)
    {
        QByteArray hdrs, data;
        blockRef(hdrs, data, 0, rel, 1, false, false, QByteArray(4, 't'));
        QByteArray main(1, '\0');
        main.append(char(0));
        appendInt<quint16>(main, n);
        record(9, 0x50, hdrs + mainHeader(main) + data + main, xid);
    }
    // log_newpage: an XLOG FPI record (no main data) for one page of rel, a heap page or an index page.
    void fullPage(quint32 xid, Rel rel, quint32 block, bool indexPage = false)
    {
        QByteArray hdrs, data;
        blockRef(hdrs, data, 0, rel, block, true, false, {}, indexPage);
        record(0, 0xB0, hdrs + data, xid);
    }
    void storageCreate(quint32 xid, Rel rel)
    {
        QByteArray main;
        appendInt<quint32>(main, rel.spc);
        appendInt<quint32>(main, rel.db);
        appendInt<quint32>(main, rel.rel);
        appendInt<qint32>(main, 0);  // MAIN_FORKNUM
        record(2, 0x10, mainHeader(main) + main, xid);
    }
    void databaseDrop(quint32 xid, quint32 db)
    {
        QByteArray main;
        appendInt<quint32>(main, db);
        appendInt<qint32>(main, 0);
        record(4, 0x20, mainHeader(main) + main, xid);
    }
    struct Stats {
        qint32 kind;
        quint32 db, obj;
    };
    // A commit (or abort) with its optional parts: subtransactions, removed relation files, dropped statistics.
    void xactEnd(quint32 xid, qint64 pgTimeUs, bool abort, const QList<quint32> &subxids, const QList<Rel> &rels,
                 const QList<Stats> &dropped)
    {
        QByteArray main;
        appendInt<qint64>(main, pgTimeUs);
        quint32 xinfo = 0;
        if (!subxids.isEmpty())
            xinfo |= 1u << 1;
        if (!rels.isEmpty())
            xinfo |= 1u << 2;
        if (!dropped.isEmpty())
            xinfo |= 1u << 8;
        const bool hasInfo = xinfo != 0;
        if (hasInfo)
            appendInt<quint32>(main, xinfo);
        if (!subxids.isEmpty()) {
            appendInt<qint32>(main, qint32(subxids.size()));
            for (quint32 x : subxids)
                appendInt<quint32>(main, x);
        }
        if (!rels.isEmpty()) {
            appendInt<qint32>(main, qint32(rels.size()));
            for (const Rel &r : rels) {
                appendInt<quint32>(main, r.spc);
                appendInt<quint32>(main, r.db);
                appendInt<quint32>(main, r.rel);
            }
        }
        if (!dropped.isEmpty()) {
            appendInt<qint32>(main, qint32(dropped.size()));
            for (const Stats &d : dropped) {
                appendInt<qint32>(main, d.kind);
                appendInt<quint32>(main, d.db);
                appendInt<quint32>(main, d.obj);
            }
        }
        record(1, quint8((abort ? 0x20 : 0x00) | (hasInfo ? 0x80 : 0)), mainHeader(main) + main, xid);
    }

    // Lays the stream out on pages. remLen: bytes of a record continued from the previous segment.
    // continuation: those bytes themselves (the rest of a record the previous segment's stream did not hold).
    QByteArray build(quint32 remLen = 0, const QByteArray &continuation = {}) const
    {
        QByteArray d = m_data;
        QByteArray stream = continuation.isEmpty() ? QByteArray(qsizetype(remLen), 'c') : continuation;
        remLen = quint32(stream.size());
        stream.append(QByteArray(qsizetype((8 - remLen % 8) % 8), '\0')).append(m_stream);
        qsizetype pos = 0;
        for (quint32 page = 0; page * m_blck < m_segSize; ++page) {
            char *p = d.data() + page * m_blck;
            const quint32 hdr = page == 0 ? 40 : 24;
            put<quint16>(p, m_magic);
            put<quint16>(p + 2, page == 0 ? 0x0002 : 0);
            put<quint32>(p + 4, m_tli);
            put<quint64>(p + 8, m_segStart + quint64(page) * m_blck);
            put<quint32>(p + 16, page == 0 ? remLen : 0);
            if (page == 0) {
                put<quint64>(p + 24, m_sysid);
                put<quint32>(p + 32, m_segSize);
                put<quint32>(p + 36, m_blck);
            }
            const qsizetype n = std::min<qsizetype>(m_blck - hdr, stream.size() - pos);
            if (n > 0)
                std::memcpy(p + hdr, stream.constData() + pos, size_t(n));
            pos += std::max<qsizetype>(n, 0);
        }
        return d;
    }

private:
    static QByteArray mainHeader(const QByteArray &main)
    {
        QByteArray h;
        if (main.size() < 256) {
            h.append(char(255)).append(char(main.size()));
        } else {
            h.append(char(254));
            appendInt<quint32>(h, quint32(main.size()));
        }
        return h;
    }
    // XLogRecordBlockHeader (+ image header, + RelFileNode unless sameRel, + BlockNumber); the data goes to `data`.
    static void blockRef(QByteArray &hdrs, QByteArray &data, quint8 id, Rel rel, quint32 block, bool image, bool sameRel,
                         const QByteArray &blockData, bool indexPage = false)
    {
        QByteArray page(image ? 8192 - 100 : 0, 'p');  // a page image with a 100-byte hole
        if (image) {  // its header: pd_special and pd_pagesize_version of a heap page (an index page: special < 8192)
            const quint16 special = indexPage ? 8192 - 16 : 8192, sizeVersion = 8192 | 4;
            std::memcpy(page.data() + 16, &special, 2);
            std::memcpy(page.data() + 18, &sizeVersion, 2);
        }
        quint8 flags = 0;
        if (image)
            flags |= 0x10;
        if (!blockData.isEmpty())
            flags |= 0x20;
        if (sameRel)
            flags |= 0x80;
        hdrs.append(char(id)).append(char(flags));
        appendInt<quint16>(hdrs, quint16(blockData.size()));
        if (image) {
            appendInt<quint16>(hdrs, quint16(page.size()));
            appendInt<quint16>(hdrs, 24);  // hole offset
            hdrs.append(char(0x01 | 0x02));  // BKPIMAGE_HAS_HOLE | BKPIMAGE_APPLY
        }
        if (!sameRel) {
            appendInt<quint32>(hdrs, rel.spc);
            appendInt<quint32>(hdrs, rel.db);
            appendInt<quint32>(hdrs, rel.rel);
        }
        appendInt<quint32>(hdrs, block);
        data.append(page).append(blockData);
    }
    template <typename T> static void put(char *p, T v) { std::memcpy(p, &v, sizeof v); }
    template <typename T> static QByteArray intBytes(T v) { return QByteArray(reinterpret_cast<const char *>(&v), sizeof v); }
    template <typename T> static void appendInt(QByteArray &b, T v) { b.append(intBytes(v)); }

    void record(quint8 rmid, quint8 info, const QByteArray &body, quint32 xid = 1234)
    {
        QByteArray r;
        appendInt<quint32>(r, quint32(24 + body.size()));
        appendInt<quint32>(r, xid);
        appendInt<quint64>(r, 0);
        r.append(char(info)).append(char(rmid)).append(2, '\0');
        appendInt<quint32>(r, 0);
        r.append(body);
        m_stream.append(r);
        while (m_stream.size() % 8)
            m_stream.append('\0');
    }

    quint64 m_sysid;
    quint32 m_tli;
    quint64 m_segStart;
    quint32 m_segSize;
    quint16 m_magic;
    quint32 m_blck;
    QByteArray m_data;
    QByteArray m_stream;
};

} // namespace pga::test
