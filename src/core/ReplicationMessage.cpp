#include "ReplicationMessage.h"

#include <QtEndian>

namespace pga::wal {

namespace {

quint64 u64(const char *p) { return qFromBigEndian<quint64>(p); }

void put64(QByteArray &b, quint64 v)
{
    char tmp[8];
    qToBigEndian<quint64>(v, tmp);
    b.append(tmp, 8);
}

} // namespace

Result<StreamMessage> parseStreamMessage(const char *p, size_t n)
{
    if (n == 0)
        return Error(Error::Code::Corrupt, QStringLiteral("The server sent an empty replication message."));
    StreamMessage m;
    if (p[0] == 'w') {
        if (n < 25)
            return Error(Error::Code::Corrupt, QStringLiteral("The server sent a truncated WAL data message (%1 bytes).").arg(n));
        m.kind = StreamMessage::Kind::XLogData;
        m.start = Lsn(u64(p + 1));
        m.serverWalEnd = Lsn(u64(p + 9));
        m.sendTimeUs = qint64(u64(p + 17)) + kPgEpochOffsetUs;
        m.data = p + 25;
        m.size = n - 25;
        return m;
    }
    if (p[0] == 'k') {
        if (n < 18)
            return Error(Error::Code::Corrupt, QStringLiteral("The server sent a truncated keepalive (%1 bytes).").arg(n));
        m.kind = StreamMessage::Kind::Keepalive;
        m.serverWalEnd = Lsn(u64(p + 1));
        m.sendTimeUs = qint64(u64(p + 9)) + kPgEpochOffsetUs;
        m.replyRequested = p[17] != 0;
        return m;
    }
    return Error(Error::Code::Corrupt, QStringLiteral("The server sent a replication message of unknown type 0x%1.")
                                           .arg(uint(uchar(p[0])), 2, 16, QLatin1Char('0')));
}

QByteArray standbyStatusUpdate(Lsn written, Lsn flushed, Lsn applied, qint64 nowUs, bool replyRequested)
{
    QByteArray b;
    b.reserve(34);
    b.append('r');
    put64(b, written.value());
    put64(b, flushed.value());
    put64(b, applied.value());
    put64(b, quint64(nowUs - kPgEpochOffsetUs));
    b.append(char(replyRequested ? 1 : 0));
    return b;
}

Result<QList<TimelineSwitch>> parseTimelineHistory(const QByteArray &content)
{
    QList<TimelineSwitch> out;
    int lineNo = 0;
    for (const QByteArray &raw : content.split('\n')) {
        ++lineNo;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        // Fields are separated by whitespace; the reason is the rest of the line.
        const QList<QByteArray> parts = line.simplified().split(' ');
        bool ok = false;
        TimelineSwitch s;
        s.parentTimeline = parts.value(0).toUInt(&ok);
        const auto lsn = parts.size() >= 2 ? Lsn::parse(QString::fromLatin1(parts.at(1))) : std::nullopt;
        if (!ok || s.parentTimeline == 0 || !lsn)
            return Error(Error::Code::Corrupt, QStringLiteral("Line %1 of the timeline history is not \"timeline<TAB>LSN<TAB>reason\".").arg(lineNo));
        if (!out.isEmpty() && (s.parentTimeline <= out.last().parentTimeline || *lsn < out.last().switchpoint))
            return Error(Error::Code::Corrupt, QStringLiteral("Line %1 of the timeline history goes back in time.").arg(lineNo));
        s.switchpoint = *lsn;
        s.reason = QString::fromUtf8(parts.mid(2).join(' '));
        out << s;
    }
    return out;
}

Lsn timelineEnd(const QList<TimelineSwitch> &history, quint32 timeline)
{
    for (const TimelineSwitch &s : history)
        if (s.parentTimeline == timeline)
            return s.switchpoint;
    return Lsn();
}

} // namespace pga::wal
