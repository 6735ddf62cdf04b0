#include "ReplicationStream.h"

#include "ReplicationCommands.h"

#include <QDateTime>

namespace pga::pg {

using namespace detail;

namespace {

QString quoteIdent(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

Result<SlotInfo> readReplicationSlot(Connection &conn, const QString &slot, const CancelToken &cancel)
{
    auto row = singleRowCommand(conn, QStringLiteral("READ_REPLICATION_SLOT ") + quoteIdent(slot),
                                QStringLiteral("READ_REPLICATION_SLOT %1").arg(slot), cancel);
    if (!row)
        return row.error();
    SlotInfo info;
    // One row always; all NULL (empty) when the slot does not exist.
    info.type = row->value(0);
    info.exists = !info.type.isEmpty();
    info.restartLsn = Lsn::parse(row->value(1)).value_or(Lsn());
    info.restartTimeline = row->value(2).toUInt();
    return info;
}

Status createPhysicalSlot(Connection &conn, const QString &slot, const CancelToken &cancel)
{
    auto row = singleRowCommand(conn, QStringLiteral("CREATE_REPLICATION_SLOT %1 PHYSICAL RESERVE_WAL").arg(quoteIdent(slot)),
                                QStringLiteral("to create replication slot '%1'").arg(slot), cancel);
    if (!row)
        return row.error();
    return {};
}

Result<QByteArray> timelineHistory(Connection &conn, quint32 timeline, QString *fileName, const CancelToken &cancel)
{
    if (Status s = sendSimple(conn, QStringLiteral("TIMELINE_HISTORY %1").arg(timeline), cancel); !s)
        return s.error();
    QByteArray content;
    bool got = false;
    std::optional<Error> err;
    for (;;) {
        auto r = nextResult(conn, cancel);
        if (!r)
            return r.error();
        if (!*r)
            break;
        if (PQresultStatus(*r) == PGRES_TUPLES_OK && PQntuples(*r) == 1 && PQnfields(*r) == 2) {
            if (fileName)
                *fileName = QString::fromUtf8(PQgetvalue(*r, 0, 0));
            content = QByteArray(PQgetvalue(*r, 0, 1), PQgetlength(*r, 0, 1));
            got = true;
        } else if (PQresultStatus(*r) != PGRES_COMMAND_OK && PQresultStatus(*r) != PGRES_TUPLES_OK && !err) {
            err = resultError(*r, QStringLiteral("TIMELINE_HISTORY %1").arg(timeline));
        }
        PQclear(*r);
    }
    if (err)
        return *err;
    if (!got)
        return Error(Error::Code::Query, QStringLiteral("The server sent no history for timeline %1.").arg(timeline));
    return content;
}

ReplicationStream::~ReplicationStream()
{
    if (m_buffer)
        PQfreemem(m_buffer);
}

Result<std::unique_ptr<ReplicationStream>> ReplicationStream::start(Connection &conn, const QString &slot, Lsn startLsn, quint32 timeline,
                                                                    const CancelToken &cancel)
{
    QString cmd = QStringLiteral("START_REPLICATION ");
    if (!slot.isEmpty())
        cmd += QStringLiteral("SLOT ") + quoteIdent(slot) + QLatin1Char(' ');
    cmd += QStringLiteral("PHYSICAL %1 TIMELINE %2").arg(startLsn.toString()).arg(timeline);
    if (Status s = sendSimple(conn, cmd, cancel); !s)
        return s.error();
    auto r = nextResult(conn, cancel);
    if (!r)
        return r.error();
    if (!*r)
        return lost(conn.native(), QStringLiteral("starting replication"));
    const ExecStatusType st = PQresultStatus(*r);
    if (st != PGRES_COPY_BOTH) {
        Error e = resultError(*r, QStringLiteral("START_REPLICATION at %1 on timeline %2").arg(startLsn.toString()).arg(timeline));
        PQclear(*r);
        drain(conn, cancel);
        return e;
    }
    PQclear(*r);
    return std::unique_ptr<ReplicationStream>(new ReplicationStream(conn));
}

bool ReplicationStream::hasBufferedMessage()
{
    if (m_pendingSize != 0)
        return true;
    PGconn *c = m_conn.native();
    if (!PQconsumeInput(c))
        return false;
    if (m_buffer) {
        PQfreemem(m_buffer);
        m_buffer = nullptr;
    }
    // A message, or the end of the copy (or an error): next() reports either.
    m_pendingSize = PQgetCopyData(c, &m_buffer, 1);
    return m_pendingSize != 0;
}

Result<ReplicationStream::Event> ReplicationStream::next(qint64 deadlineMs, const CancelToken &cancel)
{
    PGconn *c = m_conn.native();
    for (;;) {
        int n = m_pendingSize;
        m_pendingSize = 0;
        if (n == 0) {
            if (m_buffer) {
                PQfreemem(m_buffer);
                m_buffer = nullptr;
            }
            n = PQgetCopyData(c, &m_buffer, 1);
        }
        if (n > 0) {
            auto m = wal::parseStreamMessage(m_buffer, size_t(n));
            if (!m)
                return m.error();
            Event e;
            e.kind = Event::Kind::Message;
            e.message = *m;
            return e;
        }
        if (n == -1)
            return finish(cancel);
        if (n < -1)
            return lost(c, QStringLiteral("receiving WAL"));
        Status w = m_conn.waitForSocket(false, &cancel, deadlineMs);
        if (!w) {
            if (w.error().code == Error::Code::Timeout)
                return Event{};
            return w.error();
        }
        if (!PQconsumeInput(c))
            return lost(c, QStringLiteral("receiving WAL"));
    }
}

// The server ended the copy: at the end of a timeline it then sends the next timeline and its start as one row.
Result<ReplicationStream::Event> ReplicationStream::finish(const CancelToken &cancel)
{
    PGconn *c = m_conn.native();
    Event e;
    e.kind = Event::Kind::EndOfTimeline;
    std::optional<Error> err;
    for (;;) {
        auto r = nextResult(m_conn, cancel);
        if (!r)
            return r.error();
        if (!*r)
            break;
        const ExecStatusType st = PQresultStatus(*r);
        if (st == PGRES_COPY_IN) {
            PQclear(*r);
            if (PQputCopyEnd(c, nullptr) <= 0)
                return lost(c, QStringLiteral("ending the stream"));
            while (PQflush(c) == 1)
                if (Status w = m_conn.waitForSocket(true, &cancel, 0); !w)
                    return w.error();
            continue;
        }
        if (st == PGRES_TUPLES_OK && PQntuples(*r) == 1 && PQnfields(*r) >= 2) {
            e.nextTimeline = QString::fromUtf8(PQgetvalue(*r, 0, 0)).toUInt();
            e.nextTimelineStart = Lsn::parse(QString::fromUtf8(PQgetvalue(*r, 0, 1))).value_or(Lsn());
        } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !err) {
            err = resultError(*r, QStringLiteral("streaming WAL"));
        }
        PQclear(*r);
    }
    if (err)
        return *err;
    if (!e.nextTimeline)
        return Error(Error::Code::Connection, QStringLiteral("The server ended the WAL stream without naming the next timeline (it is shutting down?)."));
    return e;
}

Status ReplicationStream::sendStatus(Lsn written, Lsn flushed, Lsn applied, bool replyRequested, const CancelToken &cancel)
{
    PGconn *c = m_conn.native();
    const QByteArray msg = wal::standbyStatusUpdate(written, flushed, applied, QDateTime::currentMSecsSinceEpoch() * 1000, replyRequested);
    if (PQputCopyData(c, msg.constData(), int(msg.size())) <= 0)
        return lost(c, QStringLiteral("sending the status update"));
    while (PQflush(c) == 1)
        if (Status w = m_conn.waitForSocket(true, &cancel, QDateTime::currentMSecsSinceEpoch() + 10000); !w)
            return w;
    return {};
}

} // namespace pga::pg
