#pragma once

#include "JobRecord.h"

#include <QSqlQuery>
#include <QString>

namespace pga::app {

// How job_history rows are read, for the registry and the schedule store alike. `withLog` false leaves the log out
// (the calendar and `schedule list` read many rows and need none).
QString jobHistorySelect(bool withLog);
JobRecord jobRecordFrom(const QSqlQuery &q, bool withLog);

} // namespace pga::app
