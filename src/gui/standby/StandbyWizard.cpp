#include "StandbyWizard.h"

#include "app/AppContext.h"
#include "app/StandbyService.h"
#include "jobs/JobProgress.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QWizardPage>

namespace pga::gui {

namespace {

// A page that is complete when its check says so.
class CheckedPage : public QWizardPage {
public:
    std::function<bool()> complete = [] { return true; };
    bool isComplete() const override { return complete(); }
    void changed() { emit completeChanged(); }
};

} // namespace

StandbyWizard::StandbyWizard(app::AppContext &app, const app::ServerEntry &primary, QWidget *parent)
    : QWizard(parent), m_app(app), m_primary0(primary), m_backup(new QComboBox), m_target(new QLineEdit), m_primary(new QLineEdit),
      m_slot(new QLineEdit), m_delay(new QLineEdit), m_command(new QLineEdit), m_port(new QSpinBox),
      m_streaming(new QRadioButton(tr("&Streaming from %1").arg(primary.name))), m_archive(new QRadioButton(tr("Fed from the &archive only (warm standby)"))),
      m_hot(new QRadioButton(tr("&Hot: read-only queries while it replays"))), m_warm(new QRadioButton(tr("&Warm: no queries until promoted"))),
      m_start(new QCheckBox(tr("S&tart it when it is made"))), m_register(new QCheckBox(tr("Add it to the server &list"))), m_status(new QLabel), m_progress(new QProgressBar)
{
    setMinimumWidth(640);  // the command line stays readable
    setWindowTitle(tr("Create Standby of %1").arg(primary.name));
    setOption(QWizard::NoBackButtonOnLastPage, false);

    auto *source = new CheckedPage;
    source->setTitle(tr("Backup and destination"));
    source->setSubTitle(tr("The standby starts as a restore of a backup from %1's repository, then replays the WAL from there on.").arg(primary.repoDir));
    m_backup->addItem(tr("The newest backup"), QString());
    m_backup->setToolTip(tr("Which backup the standby is restored from"));
    m_target->setText(app::StandbyService::defaultStandbyDir(primary));
    m_target->setToolTip(tr("The standby's data directory: new or empty. As root, it is made for the postgres user."));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("a free port"));
    m_port->setToolTip(tr("The standby's port (written as port = N)"));
    auto *sf = new QFormLayout(source);
    auto *backupLabel = new QLabel(tr("&Backup:"));
    backupLabel->setBuddy(m_backup);
    auto *targetLabel = new QLabel(tr("&Data directory:"));
    targetLabel->setBuddy(m_target);
    auto *portLabel = new QLabel(tr("&Port:"));
    portLabel->setBuddy(m_port);
    sf->addRow(backupLabel, m_backup);
    sf->addRow(targetLabel, m_target);
    sf->addRow(portLabel, m_port);
    source->complete = [this] { return !m_target->text().trimmed().isEmpty(); };
    connect(m_target, &QLineEdit::textChanged, source, [source] { source->changed(); });
    addPage(source);

    auto *repl = new CheckedPage;
    repl->setTitle(tr("Replication"));
    repl->setSubTitle(tr("A streaming standby follows within moments; an archive-fed one replays each segment once it is archived."));
    auto *mode = new QButtonGroup(repl);
    mode->addButton(m_streaming);
    mode->addButton(m_archive);
    m_streaming->setChecked(true);
    QString conninfo = primary.conninfo;
    m_primary->setText(conninfo);
    m_primary->setToolTip(tr("How the standby reaches the primary (primary_conninfo). No password here: the standby's server user "
                             "needs it in a passfile (passfile=…) or ~/.pgpass."));
    m_slot->setPlaceholderText(tr("none"));
    m_slot->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[a-z0-9_]{0,63}")), m_slot));
    m_slot->setToolTip(tr("A physical replication slot on the primary keeps the WAL the standby has not received yet; created when missing"));
    m_delay->setPlaceholderText(tr("none, e.g. 1h"));
    m_delay->setToolTip(tr("A delayed replica applies each commit this late (recovery_min_apply_delay): time to stop before a blunder"));
    auto *temp = new QButtonGroup(repl);
    temp->addButton(m_hot);
    temp->addButton(m_warm);
    m_hot->setChecked(true);
    auto *rl = new QFormLayout(repl);
    rl->addRow(m_streaming);
    auto *primaryLabel = new QLabel(tr("Primary &conninfo:"));
    primaryLabel->setBuddy(m_primary);
    auto *slotLabel = new QLabel(tr("S&lot:"));
    slotLabel->setBuddy(m_slot);
    rl->addRow(primaryLabel, m_primary);
    rl->addRow(slotLabel, m_slot);
    rl->addRow(m_archive);
    auto *delayLabel = new QLabel(tr("Apply &delay:"));
    delayLabel->setBuddy(m_delay);
    rl->addRow(delayLabel, m_delay);
    rl->addRow(m_hot);
    rl->addRow(m_warm);
    auto streamingChanged = [this, repl] {
        m_primary->setEnabled(m_streaming->isChecked());
        m_slot->setEnabled(m_streaming->isChecked());
        repl->changed();
    };
    connect(m_streaming, &QRadioButton::toggled, repl, streamingChanged);
    connect(m_primary, &QLineEdit::textChanged, repl, [repl] { repl->changed(); });
    repl->complete = [this] { return !m_streaming->isChecked() || !m_primary->text().trimmed().isEmpty(); };
    addPage(repl);

    auto *last = new QWizardPage;
    last->setTitle(tr("Create"));
    last->setSubTitle(tr("Finish restores the backup as a standby. The same from a shell:"));
    m_start->setChecked(true);
    m_register->setChecked(true);
    m_register->setToolTip(tr("Register the started standby (same repository and repository name) so the Overview shows its replication"));
    connect(m_start, &QCheckBox::toggled, m_register, &QCheckBox::setEnabled);
    m_command->setReadOnly(true);
    m_command->setToolTip(tr("The equivalent pgarchivist-cli command"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setVisible(false);
    auto *ll = new QVBoxLayout(last);
    ll->addWidget(m_start);
    ll->addWidget(m_register);
    ll->addWidget(m_command);
    ll->addWidget(m_progress);
    ll->addWidget(m_status);
    ll->addStretch();
    addPage(last);

    for (QLineEdit *e : {m_target, m_primary, m_slot, m_delay})
        connect(e, &QLineEdit::textChanged, this, &StandbyWizard::updateCommand);
    for (QAbstractButton *b : std::initializer_list<QAbstractButton *>{m_streaming, m_archive, m_hot, m_warm, m_start})
        connect(b, &QAbstractButton::toggled, this, &StandbyWizard::updateCommand);
    connect(m_port, &QSpinBox::valueChanged, this, &StandbyWizard::updateCommand);
    connect(m_backup, &QComboBox::currentIndexChanged, this, &StandbyWizard::updateCommand);
    updateCommand();

    // The backups a standby can start from: base and snapshot backups (a cold one has no WAL to follow on with).
    m_app.backups().readCatalog(primary, this, [this](const app::BackupService::Catalog &c) {
        if (!c || c->isEmpty())
            return;
        for (const engine::BackupListing &b : c->first().backupList)
            if (b.status == QLatin1String("ok") && b.kind != QLatin1String("cold"))
                m_backup->addItem(tr("%1 (ended %2)").arg(b.id, QLocale().toString(b.stopTimeUtc.toLocalTime(), QLocale::ShortFormat)), b.id);
    });
    connect(&m_app.jobs(), &app::JobRunner::jobAdded, this, [this](int id) {
        if (m_waitingForJob && m_app.jobs().job(id).kind == QLatin1String("standby")) {
            m_waitingForJob = false;
            m_jobId = id;
        }
    });
    connect(&m_app.jobs(), &app::JobRunner::jobChanged, this, [this](int id) {
        if (id == m_jobId)
            showJobProgress(m_app.jobs().job(id), m_progress, m_status);
    });
}

engine::StandbyCreateOptions StandbyWizard::options() const
{
    engine::StandbyCreateOptions o = app::StandbyService::createOptions(m_primary0);
    o.backupId = m_backup->currentData().toString();
    o.targetDir = m_target->text().trimmed();
    o.port = m_port->value();
    o.primaryConninfo = m_streaming->isChecked() ? m_primary->text().trimmed() : QString();
    o.slot = m_streaming->isChecked() ? m_slot->text().trimmed() : QString();
    o.delay = m_delay->text().trimmed();
    o.hot = m_hot->isChecked();
    o.start = m_start->isChecked();
    return o;
}

void StandbyWizard::updateCommand() { m_command->setText(app::StandbyService::createCommand(options())); }

void StandbyWizard::accept()
{
    if (m_running)
        return;
    m_running = true;
    button(QWizard::FinishButton)->setEnabled(false);
    button(QWizard::BackButton)->setEnabled(false);
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Restoring the backup as a standby…"));
    m_waitingForJob = true;
    m_app.standbys().create(m_primary0, options(), this, [this](const app::JobInfo &info, const engine::StandbyCreateResult &r) {
        m_running = false;
        m_jobId = 0;
        m_progress->setVisible(false);
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        if (!ok) {
            emit runFinished(false);
            m_status->setText(info.state == app::JobInfo::State::Cancelled ? tr("Cancelled.") : tr("Not created: %1").arg(info.error.toString()));
            button(QWizard::FinishButton)->setEnabled(true);
            button(QWizard::BackButton)->setEnabled(true);
            return;
        }
        m_result = r;
        if (m_register->isChecked() && !r.conninfo.isEmpty()) {
            app::ServerEntry e;
            e.name = tr("%1 standby").arg(m_primary0.name);
            for (int n = 2; m_app.registry().serverByName(e.name); ++n)
                e.name = tr("%1 standby %2").arg(m_primary0.name).arg(n);
            e.group = m_primary0.group;
            e.conninfo = r.conninfo;
            e.repoDir = m_primary0.repoDir;
            e.repoServer = app::BackupService::repoServerName(m_primary0);
            if (auto saved = m_app.registry().save(e))
                m_registeredId = saved->id;
        }
        emit created(m_result.conninfo, m_registeredId);
        emit runFinished(true);
        QWizard::accept();  // closes (and with WA_DeleteOnClose deletes) the wizard: listeners read the signals' arguments
    });
}

} // namespace pga::gui
