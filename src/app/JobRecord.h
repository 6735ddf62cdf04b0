#pragma once

#include <QDateTime>
#include <QString>

namespace pga::app {

// What the history keeps of a finished job: enough to answer "what went wrong, and when?".
struct JobRecord {
    qint64 id = 0;
    QString kind;           // "connection-test", "sandbox-create", "backup", ...
    QString title;
    qint64 serverId = 0;    // 0 when not about one server
    QString state;          // "succeeded", "failed", "cancelled"
    QDateTime startedAt;
    QDateTime finishedAt;
    QString message;        // the error for a person, or a one-line summary
    QString log;            // the full log, one line per entry
    qint64 scheduleId = 0;  // the scheduled task that ran it; 0 when a person started it
};

} // namespace pga::app
