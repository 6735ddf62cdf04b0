#pragma once

#include <QByteArray>

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

    // Lays the stream out on pages. remLen: bytes of a record continued from the previous segment.
    QByteArray build(quint32 remLen = 0) const
    {
        QByteArray d = m_data;
        QByteArray stream(qsizetype(remLen), 'c');
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
