#pragma once

#include "app/ServerEntry.h"
#include "app/StandbyService.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

// "Switch Back…" onto a new primary (the selected server): the old primary's data directory on this machine, what
// pg_rewind will do, then Switch Back as a job; when rewind is impossible the error says so and names the new standby
// to make from the repository instead.
class SwitchBackDialog : public QDialog {
    Q_OBJECT
public:
    SwitchBackDialog(app::AppContext &app, const app::ServerEntry &newPrimary, QWidget *parent = nullptr);

    QLineEdit *targetEdit() const { return m_target; }
    QLineEdit *sourceEdit() const { return m_source; }
    QLineEdit *slotEdit() const { return m_slot; }
    QCheckBox *startBox() const { return m_start; }
    QPushButton *switchButton() const { return m_run; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *commandEdit() const { return m_command; }
    engine::RewindOptions options() const;
    bool succeeded() const { return m_succeeded; }

signals:
    void runFinished(bool ok);

private:
    void update();
    void run();
    app::AppContext &m_app;
    app::ServerEntry m_newPrimary;
    QLineEdit *m_target, *m_source, *m_slot, *m_command;
    QCheckBox *m_start;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_run, *m_close;
    bool m_running = false, m_succeeded = false;
};

} // namespace pga::gui
