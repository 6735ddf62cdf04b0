#pragma once

#include "Lsn.h"
#include "Result.h"
#include "WalParser.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstddef>

namespace pga::wal {

// What a walsender sends inside the CopyBoth stream of START_REPLICATION (PostgreSQL's protocol-replication docs):
// 'w' XLogData (start, server's WAL end, send time, then WAL bytes) and 'k' primary keepalive.
struct StreamMessage {
    enum class Kind { XLogData, Keepalive };
    Kind kind = Kind::Keepalive;
    Lsn start;                  // XLogData: where data begins
    Lsn serverWalEnd;           // the server's current end of WAL
    qint64 sendTimeUs = 0;      // server clock, µs since the Unix epoch
    bool replyRequested = false;
    const char *data = nullptr; // XLogData payload (points into the message)
    size_t size = 0;
};

// Corrupt for a message of another type or too short to hold its header.
Result<StreamMessage> parseStreamMessage(const char *p, size_t n);

// 'r' Standby status update: written, flushed and applied positions, our clock, reply requested.
QByteArray standbyStatusUpdate(Lsn written, Lsn flushed, Lsn applied, qint64 nowUs, bool replyRequested = false);

// One line of a timeline history file: this timeline's parent ended (switched) at `switchpoint`.
struct TimelineSwitch {
    quint32 parentTimeline = 0;
    Lsn switchpoint;
    QString reason;
};

// A NNNNNNNN.history file: one "parentTLI<TAB>LSN<TAB>reason" line per ancestor, oldest first; blank and # lines
// ignored. Corrupt when a line is malformed or the parents do not ascend.
Result<QList<TimelineSwitch>> parseTimelineHistory(const QByteArray &content);
// Where `timeline` ended according to the history of a later timeline (invalid Lsn: it did not end there, i.e.
// timeline is not an ancestor).
Lsn timelineEnd(const QList<TimelineSwitch> &history, quint32 timeline);

} // namespace pga::wal
