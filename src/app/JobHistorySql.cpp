#include "JobHistorySql.h"

#include <QVariant>

namespace pga::app {

QString jobHistorySelect(bool withLog)
{
    return QStringLiteral("SELECT id, kind, title, server_id, state, started_at, finished_at, message, schedule_id%1 FROM job_history")
        .arg(withLog ? QStringLiteral(", log") : QString());
}

JobRecord jobRecordFrom(const QSqlQuery &q, bool withLog)
{
    const auto time = [](const QVariant &v) { return QDateTime::fromString(v.toString(), Qt::ISODateWithMs); };
    JobRecord r;
    r.id = q.value(0).toLongLong();
    r.kind = q.value(1).toString();
    r.title = q.value(2).toString();
    r.serverId = q.value(3).toLongLong();
    r.state = q.value(4).toString();
    r.startedAt = time(q.value(5));
    r.finishedAt = time(q.value(6));
    r.message = q.value(7).toString();
    r.scheduleId = q.value(8).toLongLong();
    if (withLog)
        r.log = q.value(9).toString();
    return r;
}

} // namespace pga::app
