#pragma once

#include "Connection.h"
#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ReplicationMessage.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace pga::pg {

// A physical replication slot as READ_REPLICATION_SLOT (PostgreSQL 15+) reports it.
struct SlotInfo {
    bool exists = false;
    QString type;          // physical | logical
    Lsn restartLsn;        // invalid until the slot has reserved WAL
    quint32 restartTimeline = 0;
};
Result<SlotInfo> readReplicationSlot(Connection &conn, const QString &slot, const CancelToken &cancel);
// CREATE_REPLICATION_SLOT name PHYSICAL RESERVE_WAL: the server keeps WAL from now on until the slot consumes it.
Status createPhysicalSlot(Connection &conn, const QString &slot, const CancelToken &cancel);
// TIMELINE_HISTORY: the history file of a timeline (> 1) as the server has it, and its file name.
Result<QByteArray> timelineHistory(Connection &conn, quint32 timeline, QString *fileName, const CancelToken &cancel);

// START_REPLICATION [SLOT s] PHYSICAL lsn TIMELINE tli on a replication connection: the CopyBoth stream.
class ReplicationStream {
public:
    ~ReplicationStream();
    ReplicationStream(const ReplicationStream &) = delete;
    ReplicationStream &operator=(const ReplicationStream &) = delete;

    static Result<std::unique_ptr<ReplicationStream>> start(Connection &conn, const QString &slot, Lsn startLsn, quint32 timeline,
                                                            const CancelToken &cancel);

    struct Event {
        enum class Kind { Message, Timeout, EndOfTimeline };
        Kind kind = Kind::Timeout;
        wal::StreamMessage message;   // Message: valid until the next call of next()
        quint32 nextTimeline = 0;     // EndOfTimeline: the server's next timeline and where it starts
        Lsn nextTimelineStart;
    };
    // The next message, or Timeout at deadlineMs (ms since the epoch), or EndOfTimeline when the server finished
    // streaming the requested timeline (it has moved on to a later one).
    Result<Event> next(qint64 deadlineMs, const CancelToken &cancel);
    // Whether another message is already buffered (so a reply can wait for it).
    bool hasBufferedMessage();
    Status sendStatus(Lsn written, Lsn flushed, Lsn applied, bool replyRequested, const CancelToken &cancel);

private:
    explicit ReplicationStream(Connection &conn) : m_conn(conn) {}
    Result<Event> finish(const CancelToken &cancel);
    Connection &m_conn;
    char *m_buffer = nullptr;
    int m_pendingSize = 0;     // what hasBufferedMessage() fetched and next() has not returned (PQgetCopyData's result)
};

} // namespace pga::pg
