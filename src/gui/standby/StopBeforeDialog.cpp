#include "StopBeforeDialog.h"

#include "app/AppContext.h"
#include "app/StandbyService.h"
#include "core/TimeText.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace pga::gui {

StopBeforeDialog::StopBeforeDialog(app::AppContext &app, const app::ServerEntry &standby, qint64 suggestedUs, QWidget *parent)
    : QDialog(parent), m_app(app), m_standby(standby), m_byTime(new QRadioButton(tr("&Time"))), m_byXid(new QRadioButton(tr("Transaction &ID"))),
      m_byLsn(new QRadioButton(tr("WAL &position"))), m_target(new QLineEdit), m_command(new QLineEdit), m_status(new QLabel),
      m_progress(new QProgressBar), m_run(new QPushButton(tr("&Stop Before"))), m_close(new QPushButton(tr("Close")))
{
    setMinimumWidth(560);  // the explanations wrap into readable lines
    setWindowTitle(tr("Stop %1 Before a Blunder").arg(standby.name));
    auto *what = new QLabel(tr("%1 is a delayed replica: it has received commits it has not applied yet. Give the blunder (its time, "
                               "transaction or WAL position): replay pauses, the replica restarts to recover up to just before it and is "
                               "promoted there, a primary of its own on a new timeline, with what the blunder destroyed still in it.")
                                .arg(standby.name));
    what->setWordWrap(true);
    auto *kinds = new QButtonGroup(this);
    for (QRadioButton *b : {m_byTime, m_byXid, m_byLsn})
        kinds->addButton(b);
    m_byTime->setChecked(true);
    m_timeText = localTimestampText(suggestedUs);
    m_target->setText(m_timeText);
    m_target->setToolTip(tr("A time with its zone (e.g. 2026-12-01 14:03:00+01), a transaction ID, or an LSN such as 0/3000060"));
    m_command->setReadOnly(true);
    m_command->setToolTip(tr("The equivalent pgarchivist-cli command"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    auto *kindRow = new QHBoxLayout;
    for (QRadioButton *b : {m_byTime, m_byXid, m_byLsn})
        kindRow->addWidget(b);
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_run, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    auto *l = new QVBoxLayout(this);
    l->addWidget(what);
    l->addLayout(kindRow);
    l->addWidget(m_target);
    l->addWidget(m_command);
    l->addWidget(m_progress);
    l->addWidget(m_status);
    l->addWidget(buttons);
    connect(m_target, &QLineEdit::textChanged, this, &StopBeforeDialog::update);
    for (QRadioButton *b : {m_byTime, m_byXid, m_byLsn})
        connect(b, &QRadioButton::toggled, this, &StopBeforeDialog::update);
    connect(m_run, &QPushButton::clicked, this, &StopBeforeDialog::run);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    update();
}

engine::RecoveryTarget StopBeforeDialog::target() const
{
    engine::RecoveryTarget t;
    const QString text = m_target->text().trimmed();
    if (m_byTime->isChecked()) {
        t.time = engine::RecoveryTarget::parseTime(text, &t.timeMicros);
        if (t.time.isValid())
            t.kind = engine::RecoveryTarget::Kind::Time;
    } else if (m_byXid->isChecked()) {
        if (app::StandbyService::isTransactionId(text)) {
            t.kind = engine::RecoveryTarget::Kind::Xid;
            t.text = text;
        }
    } else if (const auto lsn = Lsn::parse(text)) {
        t.kind = engine::RecoveryTarget::Kind::Lsn;
        t.lsn = *lsn;
    }
    return t;
}

void StopBeforeDialog::update()
{
    const engine::RecoveryTarget t = target();
    const bool valid = t.kind != engine::RecoveryTarget::Kind::EndOfWal;
    m_command->setText(valid ? app::StandbyService::stopBeforeCommand(m_standby.conninfo, t, m_target->text().trimmed()) : QString());
    if (!m_running && !m_succeeded)
        m_status->setText(valid ? QString() : tr("Not a %1.").arg(m_byTime->isChecked() ? tr("time with its zone") : m_byXid->isChecked() ? tr("transaction ID") : tr("WAL position")));
    m_run->setEnabled(valid && !m_running && !m_succeeded);
}

void StopBeforeDialog::run()
{
    m_running = true;
    update();
    m_progress->setVisible(true);
    const engine::RecoveryTarget t = target();
    m_status->setText(tr("Stopping %1 before %2…").arg(m_standby.name, t.describe()));
    engine::StopBeforeOptions o;
    o.conninfo = m_standby.conninfo;
    m_app.standbys().stopBefore(m_standby, o, t, this, [this](const app::JobInfo &info, const engine::StopBeforeResult &r) {
        m_running = false;
        m_progress->setVisible(false);
        m_succeeded = info.state == app::JobInfo::State::Succeeded;
        m_status->setText(m_succeeded ? tr("Promoted at %1 on timeline %2, just before the blunder.").arg(r.stoppedAt.toString()).arg(r.timeline)
                                      : tr("Not done: %1").arg(info.error.message));
        update();
        emit runFinished(m_succeeded);
    });
}

} // namespace pga::gui
