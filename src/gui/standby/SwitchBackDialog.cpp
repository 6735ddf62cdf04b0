#include "SwitchBackDialog.h"

#include "app/AppContext.h"
#include "app/StandbyService.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace pga::gui {

SwitchBackDialog::SwitchBackDialog(app::AppContext &app, const app::ServerEntry &newPrimary, QWidget *parent)
    : QDialog(parent), m_app(app), m_newPrimary(newPrimary), m_target(new QLineEdit), m_source(new QLineEdit(newPrimary.conninfo)),
      m_slot(new QLineEdit), m_command(new QLineEdit), m_start(new QCheckBox(tr("S&tart it as a standby afterwards"))), m_status(new QLabel),
      m_progress(new QProgressBar), m_run(new QPushButton(tr("&Switch Back"))), m_close(new QPushButton(tr("Close")))
{
    setMinimumWidth(560);  // the explanations wrap into readable lines
    setWindowTitle(tr("Switch Back onto %1").arg(newPrimary.name));
    auto *what = new QLabel(tr("After a failover the old primary has WAL the new primary never saw. pg_rewind takes it back to where the two "
                               "diverged, copying only the pages that changed since (it needs data checksums or wal_log_hints on the old "
                               "primary, which is checked first); WAL it no longer has comes from %1's repository. The old primary keeps its "
                               "own configuration and becomes a standby of %2.")
                                .arg(newPrimary.name, newPrimary.name));
    what->setWordWrap(true);
    m_target->setPlaceholderText(tr("/var/lib/postgresql/15/main"));
    m_target->setToolTip(tr("The old primary's data directory on this machine; the old primary must be stopped"));
    m_source->setToolTip(tr("How to reach the new primary (no password here: ~/.pgpass or passfile=)"));
    m_slot->setPlaceholderText(tr("none"));
    m_slot->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[a-z0-9_]{0,63}")), m_slot));
    m_slot->setToolTip(tr("primary_slot_name for the old primary as a standby; created on the new primary when missing"));
    m_start->setChecked(true);
    m_command->setReadOnly(true);
    m_command->setToolTip(tr("The equivalent pgarchivist-cli command"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    auto *form = new QFormLayout;
    auto *tl = new QLabel(tr("Old primary's &data directory:"));
    tl->setBuddy(m_target);
    auto *sl = new QLabel(tr("New &primary:"));
    sl->setBuddy(m_source);
    auto *ll = new QLabel(tr("S&lot:"));
    ll->setBuddy(m_slot);
    form->addRow(tl, m_target);
    form->addRow(sl, m_source);
    form->addRow(ll, m_slot);
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_run, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *l = new QVBoxLayout(this);
    l->addWidget(what);
    l->addLayout(form);
    l->addWidget(m_start);
    l->addWidget(m_command);
    l->addWidget(m_progress);
    l->addWidget(m_status);
    l->addWidget(buttons);
    for (QLineEdit *e : {m_target, m_source, m_slot})
        connect(e, &QLineEdit::textChanged, this, &SwitchBackDialog::update);
    connect(m_start, &QCheckBox::toggled, this, &SwitchBackDialog::update);
    connect(m_run, &QPushButton::clicked, this, &SwitchBackDialog::run);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    update();
}

engine::RewindOptions SwitchBackDialog::options() const
{
    engine::RewindOptions o;
    o.targetDir = m_target->text().trimmed();
    o.sourceConninfo = m_source->text().trimmed();
    if (!m_newPrimary.repoDir.isEmpty()) {
        o.repoDir = m_newPrimary.repoDir;
        o.server = app::BackupService::repoServerName(m_newPrimary);
    }
    o.slot = m_slot->text().trimmed();
    o.start = m_start->isChecked();
    return o;
}

void SwitchBackDialog::update()
{
    const engine::RewindOptions o = options();
    m_command->setText(app::StandbyService::rewindCommand(o));
    m_run->setEnabled(!m_running && !m_succeeded && !o.targetDir.isEmpty() && !o.sourceConninfo.isEmpty());
}

void SwitchBackDialog::run()
{
    m_running = true;
    update();
    m_progress->setVisible(true);
    m_status->setText(tr("Rewinding %1…").arg(options().targetDir));
    m_app.standbys().rewind(m_newPrimary, options(), this, [this](const app::JobInfo &info, const engine::RewindResult &r) {
        m_running = false;
        m_progress->setVisible(false);
        m_succeeded = info.state == app::JobInfo::State::Succeeded;
        m_status->setText(m_succeeded ? tr("Switched back: the old primary is a standby of %1%2.")
                                            .arg(m_newPrimary.name, r.started ? tr(" and runs") : QString())
                                      : tr("Not switched back: %1").arg(info.error.message));
        update();
        emit runFinished(m_succeeded);
    });
}

} // namespace pga::gui
