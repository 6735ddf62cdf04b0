#pragma once

#include "app/ServerEntry.h"
#include "app/StandbyService.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

// "Stop Before…" on a delayed replica: the moment (with its zone), transaction or WAL position of the blunder; the
// replica pauses, restarts to recover up to just before it and is promoted there, the table or rows it destroyed
// still in place. Runs as a job (app::StandbyService::stopBefore, the same as `standby stop-before`).
class StopBeforeDialog : public QDialog {
    Q_OBJECT
public:
    StopBeforeDialog(app::AppContext &app, const app::ServerEntry &standby, qint64 suggestedUs, QWidget *parent = nullptr);

    QRadioButton *timeButton() const { return m_byTime; }
    QRadioButton *xidButton() const { return m_byXid; }
    QRadioButton *lsnButton() const { return m_byLsn; }
    QLineEdit *targetEdit() const { return m_target; }
    QPushButton *stopButton() const { return m_run; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *commandEdit() const { return m_command; }
    // The target as typed; kind EndOfWal when it does not parse.
    engine::RecoveryTarget target() const;
    bool succeeded() const { return m_succeeded; }

signals:
    void runFinished(bool ok);

private:
    void update();
    void run();
    app::AppContext &m_app;
    app::ServerEntry m_standby;
    QRadioButton *m_byTime, *m_byXid, *m_byLsn;
    QLineEdit *m_target, *m_command;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_run, *m_close;
    QString m_timeText;
    bool m_running = false, m_succeeded = false;
};

} // namespace pga::gui
