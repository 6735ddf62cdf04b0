#pragma once

#include "app/ServerEntry.h"
#include "engine/ColdBackup.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace pga::gui {

// "Cold Backup…" for a cluster on this machine: its data directory (and Debian's configuration directory), with
// the plain warning that the server must be stopped, and the equivalent command line.
class ColdBackupDialog : public QDialog {
    Q_OBJECT
public:
    ColdBackupDialog(const app::ServerEntry &server, const QString &dataDir, QWidget *parent = nullptr);
    engine::ColdBackupOptions options() const;
    QString commandLine() const;
    QLineEdit *dataDirEdit() const { return m_dataDir; }

private:
    void updatePreview();
    app::ServerEntry m_server;
    QLineEdit *m_dataDir, *m_configDir, *m_command;
    QDialogButtonBox *m_buttons;
};

} // namespace pga::gui
