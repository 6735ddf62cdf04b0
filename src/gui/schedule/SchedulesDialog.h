#pragma once

#include "app/ScheduleStore.h"
#include "app/ServerEntry.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QTableView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class ScheduleModel;

// Adds or edits one task: its kind, a systemd calendar expression (checked as typed, with the next five runs in
// the task's zone and in local time), and retention for an expiry.
class TaskEditor : public QDialog {
    Q_OBJECT
public:
    TaskEditor(const app::ScheduledTask &task, QWidget *parent = nullptr);
    app::ScheduledTask task() const;
    QString preview() const;  // what the preview shows: the next runs, or why the text is not valid

private:
    void update();

    app::ScheduledTask m_task;
    QComboBox *m_kind;
    QLineEdit *m_calendar;
    QSpinBox *m_retainFull;
    QSpinBox *m_retainDays;
    QLineEdit *m_backup;
    QLabel *m_preview;
    QPushButton *m_ok;
};

// A server's schedules: the tasks, switched on and off in place, their next five runs, add/edit/remove, and
// "Install as systemd timer…" so they run while the app is closed.
class SchedulesDialog : public QDialog {
    Q_OBJECT
public:
    SchedulesDialog(app::AppContext &app, const app::ServerEntry &server, QWidget *parent = nullptr);

    ScheduleModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QStringList nextRuns() const;   // the selected task's next five runs, as listed
    QString statusText() const;

    void addTask();
    void editTask();
    void removeTask();
    void installTimer();

private:
    qint64 selectedId() const;
    void updateSelection();
    void setStatus(const QString &text);

    app::AppContext &m_app;
    app::ServerEntry m_server;
    ScheduleModel *m_model;
    QTableView *m_table;
    QStringListModel *m_runs;
    QListView *m_runsView;
    QLabel *m_status;
    QPushButton *m_edit;
    QPushButton *m_remove;
};

} // namespace pga::gui
