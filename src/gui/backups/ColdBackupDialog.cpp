#include "ColdBackupDialog.h"

#include "app/BackupService.h"
#include "app/DumpService.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pga::gui {

ColdBackupDialog::ColdBackupDialog(const app::ServerEntry &server, const QString &dataDir, QWidget *parent)
    : QDialog(parent), m_server(server), m_dataDir(new QLineEdit(dataDir, this)), m_configDir(new QLineEdit(this)), m_command(new QLineEdit(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("coldBackupDialog"));
    setWindowTitle(tr("Cold Backup of %1").arg(server.name));
    m_dataDir->setObjectName(QStringLiteral("dataDir"));
    m_configDir->setObjectName(QStringLiteral("configDir"));
    m_configDir->setPlaceholderText(tr("only when outside the data directory, e.g. /etc/postgresql/15/main"));
    m_command->setReadOnly(true);
    m_command->setObjectName(QStringLiteral("commandLine"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Back Up"));
    auto *note = new QLabel(tr("<b>The server must be stopped</b> (pg_ctl stop, or systemctl stop postgresql@15-main). A running or "
                               "crashed cluster is refused: its files are only consistent after a clean shutdown. Every file, every "
                               "tablespace and the configuration directory go into the repository's chunk store; the copy restores as "
                               "it was, with nothing to replay. While the server runs, use Back Up Now instead."),
                            this);
    note->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Data directory:"), m_dataDir);
    form->addRow(tr("&Configuration directory:"), m_configDir);
    form->addRow(tr("Command line:"), m_command);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_dataDir, &QLineEdit::textChanged, this, &ColdBackupDialog::updatePreview);
    connect(m_configDir, &QLineEdit::textChanged, this, &ColdBackupDialog::updatePreview);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ColdBackupDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ColdBackupDialog::reject);
    updatePreview();
}

engine::ColdBackupOptions ColdBackupDialog::options() const
{
    engine::ColdBackupOptions o;
    o.repoDir = m_server.repoDir;
    o.server = app::BackupService::repoServerName(m_server);
    o.dataDir = m_dataDir->text().trimmed();
    o.configDir = m_configDir->text().trimmed();
    return o;
}

QString ColdBackupDialog::commandLine() const { return m_command->text(); }

void ColdBackupDialog::updatePreview()
{
    m_command->setText(app::DumpService::coldBackupCommand(options()));
    // No look at the disk here (the GUI thread never waits on it): the job says when the directory is no data directory.
    const bool ok = QDir::isAbsolutePath(m_dataDir->text().trimmed());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(ok ? QString() : tr("Give the full path of the cluster's data directory on this machine"));
}

} // namespace pga::gui
