#include "CalendarSpec.h"

#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace pga {

namespace {

constexpr int kFirstYear = 1970;
constexpr int kYears = 200;
const char *const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const kLongWeekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

Error bad(const QString &text, const QString &why)
{
    return Error(Error::Code::InvalidArgument,
                 QStringLiteral("\"%1\" is not a calendar expression pgArchivist understands: %2. "
                                "Examples: \"daily\", \"Sun *-*-* 01:00 Europe/Berlin\", \"Mon..Fri *-*-* 02:30\".")
                     .arg(text, why));
}

std::optional<int> weekdayIndex(const QString &name)
{
    const QString n = name.toLower();
    for (int i = 0; i < 7; ++i)
        if (n == QString::fromLatin1(kWeekdays[i]).toLower() || n == QLatin1String(kLongWeekdays[i]))
            return i;
    return std::nullopt;
}

// "*", "5", "1,15", "8..18", "0/15", "1..20/5": the values in [lo, hi] it names. Sets *any for "*".
template <size_t N>
bool parseComponent(const QString &text, int lo, int hi, std::bitset<N> &out, int offset, QString *why)
{
    if (text.isEmpty()) {
        *why = QStringLiteral("an empty field");
        return false;
    }
    for (const QString &item : text.split(QLatin1Char(','))) {
        QString range = item;
        int step = 0;
        if (const int slash = item.indexOf(QLatin1Char('/')); slash >= 0) {
            bool ok = false;
            step = item.mid(slash + 1).toInt(&ok);
            if (!ok || step <= 0) {
                *why = QStringLiteral("\"%1\" has no valid repetition after \"/\"").arg(item);
                return false;
            }
            range = item.left(slash);
        }
        int from = lo, to = hi;
        if (range == QLatin1String("*")) {
            if (step == 0)
                step = 1;
        } else if (const int dots = range.indexOf(QLatin1String("..")); dots >= 0) {
            bool ok1 = false, ok2 = false;
            from = range.left(dots).toInt(&ok1);
            to = range.mid(dots + 2).toInt(&ok2);
            if (!ok1 || !ok2 || from > to) {
                *why = QStringLiteral("\"%1\" is not a range like 8..18").arg(item);
                return false;
            }
            if (step == 0)
                step = 1;
        } else {
            bool ok = false;
            from = range.toInt(&ok);
            if (!ok) {
                *why = range.contains(QLatin1Char('~')) ? QStringLiteral("\"~\" (days before the month's end) is not supported")
                       : range.contains(QLatin1Char('.')) ? QStringLiteral("fractional seconds are not supported")
                                                          : QStringLiteral("\"%1\" is not a number").arg(item);
                return false;
            }
            to = step > 0 ? hi : from;  // "0/15": from 0 every 15 to the end
            if (step == 0)
                step = 1;
        }
        if (from < lo || to > hi) {
            *why = QStringLiteral("\"%1\" is outside %2..%3").arg(item).arg(lo).arg(hi);
            return false;
        }
        for (qint64 v = from; v <= to; v += step)  // 64-bit: a huge step must not wrap around
            out.set(size_t(v - offset));
    }
    return true;
}

// How systemd writes a component: numbers zero-padded, the structure kept.
QString padded(const QString &text, int width)
{
    static const QRegularExpression number(QStringLiteral("\\d+"));
    QString out;
    qsizetype last = 0;
    auto it = number.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        // a repetition step stays as written
        const bool isStep = m.capturedStart() > 0 && text.at(m.capturedStart() - 1) == QLatin1Char('/');
        out += isStep ? m.captured() : m.captured().rightJustified(width, QLatin1Char('0'));
        last = m.capturedEnd();
    }
    return out + text.mid(last);
}

QString expandShorthand(const QString &word)
{
    const QString w = word.toLower();
    if (w == QLatin1String("minutely")) return QStringLiteral("*-*-* *:*:00");
    if (w == QLatin1String("hourly")) return QStringLiteral("*-*-* *:00:00");
    if (w == QLatin1String("daily")) return QStringLiteral("*-*-* 00:00:00");
    if (w == QLatin1String("weekly")) return QStringLiteral("Mon *-*-* 00:00:00");
    if (w == QLatin1String("monthly")) return QStringLiteral("*-*-01 00:00:00");
    if (w == QLatin1String("yearly") || w == QLatin1String("annually")) return QStringLiteral("*-01-01 00:00:00");
    if (w == QLatin1String("quarterly")) return QStringLiteral("*-01,04,07,10-01 00:00:00");
    if (w == QLatin1String("semiannually")) return QStringLiteral("*-01,07-01 00:00:00");
    return {};
}

// Any IANA name the system knows ("Europe/Berlin", "UTC", "Japan", "EST5EDT"); never a weekday, date or time.
bool isZone(const QString &token)
{
    if (token == QLatin1String("UTC"))
        return true;
    for (QChar c : token)
        if (c == QLatin1Char(':') || c == QLatin1Char('*') || c == QLatin1Char(',') || c == QLatin1Char('.'))
            return false;
    // Constructing reads the zone file, so links ("Japan") count too, which the available-id list leaves out.
    return !weekdayIndex(token) && expandShorthand(token).isEmpty() && QTimeZone(token.toUtf8()).isValid();
}

// The earliest UTC moment at which the wall clock in `zone` shows d t; none when a spring-forward skips it.
std::optional<QDateTime> earliestUtc(const QTimeZone &zone, const QDate &d, const QTime &t)
{
    const QDateTime naive(d, t, QTimeZone::utc());
    std::optional<QDateTime> best;
    const int offsets[] = {zone.offsetFromUtc(naive.addDays(-1)), zone.offsetFromUtc(naive), zone.offsetFromUtc(naive.addDays(1))};
    for (int o : offsets) {
        const QDateTime candidate = naive.addSecs(-o);
        if (zone.offsetFromUtc(candidate) == o && (!best || candidate < *best))
            best = candidate;
    }
    return best;
}

} // namespace

Result<CalendarSpec> CalendarSpec::parse(const QString &input)
{
    const QString text = input.simplified();
    QStringList tokens = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (tokens.isEmpty())
        return bad(input, QStringLiteral("it is empty"));

    CalendarSpec spec;
    spec.m_zone = QTimeZone::systemTimeZone();
    // Named in the normalized form when the system's zone has a name systemd and we can read back; a machine with
    // only an unnamed local time ("localtime") keeps the spec zone-less, which means the same: local time.
    QString zoneName = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    if (!isZone(zoneName))
        zoneName.clear();
    if (tokens.size() > 1 && isZone(tokens.last())) {
        zoneName = tokens.takeLast();
        spec.m_zone = zoneName == QLatin1String("UTC") ? QTimeZone::utc() : QTimeZone(zoneName.toUtf8());
    }
    if (tokens.size() == 1 && !expandShorthand(tokens.first()).isEmpty())
        tokens = expandShorthand(tokens.first()).split(QLatin1Char(' '));

    QString weekdayText, dateText, timeText;
    for (const QString &tok : std::as_const(tokens)) {
        if (tok.at(0).isLetter() && weekdayText.isEmpty() && dateText.isEmpty() && timeText.isEmpty())
            weekdayText = tok;
        else if (tok.contains(QLatin1Char(':')) && timeText.isEmpty())
            timeText = tok;
        else if (tok.contains(QLatin1Char('-')) && dateText.isEmpty() && timeText.isEmpty())
            dateText = tok;
        else
            return bad(input, QStringLiteral("\"%1\" is neither a weekday, a date (YYYY-MM-DD), a time (HH:MM) nor a "
                                             "time zone like Europe/Berlin").arg(tok));
    }
    QString why;

    QStringList weekdayNorm;
    if (!weekdayText.isEmpty()) {
        spec.m_anyWeekday = false;
        for (const QString &item : weekdayText.split(QLatin1Char(','))) {
            const QStringList ends = item.split(QStringLiteral(".."));
            const auto a = weekdayIndex(ends.value(0));
            const auto b = ends.size() == 2 ? weekdayIndex(ends.value(1)) : a;
            if (ends.size() > 2 || !a || !b || *a > *b)  // systemd refuses Sat..Mon too
                return bad(input, QStringLiteral("\"%1\" is not a weekday like Mon or a range like Mon..Fri").arg(item));
            for (int i = *a; i <= *b; ++i)
                spec.m_weekdays.set(size_t(i));
        }
        // systemd's form: runs of three or more as ranges, the rest listed
        for (int i = 0; i < 7;) {
            if (!spec.m_weekdays.test(size_t(i))) {
                ++i;
                continue;
            }
            int j = i;
            while (j + 1 < 7 && spec.m_weekdays.test(size_t(j + 1)))
                ++j;
            if (j - i >= 2)
                weekdayNorm << QStringLiteral("%1..%2").arg(QLatin1String(kWeekdays[i]), QLatin1String(kWeekdays[j]));
            else
                for (int k = i; k <= j; ++k)
                    weekdayNorm << QLatin1String(kWeekdays[k]);
            i = j + 1;
        }
    }

    QStringList date = dateText.isEmpty() ? QStringList{QStringLiteral("*"), QStringLiteral("*"), QStringLiteral("*")}
                                          : dateText.split(QLatin1Char('-'));
    if (date.size() == 2)
        date.prepend(QStringLiteral("*"));
    if (date.size() != 3)
        return bad(input, QStringLiteral("the date \"%1\" is not YYYY-MM-DD or MM-DD").arg(dateText));
    spec.m_anyYear = date[0] == QLatin1String("*");
    if (!spec.m_anyYear && !parseComponent(date[0], kFirstYear, kFirstYear + kYears - 1, spec.m_years, kFirstYear, &why))
        return bad(input, why);
    if (!parseComponent(date[1], 1, 12, spec.m_month.values, 0, &why) || !parseComponent(date[2], 1, 31, spec.m_day.values, 0, &why))
        return bad(input, why);

    QStringList time = timeText.isEmpty() ? QStringList{QStringLiteral("00"), QStringLiteral("00"), QStringLiteral("00")}
                                          : timeText.split(QLatin1Char(':'));
    if (time.size() == 2)
        time << QStringLiteral("00");
    if (time.size() != 3)
        return bad(input, QStringLiteral("the time \"%1\" is not HH:MM or HH:MM:SS").arg(timeText));
    if (!parseComponent(time[0], 0, 23, spec.m_hour.values, 0, &why) || !parseComponent(time[1], 0, 59, spec.m_minute.values, 0, &why)
        || !parseComponent(time[2], 0, 59, spec.m_second.values, 0, &why))
        return bad(input, why);

    QStringList parts;
    if (!weekdayNorm.isEmpty())
        parts << weekdayNorm.join(QLatin1Char(','));
    parts << QStringLiteral("%1-%2-%3").arg(padded(date[0], 4), padded(date[1], 2), padded(date[2], 2));
    parts << QStringLiteral("%1:%2:%3").arg(padded(time[0], 2), padded(time[1], 2), padded(time[2], 2));
    if (!zoneName.isEmpty())
        parts << zoneName;
    spec.m_normalized = parts.join(QLatin1Char(' '));
    return spec;
}

bool CalendarSpec::matchesDate(const QDate &d) const
{
    if (!m_anyWeekday && !m_weekdays.test(size_t(d.dayOfWeek() - 1)))
        return false;
    if (!m_anyYear) {
        const int y = d.year() - kFirstYear;
        if (y < 0 || y >= kYears || !m_years.test(size_t(y)))
            return false;
    }
    return m_month.values.test(size_t(d.month())) && m_day.values.test(size_t(d.day()));
}

QDateTime CalendarSpec::next(const QDateTime &after) const
{
    const QDateTime afterUtc = (after.isValid() ? after : QDateTime::currentDateTimeUtc()).toUTC();
    const QDateTime localAfter = afterUtc.toTimeZone(m_zone);
    // Wall-clock seconds, to skip candidates hours before `after` without converting each one.
    const auto wall = [](const QDate &d, int secs) { return d.toJulianDay() * 86400 + secs; };
    const qint64 afterWall = wall(localAfter.date(), localAfter.time().msecsSinceStartOfDay() / 1000);
    const QDate first = localAfter.date().addDays(-1);
    for (QDate d = first; d <= first.addDays(8 * 366); d = d.addDays(1)) {
        if (!matchesDate(d))
            continue;
        for (int h = 0; h < 24; ++h) {
            if (!m_hour.values.test(size_t(h)) || wall(d, h * 3600 + 3599) + 4 * 3600 < afterWall)
                continue;
            for (int m = 0; m < 60; ++m) {
                if (!m_minute.values.test(size_t(m)))
                    continue;
                for (int s = 0; s < 60; ++s) {
                    if (!m_second.values.test(size_t(s)) || wall(d, h * 3600 + m * 60 + s) + 4 * 3600 < afterWall)
                        continue;
                    const auto utc = earliestUtc(m_zone, d, QTime(h, m, s));
                    if (utc && *utc > afterUtc)
                        return *utc;
                }
            }
        }
    }
    return {};
}

QList<QDateTime> CalendarSpec::nextRuns(const QDateTime &after, int count) const
{
    QList<QDateTime> out;
    QDateTime t = after;
    while (out.size() < count) {
        t = next(t);
        if (!t.isValid())
            break;
        out << t;
    }
    return out;
}

} // namespace pga
