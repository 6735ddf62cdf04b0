#pragma once

#include "app/ServerEntry.h"

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

// "Promote…" for a standby: first a check (a job) of how far it has replayed against its receiver and the repository and
// whether it is a delayed replica, then what promoting will do; Promote is enabled when nothing stands in the way, or
// with "Promote anyway" ticked.
class PromoteDialog : public QDialog {
    Q_OBJECT
public:
    PromoteDialog(app::AppContext &app, const app::ServerEntry &standby, QWidget *parent = nullptr);

    QLabel *whatLabel() const { return m_what; }
    QCheckBox *forceBox() const { return m_force; }
    QPushButton *promoteButton() const { return m_promote; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *commandEdit() const { return m_command; }
    bool checked() const { return m_checked; }
    bool promoted() const { return m_promoted; }

signals:
    void checkFinished(bool ok);
    void runFinished(bool ok);

private:
    void check();
    void promote();
    void updateButtons();
    app::AppContext &m_app;
    app::ServerEntry m_standby;
    QLabel *m_what, *m_status;
    QCheckBox *m_force;
    QLineEdit *m_command;
    QProgressBar *m_progress;
    QPushButton *m_promote, *m_close;
    QStringList m_reasons;
    bool m_checked = false, m_running = false, m_promoted = false;
};

} // namespace pga::gui
