#include "TimeText.h"

#include <QLocale>

#include <cstdlib>

namespace pga {

namespace {

// Floor division, so moments before 1970 keep a non-negative sub-millisecond part.
QDateTime splitUs(qint64 us, const QTimeZone &zone, int *micros)
{
    qint64 ms = us / 1000;
    int rest = int(us % 1000);
    if (rest < 0) {
        rest += 1000;
        --ms;
    }
    *micros = rest;
    return QDateTime::fromMSecsSinceEpoch(ms, zone);
}

} // namespace

QString timestampText(const QDateTime &t, int micros)
{
    const int off = t.offsetFromUtc();
    const int a = std::abs(off);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + QStringLiteral("%1").arg(micros, 3, 10, QLatin1Char('0'))
           + (off < 0 ? QLatin1Char('-') : QLatin1Char('+'))
           + QStringLiteral("%1:%2").arg(a / 3600, 2, 10, QLatin1Char('0')).arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString timestampText(qint64 usSinceEpoch, const QTimeZone &zone)
{
    int micros = 0;
    const QDateTime t = splitUs(usSinceEpoch, zone, &micros);
    return timestampText(t, micros);
}

QString isoUtcUs(qint64 usSinceEpoch)
{
    int micros = 0;
    const QDateTime t = splitUs(usSinceEpoch, QTimeZone::utc(), &micros);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("%1Z").arg(micros, 3, 10, QLatin1Char('0'));
}

QString runTimeText(const QDateTime &t, const QTimeZone &zone)
{
    const QDateTime z = t.toTimeZone(zone);
    return QLocale::c().toString(z, QStringLiteral("ddd yyyy-MM-dd HH:mm:ss ")) + zone.abbreviation(t);
}

} // namespace pga
