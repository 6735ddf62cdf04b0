#include "PromoteDialog.h"

#include "app/AppContext.h"
#include "app/StandbyService.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace pga::gui {

namespace {

engine::PromoteOptions promoteOptions(const app::ServerEntry &e, bool force, bool checkOnly)
{
    engine::PromoteOptions o;
    o.conninfo = e.conninfo;
    if (!e.repoDir.isEmpty()) {
        o.repoDir = e.repoDir;
        o.server = app::BackupService::repoServerName(e);
    }
    o.force = force;
    o.checkOnly = checkOnly;
    return o;
}

} // namespace

PromoteDialog::PromoteDialog(app::AppContext &app, const app::ServerEntry &standby, QWidget *parent)
    : QDialog(parent), m_app(app), m_standby(standby), m_what(new QLabel), m_status(new QLabel), m_force(new QCheckBox(tr("Promote &anyway"))),
      m_command(new QLineEdit), m_progress(new QProgressBar), m_promote(new QPushButton(tr("&Promote"))), m_close(new QPushButton(tr("Close")))
{
    setMinimumWidth(560);  // the explanations wrap into readable lines
    setWindowTitle(tr("Promote %1").arg(standby.name));
    m_what->setWordWrap(true);
    m_what->setText(tr("Checking %1…").arg(standby.name));
    m_status->setWordWrap(true);
    m_force->setEnabled(false);
    m_force->setToolTip(tr("Promote although the check found a reason not to"));
    m_command->setReadOnly(true);
    m_command->setToolTip(tr("The equivalent pgarchivist-cli command"));
    m_progress->setRange(0, 0);
    m_promote->setEnabled(false);
    m_promote->setToolTip(tr("Make the standby a primary on a new timeline (pg_promote)"));
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_promote, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *l = new QVBoxLayout(this);
    l->addWidget(m_what);
    l->addWidget(m_force);
    l->addWidget(m_command);
    l->addWidget(m_progress);
    l->addWidget(m_status);
    l->addWidget(buttons);
    connect(m_force, &QCheckBox::toggled, this, &PromoteDialog::updateButtons);
    connect(m_promote, &QPushButton::clicked, this, &PromoteDialog::promote);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    m_command->setText(app::StandbyService::promoteCommand(promoteOptions(standby, false, false)));
    check();
}

void PromoteDialog::check()
{
    m_app.standbys().promote(m_standby, promoteOptions(m_standby, false, true), this, [this](const app::JobInfo &info, const engine::PromoteResult &r) {
        m_progress->setVisible(false);
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        m_checked = ok;
        if (!ok) {
            m_what->setText(tr("Cannot promote %1: %2").arg(m_standby.name, info.error.message));
        } else {
            const engine::StandbyStatus &s = r.before;
            QString text = tr("%1 has replayed to %2 on timeline %3%4. Promoting makes it a primary on a new timeline: it stops following "
                              "its primary and accepts writes. The old primary must not come back as a primary: switch it back with "
                              "Switch Back… once it is stopped.")
                               .arg(m_standby.name, s.replayLsn.toString())
                               .arg(s.timeline)
                               .arg(s.receiverStatus.isEmpty() ? tr(", fed from the archive") : tr(", receiving from %1").arg(s.primary));
            m_reasons = r.reasons;
            if (!m_reasons.isEmpty())
                text += QStringLiteral("\n\n") + tr("Not recommended now: %1.").arg(m_reasons.join(QStringLiteral("; ")));
            m_what->setText(text);
        }
        m_force->setEnabled(ok && !m_reasons.isEmpty());
        updateButtons();
        adjustSize();  // the explanation has just grown
        emit checkFinished(ok);
    });
}

void PromoteDialog::updateButtons()
{
    m_promote->setEnabled(m_checked && !m_running && !m_promoted && (m_reasons.isEmpty() || m_force->isChecked()));
    m_command->setText(app::StandbyService::promoteCommand(promoteOptions(m_standby, m_force->isChecked(), false)));
}

void PromoteDialog::promote()
{
    m_running = true;
    updateButtons();
    m_progress->setVisible(true);
    m_status->setText(tr("Promoting %1…").arg(m_standby.name));
    m_app.standbys().promote(m_standby, promoteOptions(m_standby, m_force->isChecked(), false), this,
                             [this](const app::JobInfo &info, const engine::PromoteResult &r) {
                                 m_running = false;
                                 m_progress->setVisible(false);
                                 const bool ok = info.state == app::JobInfo::State::Succeeded;
                                 m_promoted = ok;
                                 m_status->setText(ok ? tr("Promoted: %1 accepts writes on timeline %2.").arg(m_standby.name).arg(r.timeline)
                                                      : tr("Not promoted: %1").arg(info.error.toString()));
                                 updateButtons();
                                 emit runFinished(ok);
                             });
}

} // namespace pga::gui
