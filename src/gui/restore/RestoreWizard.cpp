#include "RestoreWizard.h"

#include "RecoveryTimelineModel.h"
#include "RestoreWizardText.h"
#include "jobs/JobProgress.h"
#include "RecoveryTimelineWidget.h"
#include "app/AppContext.h"
#include "core/TimeText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStorageInfo>
#include <QTimer>
#include <QTimeZone>
#include <QVBoxLayout>

#include <unistd.h>

namespace pga::gui {

using Kind = engine::RecoveryTarget::Kind;
using wizardtext::dataSize;
using wizardtext::seconds;

RestoreWizard::RestoreWizard(app::AppContext &app, qint64 serverId, const QString &backup, QWidget *parent)
    : QWizard(parent), backupId(backup), m_app(app), m_timelineModel(new RecoveryTimelineModel(this))
{
    setObjectName(QStringLiteral("restoreWizard"));
    setWindowTitle(tr("Restore"));
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    if (auto e = m_app.registry().server(serverId))
        m_source = *e;
    setPage(TargetPageId, new TargetPage(this));
    setPage(DestinationPageId, new DestinationPage(this));
    setPage(SummaryPageId, new SummaryPage(this));
    setPage(ProgressPageId, new ProgressPage(this));
    resize(760, 560);
}

app::RestoreRequest RestoreWizard::request() const
{
    app::RestoreRequest r;
    r.source = m_source;
    r.target = target;
    r.backupId = backupId;
    r.targetDir = targetDir;
    r.start = start;
    r.owner = owner;
    r.tablespaceMap = tablespaceMap;
    return r;
}

// ---- 2. Destination

DestinationPage::DestinationPage(RestoreWizard *wizard)
    : QWizardPage(wizard), m_wizard(wizard), m_scratch(new QRadioButton(this)), m_directory(new QRadioButton(tr("A new &data directory:"), this)),
      m_dir(new QLineEdit(this)), m_start(new QCheckBox(tr("&Start it and follow replay to the target"), this)), m_action(new QComboBox(this)),
      m_actionHelp(new QLabel(this)), m_owner(new QLineEdit(QStringLiteral("postgres"), this)), m_tablespaces(new QLineEdit(this)),
      m_problem(new QLabel(this))
{
    setTitle(tr("Restore into where?"));
    setSubTitle(tr("The source server is not touched: the restore goes into a new directory."));
    m_scratch->setObjectName(QStringLiteral("destinationScratch"));
    m_directory->setObjectName(QStringLiteral("destinationDirectory"));
    m_dir->setObjectName(QStringLiteral("destinationPath"));
    m_scratch->setChecked(true);
    m_start->setChecked(true);
    m_action->setObjectName(QStringLiteral("targetAction"));
    m_action->addItem(tr("promote"), QStringLiteral("promote"));
    m_action->addItem(tr("pause"), QStringLiteral("pause"));
    m_action->addItem(tr("shut down"), QStringLiteral("shutdown"));
    m_actionHelp->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("destinationProblem"));
    m_problem->setWordWrap(true);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_directory);
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("At the &target:"), m_action);
    form->addRow(QString(), m_actionHelp);
    m_tablespaces->setObjectName(QStringLiteral("tablespaceMap"));
    m_tablespaces->setPlaceholderText(tr("none: tablespaces go to their original locations"));
    m_tablespaces->setToolTip(tr("OLD=NEW, separated by ';': restore the tablespace that was at OLD into NEW. On the source's own "
                                 "host the original location is the live tablespace, so map it."));
    form->addRow(tr("Tablespace &mapping:"), m_tablespaces);
    if (::geteuid() == 0)
        form->addRow(tr("&Owner (runs the server):"), m_owner);
    else
        m_owner->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scratch);
    layout->addLayout(dirRow);
    layout->addSpacing(8);
    layout->addWidget(m_start);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_problem);

    auto update = [this] {
        static const QHash<QString, QString> help{
            {QStringLiteral("promote"), tr("Promote: at the target the server ends recovery and accepts writes, on a new timeline.")},
            {QStringLiteral("pause"), tr("Pause: the server stays read-only at the target until SELECT pg_wal_replay_resume() (which "
                                         "then promotes it); you can look before you decide.")},
            {QStringLiteral("shutdown"), tr("Shut down: the server stops at the target; start it again to recover further or to promote.")}};
        m_actionHelp->setText(help.value(m_action->currentData().toString()));
        m_dir->setEnabled(m_directory->isChecked());
        m_action->setEnabled(m_start->isChecked());
        m_problem->setText(problem());
        emit completeChanged();
    };
    connect(m_scratch, &QRadioButton::toggled, this, update);
    connect(m_start, &QCheckBox::toggled, this, update);
    connect(m_action, &QComboBox::currentIndexChanged, this, update);
    connect(m_dir, &QLineEdit::textChanged, this, update);
    connect(m_tablespaces, &QLineEdit::textChanged, this, update);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Restore into"));
        if (!d.isEmpty()) {
            m_directory->setChecked(true);
            m_dir->setText(d);
        }
    });
    update();
}

void DestinationPage::initializePage()
{
    if (m_scratchPath.isEmpty())
        m_scratchPath = app::RestoreService::scratchDir(m_wizard->source());
    m_scratch->setText(tr("A scratch &instance under the app's data folder (%1)").arg(m_scratchPath));
    m_problem->setText(problem());
}

QString DestinationPage::problem() const
{
    const QString dir = m_directory->isChecked() ? m_dir->text().trimmed() : m_scratchPath;
    if (dir.isEmpty())
        return tr("Choose the directory to restore into.");
    if (!QDir::isAbsolutePath(dir))
        return tr("Give the directory as an absolute path.");
    for (const QString &pair : m_tablespaces->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == pair.trimmed().size() - 1 || !QDir::isAbsolutePath(pair.mid(eq + 1).trimmed()))
            return tr("Write each tablespace mapping as OLD=NEW with absolute paths, separated by ';' (got '%1').").arg(pair.trimmed());
    }
    const QDir d(dir);
    if (d.exists() && !d.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
        return tr("%1 is not empty: restore into an empty or new directory.").arg(dir);
    QString existing = dir;
    while (!QFileInfo::exists(existing) && QFileInfo(existing).absolutePath() != existing)
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo disk(existing);
    const qint64 need = m_wizard->estimate ? m_wizard->estimate->restoreBytes : 0;
    if (disk.isValid() && need > 0 && disk.bytesAvailable() < need)
        return tr("%1 has %2 free, and the restore needs %3.").arg(disk.rootPath(), dataSize(disk.bytesAvailable()), dataSize(need));
    return {};
}

bool DestinationPage::isComplete() const { return problem().isEmpty(); }

bool DestinationPage::validatePage()
{
    m_wizard->targetDir = m_directory->isChecked() ? QDir::cleanPath(m_dir->text().trimmed()) : m_scratchPath;
    m_wizard->start = m_start->isChecked();
    m_wizard->target.action = m_start->isChecked() ? m_action->currentData().toString() : QString();
    m_wizard->owner = ::geteuid() == 0 ? m_owner->text().trimmed() : QString();
    m_wizard->tablespaceMap.clear();
    for (const QString &pair : m_tablespaces->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        m_wizard->tablespaceMap << qMakePair(pair.left(eq).trimmed(), pair.mid(eq + 1).trimmed());
    }
    return true;
}

// ---- 3. Summary

SummaryPage::SummaryPage(RestoreWizard *wizard) : QWizardPage(wizard), m_wizard(wizard), m_text(new QLabel(this)), m_command(new QLineEdit(this))
{
    setTitle(tr("Summary"));
    setSubTitle(tr("Nothing has been written yet."));
    m_text->setObjectName(QStringLiteral("summaryText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setObjectName(QStringLiteral("commandLine"));
    m_command->setReadOnly(true);
    m_command->setToolTip(tr("The same restore from a shell or a script"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addStretch();
    layout->addWidget(new QLabel(tr("Command line:"), this));
    layout->addWidget(m_command);
    setButtonText(QWizard::NextButton, tr("&Restore"));
}

void SummaryPage::initializePage()
{
    const app::RestoreRequest r = m_wizard->request();
    const auto &e = m_wizard->estimate;
    QStringList lines;
    lines << tr("Target: %1.").arg(r.target.describe());
    if (e) {
        lines << (r.backupId.isEmpty() ? tr("Backup: %1, the newest that ends before the target.").arg(e->backup)
                                       : tr("Backup: %1, as chosen.").arg(e->backup));
        lines << tr("To restore: %1 (about %2). WAL to replay: %3 (about %4).")
                     .arg(dataSize(e->restoreBytes), seconds(e->restoreSeconds), dataSize(e->replayWalBytes), seconds(e->replaySeconds));
        lines << tr("Recovery time objective: about %1. Basis: %2.").arg(seconds(e->totalSeconds()), e->basis);
    }
    lines << tr("Into: %1%2.").arg(r.targetDir, r.start ? tr(", then started (archive_mode off) and followed to the target") : QString());
    m_text->setText(lines.join(QLatin1Char('\n')));
    m_command->setText(app::RestoreService::restoreCommand(r));
}

QString SummaryPage::text() const { return m_text->text(); }
QString SummaryPage::commandLine() const { return m_command->text(); }

// ---- 4. Progress

ProgressPage::ProgressPage(RestoreWizard *wizard)
    : QWizardPage(wizard), m_wizard(wizard), m_bar(new QProgressBar(this)), m_status(new QLabel(this)), m_result(new QLabel(this)),
      m_conninfo(new QLineEdit(this)), m_cancel(new QPushButton(tr("&Cancel Restore"), this)), m_add(new QPushButton(tr("&Add to Servers"), this))
{
    setTitle(tr("Restoring"));
    m_status->setWordWrap(true);
    m_result->setObjectName(QStringLiteral("restoreResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_conninfo->setObjectName(QStringLiteral("restoredConninfo"));
    m_conninfo->setReadOnly(true);
    m_conninfo->hide();
    m_add->setEnabled(false);
    m_add->setToolTip(tr("Register the restored instance in the group \"Restored\""));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(m_add);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addWidget(m_result);
    layout->addWidget(m_conninfo);
    layout->addStretch();
    layout->addLayout(buttons);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_wizard->appContext().jobs().cancel(m_job);
    });
    connect(m_add, &QPushButton::clicked, this, [this] {
        auto saved = m_wizard->appContext().restores().addRestoredServer(m_wizard->request(), m_outcome);
        m_result->setText(m_result->text() + QLatin1Char('\n')
                          + (saved ? tr("Added to the servers as '%1' (group Restored).").arg(saved->name) : saved.error().message));
        m_add->setEnabled(false);
    });
    connect(&wizard->appContext().jobs(), &app::JobRunner::jobChanged, this, [this](int id) {
        if (id != m_job)
            return;
        const app::JobInfo j = m_wizard->appContext().jobs().job(id);
        showJobProgress(j, m_bar);
        m_status->setText(j.currentStep);
    });
}

void ProgressPage::initializePage()
{
    const app::RestoreRequest r = m_wizard->request();
    m_job = m_wizard->appContext().restores().restore(r, this, [this, r](const app::JobInfo &job, const app::RestoreOutcome &o) {
        m_outcome = o;
        m_finished = true;
        m_succeeded = job.state == app::JobInfo::State::Succeeded;
        m_cancel->setEnabled(false);
        setTitle(m_succeeded ? tr("Restored") : tr("Not restored"));
        m_bar->setMaximum(1000);
        m_bar->setValue(m_succeeded ? 1000 : m_bar->value());
        if (!m_succeeded) {
            m_result->setText(job.state == app::JobInfo::State::Cancelled ? tr("Cancelled: %1").arg(job.error.message)
                                                                          : tr("The restore failed: %1").arg(job.error.message));
        } else if (o.started) {
            const engine::StartResult &s = *o.started;
            m_result->setText(tr("Restored %1 in %2 and replayed %3 of WAL in %4. The server is %5 at LSN %6%7.")
                                  .arg(dataSize(o.restore.bytesWritten + o.restore.bytesReused), seconds(o.restoreSeconds),
                                       dataSize(s.replayedWalBytes), seconds(s.replaySeconds), s.state, s.reachedLsn.toString(),
                                       s.reachedTimeUs ? tr(", last transaction %1").arg(localTimestampText(*s.reachedTimeUs)) : QString()));
            m_conninfo->setText(s.conninfo);
            m_conninfo->setVisible(!s.conninfo.isEmpty());
            m_add->setEnabled(!s.conninfo.isEmpty());
        } else {
            m_result->setText(tr("Restored into %1 in %2. Start PostgreSQL on it to recover (pg_ctl -D %1 start).")
                                  .arg(o.targetDir, seconds(o.restoreSeconds)));
        }
        emit completeChanged();
        emit restoreFinished(m_succeeded);
    });
    m_status->setText(tr("Restoring into %1…").arg(r.targetDir));
}

QString ProgressPage::resultText() const { return m_result->text(); }
QString ProgressPage::conninfo() const { return m_conninfo->text(); }

} // namespace pga::gui
