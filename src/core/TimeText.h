#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace pga {

// A moment to the microsecond with its zone, as PostgreSQL prints and reads a timestamptz:
// "2026-12-01 09:21:13.253117+01:00". Commit times carry microseconds; a time shown cut to the
// millisecond and typed back as a recovery target falls before the very commit it names.
QString timestampText(const QDateTime &t, int micros = 0);          // in t's own offset; micros below t's ms
QString timestampText(qint64 usSinceEpoch, const QTimeZone &zone);
inline QString localTimestampText(qint64 usSinceEpoch) { return timestampText(usSinceEpoch, QTimeZone::systemTimeZone()); }
// A scheduled run as systemd prints it, in `zone`: "Sun 2026-12-06 01:00:00 CET".
QString runTimeText(const QDateTime &t, const QTimeZone &zone);
// For JSON: ISO 8601 in UTC with six fraction digits, "2026-12-01T08:21:13.253117Z".
QString isoUtcUs(qint64 usSinceEpoch);

} // namespace pga
