#pragma once

#include "app/JobRecord.h"
#include "engine/RepoInfo.h"

#include <QAbstractListModel>
#include <QAbstractTableModel>
#include <QDate>
#include <QSet>
#include <QTimeZone>

namespace pga::gui {

// What the calendar shows, for one server or all: gathered by CalendarView, laid out by the model.
struct CalendarData {
    QList<app::JobRecord> jobs;                         // finished jobs (backups, verifies, drills, expiries)
    QList<engine::BackupListing> backups;               // the catalog: backups that exist
    QHash<QString, QString> backupServer;               // backup id -> server name (all-servers view)
    QHash<qint64, QString> serverNames;                 // server id -> name, to prefix jobs (all-servers view)
    QList<QPair<QDateTime, QDateTime>> windows;         // recoverable windows, UTC
    QList<QDateTime> gapTimes;                          // WAL missing before these arrivals
    QList<QPair<QDateTime, QString>> planned;           // planned runs and what they are
    QSet<QString> expiring;                             // backups the retention (or its what-if) removes
};

// One event of a day, as the day's list shows it.
struct CalendarEvent {
    enum class Kind { Backup, BackupFailed, Verify, VerifyFailed, Drill, DrillFailed, Expire, Planned, Expiring, Gap, Other };
    Kind kind = Kind::Other;
    QDateTime timeUtc;
    QString text;
    qint64 jobId = 0;        // the job history's record, for its log
    bool failed() const { return kind == Kind::BackupFailed || kind == Kind::VerifyFailed || kind == Kind::DrillFailed; }
};

// A month grid, six weeks from the Monday on or before the 1st, in `zone` (the machine's, unless set): each cell a
// day, its roles the marks CalendarView paints, so tests read them without pixels.
class CalendarModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        DateRole = Qt::UserRole + 1, InMonthRole, BackupsRole, BackupsFailedRole, VerifiesRole, DrillsRole, PlannedRole, ExpiringRole,
        GapRole, RecoverableRole /* 0 no, 1 part of the day, 2 the whole day; PlannedRole counts tasks, not runs */, FailedRole, EventsRole /* QStringList */, TodayRole
    };

    explicit CalendarModel(QObject *parent = nullptr);

    void setMonth(const QDate &anyDayOfMonth);
    QDate month() const { return m_month; }
    void setData(const CalendarData &data);
    void setExpiring(const QSet<QString> &expiring);
    void setZone(const QTimeZone &zone);
    void setToday(const QDate &today);
    const CalendarData &calendarData() const { return m_data; }

    QDate firstDay() const;   // the grid's first cell
    QDate lastDay() const { return firstDay().addDays(41); }
    QModelIndex indexOf(const QDate &day) const;
    QDate dateAt(const QModelIndex &index) const;
    QList<CalendarEvent> events(const QDate &day) const;
    // The latest recoverable moment of a day (µs since the epoch), for "Restore to this day…".
    std::optional<qint64> latestRecoverable(const QDate &day) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Day {
        QList<CalendarEvent> events;
        int backups = 0, backupsFailed = 0, verifies = 0, drills = 0, planned = 0, expiring = 0;
        bool gap = false, failed = false;
        int recoverable = 0;
    };
    void rebuild();
    QDateTime dayStart(const QDate &d) const;

    QDate m_month;
    QDate m_today;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    CalendarData m_data;
    QHash<QDate, Day> m_days;
};

// The selected day's events, for the list beside the grid.
class DayEventsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { JobIdRole = Qt::UserRole + 1, FailedRole, KindRole };
    explicit DayEventsModel(QObject *parent = nullptr) : QAbstractListModel(parent) {}
    void setEvents(const QList<CalendarEvent> &events);
    const QList<CalendarEvent> &events() const { return m_events; }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    QList<CalendarEvent> m_events;
};

} // namespace pga::gui
