#pragma once

#include "app/ServerEntry.h"
#include "app/StandbyService.h"

#include <QWizard>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;
class QSpinBox;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

// "Create Standby…": from which backup and into which directory; streaming from the server (with a slot and an apply
// delay) or fed from the archive alone; hot or warm; start it. The last page shows the equivalent command line; Finish
// runs it as a job and closes once the standby exists.
class StandbyWizard : public QWizard {
    Q_OBJECT
public:
    StandbyWizard(app::AppContext &app, const app::ServerEntry &primary, QWidget *parent = nullptr);

    QComboBox *backupCombo() const { return m_backup; }
    QLineEdit *targetEdit() const { return m_target; }
    QSpinBox *portSpin() const { return m_port; }
    QRadioButton *streamingButton() const { return m_streaming; }
    QRadioButton *archiveButton() const { return m_archive; }
    QLineEdit *primaryEdit() const { return m_primary; }
    QLineEdit *slotEdit() const { return m_slot; }
    QLineEdit *delayEdit() const { return m_delay; }
    QRadioButton *hotButton() const { return m_hot; }
    QRadioButton *warmButton() const { return m_warm; }
    QCheckBox *startBox() const { return m_start; }
    QCheckBox *registerBox() const { return m_register; }
    qint64 registeredId() const { return m_registeredId; }
    QLineEdit *commandEdit() const { return m_command; }
    QLabel *statusLabel() const { return m_status; }
    engine::StandbyCreateOptions options() const;
    const engine::StandbyCreateResult &result() const { return m_result; }

signals:
    void created(const QString &conninfo, qint64 registeredId);  // before the wizard closes
    void runFinished(bool ok);

protected:
    void accept() override;

private:
    void updateCommand();
    app::AppContext &m_app;
    app::ServerEntry m_primary0;
    QComboBox *m_backup;
    QLineEdit *m_target, *m_primary, *m_slot, *m_delay, *m_command;
    QSpinBox *m_port;
    QRadioButton *m_streaming, *m_archive, *m_hot, *m_warm;
    QCheckBox *m_start, *m_register;
    qint64 m_registeredId = 0;
    QLabel *m_status;
    QProgressBar *m_progress;
    engine::StandbyCreateResult m_result;
    int m_jobId = 0;
    bool m_waitingForJob = false, m_running = false;
};

} // namespace pga::gui
