#pragma once

#include "Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <bitset>

namespace pga {

// A systemd calendar expression (systemd.time(7), "Calendar Events"): "Sun *-*-* 01:00 Europe/Berlin", "daily",
// "Mon..Fri *-*-* 02,14:30". The same text a systemd timer takes, so a schedule can be installed as one, and
// next() gives the answers `systemd-analyze calendar` gives (a unit test compares them, DST days included):
// a local time that a spring-forward skips does not happen that day, one a fall-back repeats happens once, the
// first time. Not supported (refused with a message): "~" (days from the month's end), fractional seconds.
class CalendarSpec {
public:
    static Result<CalendarSpec> parse(const QString &text);

    // The first moment strictly after `after` (as systemd's "Next elapse"); invalid when there is none within
    // eight years (e.g. "2020-*-*" or "*-02-30").
    QDateTime next(const QDateTime &after) const;
    QList<QDateTime> nextRuns(const QDateTime &after, int count) const;

    // systemd's normalized form: "Sun *-*-* 01:00:00 Europe/Berlin". The zone is always written out: a spec
    // given without one is taken in the zone of this machine, named, so it means the same everywhere.
    QString normalized() const { return m_normalized; }
    QTimeZone zone() const { return m_zone; }

private:
    // The values one component matches: month, day, hour, minute, second.
    struct Field {
        std::bitset<64> values;
    };
    bool matchesDate(const QDate &d) const;

    std::bitset<7> m_weekdays;      // Mon = 0
    bool m_anyWeekday = true;
    std::bitset<200> m_years;       // 1970..2169
    bool m_anyYear = true;
    Field m_month, m_day, m_hour, m_minute, m_second;
    QTimeZone m_zone;
    QString m_normalized;
};

} // namespace pga
