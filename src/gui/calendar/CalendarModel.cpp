#include "CalendarModel.h"

#include "core/TimeText.h"

#include <QColor>
#include <QLocale>
#include <QMap>

namespace pga::gui {

namespace {
using Kind = CalendarEvent::Kind;

QString hhmm(const QDateTime &utc, const QTimeZone &zone) { return utc.toTimeZone(zone).toString(QStringLiteral("HH:mm")); }

QString duration(const app::JobRecord &r)
{
    const qint64 s = r.startedAt.secsTo(r.finishedAt);
    return s < 120 ? CalendarModel::tr("%1 s").arg(s) : CalendarModel::tr("%1 min").arg((s + 30) / 60);
}
} // namespace

CalendarModel::CalendarModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_today = QDate::currentDate();
    m_month = QDate(m_today.year(), m_today.month(), 1);
    rebuild();
}

void CalendarModel::setMonth(const QDate &d)
{
    beginResetModel();
    m_month = QDate(d.year(), d.month(), 1);
    rebuild();
    endResetModel();
}

void CalendarModel::setData(const CalendarData &data)
{
    beginResetModel();
    m_data = data;
    rebuild();
    endResetModel();
}

void CalendarModel::setExpiring(const QSet<QString> &expiring)
{
    m_data.expiring = expiring;
    rebuild();
    emit dataChanged(index(0, 0), index(5, 6));
}

void CalendarModel::setZone(const QTimeZone &zone)
{
    beginResetModel();
    m_zone = zone;
    rebuild();
    endResetModel();
}

void CalendarModel::setToday(const QDate &today)
{
    m_today = today;
    emit dataChanged(index(0, 0), index(5, 6));
}

QDate CalendarModel::firstDay() const { return m_month.addDays(1 - m_month.dayOfWeek()); }

QModelIndex CalendarModel::indexOf(const QDate &day) const
{
    const qint64 i = firstDay().daysTo(day);
    return i < 0 || i > 41 ? QModelIndex() : index(int(i / 7), int(i % 7));
}

QDate CalendarModel::dateAt(const QModelIndex &index) const
{
    return index.isValid() ? firstDay().addDays(index.row() * 7 + index.column()) : QDate();
}

QDateTime CalendarModel::dayStart(const QDate &d) const { return d.startOfDay(m_zone).toUTC(); }

void CalendarModel::rebuild()
{
    m_days.clear();
    const QDate first = firstDay(), last = lastDay();
    const auto dayOf = [&](const QDateTime &utc) { return utc.toTimeZone(m_zone).date(); };
    const auto add = [&](const QDateTime &utc, Kind kind, const QString &text, qint64 jobId = 0) -> Day * {
        const QDate d = dayOf(utc);
        if (d < first || d > last)
            return nullptr;
        Day &day = m_days[d];
        day.events << CalendarEvent{kind, utc, text, jobId};
        return &day;
    };
    for (const engine::BackupListing &b : std::as_const(m_data.backups)) {
        const QString server = m_data.backupServer.value(b.id);
        const QString who = server.isEmpty() ? QString() : server + QStringLiteral(": ");
        const QString text = b.kind == QLatin1String("dump")   ? tr("%1%2 dump %3 of %4 (%5)").arg(who, hhmm(b.stopTimeUtc, m_zone), b.id,
                                                                                            b.databases.join(QStringLiteral(", ")), b.status)
                             : b.kind == QLatin1String("cold") ? tr("%1%2 cold backup %3 (%4)").arg(who, hhmm(b.stopTimeUtc, m_zone), b.id, b.status)
                                                               : tr("%1%2 backup %3 (%4)").arg(who, hhmm(b.stopTimeUtc, m_zone), b.id, b.status);
        if (Day *d = add(b.stopTimeUtc, Kind::Backup, text))
            ++d->backups;
        if (m_data.expiring.contains(b.id))
            if (Day *d = add(b.stopTimeUtc, Kind::Expiring, tr("%1backup %2 expires under the retention").arg(who, b.id)))
                ++d->expiring;
    }
    for (const app::JobRecord &r : std::as_const(m_data.jobs)) {
        const bool ok = r.state == QLatin1String("succeeded");
        const QString server = m_data.serverNames.value(r.serverId);
        const QString when = server.isEmpty() ? hhmm(r.finishedAt, m_zone) : server + QStringLiteral(": ") + hhmm(r.finishedAt, m_zone);
        Day *d = nullptr;
        if (r.kind == QLatin1String("backup") || r.kind == QLatin1String("dump") || r.kind == QLatin1String("cold-backup")) {
            if (ok)
                continue;  // a backup that exists is in the catalog
            d = add(r.finishedAt, Kind::BackupFailed, tr("%1 %2 %3: %4").arg(when, r.title, r.state, r.message), r.id);
            if (d)
                ++d->backupsFailed;
        } else if (r.kind == QLatin1String("verify")) {
            d = add(r.finishedAt, ok ? Kind::Verify : Kind::VerifyFailed, tr("%1 %2 %3").arg(when, r.title, r.state), r.id);
            if (d)
                ++d->verifies;
        } else if (r.kind == QLatin1String("drill")) {
            d = add(r.finishedAt, ok ? Kind::Drill : Kind::DrillFailed, tr("%1 %2 %3 in %4").arg(when, r.title, r.state, duration(r)), r.id);
            if (d)
                ++d->drills;
        } else if (r.kind == QLatin1String("expire")) {
            d = add(r.finishedAt, Kind::Expire, tr("%1 %2 %3").arg(when, r.title, r.state), r.id);
        } else {
            continue;
        }
        if (d && !ok && r.state == QLatin1String("failed"))
            d->failed = true;
    }
    // A task that runs often is one line a day ("every minute" would be 1440), with its first time and count.
    QMap<QPair<QDate, QString>, QPair<QDateTime, int>> planned;
    for (const auto &[t, what] : std::as_const(m_data.planned)) {
        auto &p = planned[qMakePair(dayOf(t), what)];
        if (!p.first.isValid() || t < p.first)
            p.first = t;
        ++p.second;
    }
    for (auto it = planned.cbegin(); it != planned.cend(); ++it) {
        const auto &[first, count] = it.value();
        const QString text = count == 1 ? tr("%1 planned: %2").arg(hhmm(first, m_zone), it.key().second)
                                        : tr("%1 planned: %2 (%3 runs this day)").arg(hhmm(first, m_zone), it.key().second).arg(count);
        if (Day *d = add(first, Kind::Planned, text))
            ++d->planned;
    }
    for (const QDateTime &t : std::as_const(m_data.gapTimes))
        if (Day *d = add(t, Kind::Gap, tr("%1 WAL missing before this arrival: recovery cannot pass the gap").arg(hhmm(t, m_zone))))
            d->gap = true;
    for (QDate d = first; d <= last; d = d.addDays(1)) {
        const QDateTime from = dayStart(d), to = dayStart(d.addDays(1));
        int rec = 0;
        for (const auto &[wFrom, wTo] : std::as_const(m_data.windows)) {
            if (wFrom <= from && wTo >= to)
                rec = 2;
            else if (wFrom < to && wTo > from)
                rec = std::max(rec, 1);
        }
        if (rec)
            m_days[d].recoverable = rec;
    }
    for (Day &d : m_days)
        std::sort(d.events.begin(), d.events.end(), [](const CalendarEvent &a, const CalendarEvent &b) { return a.timeUtc < b.timeUtc; });
}

QList<CalendarEvent> CalendarModel::events(const QDate &day) const { return m_days.value(day).events; }

std::optional<qint64> CalendarModel::latestRecoverable(const QDate &day) const
{
    const QDateTime from = dayStart(day), to = dayStart(day.addDays(1));
    std::optional<qint64> best;
    for (const auto &[wFrom, wTo] : m_data.windows)
        if (wFrom < to && wTo > from) {
            const qint64 us = std::min(wTo.toMSecsSinceEpoch() * 1000, to.toMSecsSinceEpoch() * 1000 - 1);
            best = std::max(best.value_or(us), us);
        }
    return best;
}

int CalendarModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : 6; }
int CalendarModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : 7; }

QVariant CalendarModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= 6 || index.column() >= 7)
        return {};
    const QDate date = dateAt(index);
    const auto it = m_days.constFind(date);
    const Day day = it == m_days.constEnd() ? Day() : *it;
    switch (role) {
    case Qt::DisplayRole: return date.day();
    case DateRole: return date;
    case InMonthRole: return date.month() == m_month.month();
    case TodayRole: return date == m_today;
    case BackupsRole: return day.backups;
    case BackupsFailedRole: return day.backupsFailed;
    case VerifiesRole: return day.verifies;
    case DrillsRole: return day.drills;
    case PlannedRole: return day.planned;
    case ExpiringRole: return day.expiring;
    case GapRole: return day.gap;
    case RecoverableRole: return day.recoverable;
    case FailedRole: return day.failed || day.backupsFailed > 0;
    case EventsRole: {
        QStringList lines;
        for (const CalendarEvent &e : day.events)
            lines << e.text;
        return lines;
    }
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole: {
        QStringList lines{QLocale().toString(date, QLocale::LongFormat)};
        lines << (day.recoverable == 2 ? tr("recoverable all day") : day.recoverable == 1 ? tr("recoverable part of the day") : tr("not recoverable"));
        for (const CalendarEvent &e : day.events)
            lines << e.text;
        return lines.join(QLatin1Char('\n'));
    }
    default: return {};
    }
}

QVariant CalendarModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section > 6)
        return {};
    return QLocale().dayName(section + 1, QLocale::ShortFormat);
}

void DayEventsModel::setEvents(const QList<CalendarEvent> &events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

int DayEventsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_events.size()); }

QVariant DayEventsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const CalendarEvent &e = m_events[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: return e.text;
    case JobIdRole: return e.jobId;
    case FailedRole: return e.failed();
    case KindRole: return int(e.kind);
    case Qt::ForegroundRole: return e.failed() ? QVariant(QColor(Qt::darkRed)) : QVariant();
    default: return {};
    }
}

} // namespace pga::gui
