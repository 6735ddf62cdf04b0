#pragma once

#include "app/ServerEntry.h"
#include "engine/Retention.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QListView;
class QPushButton;
class QTableView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class CalendarModel;
class DayEventsModel;
class RestoreWizard;

// The backup calendar: a month of one server (or all) with what ran, what failed, what is planned, what expires and
// whether each day is recoverable; a day's events beside it, their job logs, and "Restore to This Day…".
// Keyboard: arrows move between days, Page Up/Down between months, Home goes to today.
class CalendarView : public QWidget {
    Q_OBJECT
public:
    explicit CalendarView(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(const app::ServerEntry &e);
    void setAllServers(bool all);
    // The retention whose expiry marks show (the scheduled expiry's, or the WAL view's what-if).
    void setRetention(const engine::RetentionPolicy &p);
    engine::RetentionPolicy retention() const { return m_policy; }
    void reload();

    CalendarModel *model() const { return m_model; }
    DayEventsModel *dayModel() const { return m_dayModel; }
    QTableView *grid() const { return m_grid; }
    QDate selectedDay() const;
    void selectDay(const QDate &day);
    RestoreWizard *restoreToSelectedDay();
    void openSelectedJobLog();

signals:
    void loaded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showMonth(const QDate &month);
    void daySelected();
    void applyRetention();

    app::AppContext &m_app;
    app::ServerEntry m_server;
    bool m_all = false;
    engine::RetentionPolicy m_policy;
    bool m_policyFromWhatIf = false;
    CalendarModel *m_model;
    DayEventsModel *m_dayModel;
    QTableView *m_grid;
    QListView *m_events;
    QLabel *m_title;
    QLabel *m_dayTitle;
    QCheckBox *m_allServers;
    QPushButton *m_log;
    QPushButton *m_restore;
    int m_generation = 0;
};

} // namespace pga::gui
