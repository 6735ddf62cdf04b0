#include "RestoreWizard.h"

#include "RecoveryTimelineModel.h"
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

namespace {

QString dataSize(qint64 b) { return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }
QString seconds(double s) { return s < 90 ? RestoreWizard::tr("%1 s").arg(s, 0, 'f', 1) : RestoreWizard::tr("%1 min").arg(s / 60, 0, 'f', 1); }

} // namespace

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

// ---- 1. Target

TargetPage::TargetPage(RestoreWizard *wizard)
    : QWizardPage(wizard), m_wizard(wizard), m_timeline(new RecoveryTimelineWidget(wizard->timelineModel(), this)), m_kind(new QComboBox(this)),
      m_time(new QLineEdit(this)), m_points(new QComboBox(this)), m_xid(new QLineEdit(this)), m_lsn(new QLineEdit(this)),
      m_exclusive(new QCheckBox(tr("Stop just &before the target (exclusive)"), this)), m_timelineChoice(new QComboBox(this)),
      m_verdict(new QLabel(this)), m_debounce(new QTimer(this))
{
    setTitle(tr("Recover to which moment?"));
    setSubTitle(tr("Pick a moment on the timeline, or name the target exactly. The archive is checked as you choose."));
    m_kind->setObjectName(QStringLiteral("targetKind"));
    m_kind->addItem(tr("The end of the archived WAL"), int(Kind::EndOfWal));
    m_kind->addItem(tr("A moment in time"), int(Kind::Time));
    m_kind->addItem(tr("A restore point"), int(Kind::Name));
    m_kind->addItem(tr("A transaction (xid)"), int(Kind::Xid));
    m_kind->addItem(tr("A WAL position (LSN)"), int(Kind::Lsn));
    m_kind->addItem(tr("The earliest consistent moment (end of the backup)"), int(Kind::Immediate));
    m_time->setObjectName(QStringLiteral("targetTime"));
    m_time->setPlaceholderText(QStringLiteral("2026-12-01 09:21:13.253117+01:00"));
    m_time->setToolTip(tr("With its zone, as psql prints it; microseconds are kept. Without a zone: %1.")
                           .arg(QString::fromUtf8(QTimeZone::systemTimeZoneId())));
    m_points->setObjectName(QStringLiteral("targetRestorePoint"));
    m_xid->setObjectName(QStringLiteral("targetXid"));
    m_xid->setPlaceholderText(tr("e.g. 4711, or pg_current_xact_id() with its epoch"));
    m_lsn->setObjectName(QStringLiteral("targetLsn"));
    m_lsn->setPlaceholderText(QStringLiteral("0/3000060"));
    m_timelineChoice->setObjectName(QStringLiteral("targetTimeline"));
    m_timelineChoice->addItem(tr("latest (follow timeline switches)"), QStringLiteral("latest"));
    m_timelineChoice->addItem(tr("current (the backup's timeline)"), QStringLiteral("current"));
    m_verdict->setObjectName(QStringLiteral("targetVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto *form = new QFormLayout;
    form->addRow(tr("Recover &to:"), m_kind);
    form->addRow(tr("T&ime:"), m_time);
    form->addRow(tr("&Restore point:"), m_points);
    form->addRow(tr("Tr&ansaction:"), m_xid);
    form->addRow(tr("&LSN:"), m_lsn);
    form->addRow(QString(), m_exclusive);
    form->addRow(tr("Time&line:"), m_timelineChoice);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_timeline);
    layout->addLayout(form);
    layout->addWidget(m_verdict);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_points, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_timelineChoice, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_exclusive, &QCheckBox::toggled, this, &TargetPage::changed);
    for (QLineEdit *e : {m_time, m_xid, m_lsn})
        connect(e, &QLineEdit::textEdited, this, &TargetPage::changed);
    connect(m_debounce, &QTimer::timeout, this, &TargetPage::check);
    connect(m_timeline, &RecoveryTimelineWidget::momentPicked, this, [this](qint64 us, quint32) { presetTime(us); });
    load();
    changed();
}

void TargetPage::presetTime(qint64 us)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Time)));
    m_time->setText(localTimestampText(us));
    changed();
}

void TargetPage::presetXid(quint32 xid, bool exclusive)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Xid)));
    m_xid->setText(QString::number(xid));
    m_exclusive->setChecked(exclusive);
    changed();
}

void TargetPage::presetLsn(const QString &lsn, bool exclusive)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Lsn)));
    m_lsn->setText(lsn);
    m_exclusive->setChecked(exclusive);
    changed();
}

void RestoreWizard::presetLsn(const QString &lsn, bool exclusive)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetLsn(lsn, exclusive);
}

void RestoreWizard::presetXid(quint32 xid, bool exclusive)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetXid(xid, exclusive);
}

void RestoreWizard::presetTime(qint64 us)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetTime(us);
}

void TargetPage::load()
{
    const app::ServerEntry &e = m_wizard->source();
    if (e.repoDir.isEmpty())
        return;
    auto summary = std::make_shared<std::optional<engine::ServerArchiveSummary>>();
    auto points = std::make_shared<QList<engine::ArchivedRestorePoint>>();
    auto both = std::make_shared<int>(0);
    auto show = [this, summary, points, both] {
        if (++*both < 2)
            return;
        if (*summary)
            m_wizard->timelineModel()->setArchive(**summary, *points);
        for (quint32 tl : m_wizard->timelineModel()->timelines())
            if (m_timelineChoice->findData(QString::number(tl)) < 0)
                m_timelineChoice->addItem(tr("timeline %1").arg(tl), QString::number(tl));
    };
    m_wizard->appContext().backups().readCatalog(e, this, [summary, show](const app::BackupService::Catalog &c) {
        if (c && !c->isEmpty())
            *summary = c->first();
        show();
    });
    m_wizard->appContext().restores().readRestorePoints(e, this, [this, points, show](const Result<QList<engine::ArchivedRestorePoint>> &r) {
        if (r) {
            *points = *r;
            for (const engine::ArchivedRestorePoint &p : *r)
                m_points->addItem(QStringLiteral("%1 — %2 (timeline %3)").arg(p.point.name, localTimestampText(p.point.timeUs)).arg(p.timeline),
                                  p.point.name);
        }
        show();
    });
}

void TargetPage::changed()
{
    const auto kind = Kind(m_kind->currentData().toInt());
    m_time->setEnabled(kind == Kind::Time);
    m_points->setEnabled(kind == Kind::Name);
    m_xid->setEnabled(kind == Kind::Xid);
    m_lsn->setEnabled(kind == Kind::Lsn);
    m_exclusive->setEnabled(kind == Kind::Time || kind == Kind::Xid || kind == Kind::Lsn || kind == Kind::Name);
    m_ok = false;
    ++m_request;  // a check under way is for the old choice
    m_verdict->setText(tr("Checking the archive…"));
    emit completeChanged();
    m_debounce->start();
}

void TargetPage::check()
{
    engine::RecoveryTarget t;
    t.kind = Kind(m_kind->currentData().toInt());
    t.exclusive = m_exclusive->isEnabled() && m_exclusive->isChecked();
    t.timeline = m_timelineChoice->currentData().toString();
    QString bad;
    switch (t.kind) {
    case Kind::Time:
        t.time = engine::RecoveryTarget::parseTime(m_time->text(), &t.timeMicros);
        if (!t.time.isValid())
            bad = tr("Type a time with its zone, like %1.").arg(localTimestampText(QDateTime::currentMSecsSinceEpoch() * 1000));
        break;
    case Kind::Name:
        t.text = m_points->currentData().toString();
        if (t.text.isEmpty())
            bad = tr("The archive has no restore point; make one with SELECT pg_create_restore_point('name').");
        break;
    case Kind::Xid:
        t.text = m_xid->text().trimmed();
        if (!engine::parseTargetXid(t.text))
            bad = tr("Type a transaction ID (a number of 3 or more).");
        break;
    case Kind::Lsn:
        if (auto l = Lsn::parse(m_lsn->text().trimmed()))
            t.lsn = *l;
        else
            bad = tr("Type an LSN like 0/3000060.");
        break;
    default:
        break;
    }
    if (!bad.isEmpty()) {
        m_verdict->setText(bad);
        emit verdictChanged();
        return;
    }
    m_wizard->target = t;
    const quint64 request = ++m_request;
    m_wizard->appContext().restores().estimate(m_wizard->request(), this, [this, request](const app::JobInfo &job, const engine::RtoEstimate &e) {
        if (request != m_request)
            return;  // the choice changed meanwhile
        m_ok = job.state == app::JobInfo::State::Succeeded;
        if (m_ok) {
            m_wizard->estimate = e;
            m_verdict->setText(tr("Reachable: from backup %1, %2 to restore and %3 of WAL to replay, about %4.")
                                   .arg(e.backup, dataSize(e.restoreBytes), dataSize(e.replayWalBytes), seconds(e.totalSeconds())));
        } else {
            m_wizard->estimate.reset();
            m_verdict->setText(tr("Cannot recover to this target: %1").arg(job.error.message));
        }
        emit completeChanged();
        emit verdictChanged();
    });
}

bool TargetPage::isComplete() const { return m_ok; }
QString TargetPage::verdict() const { return m_verdict->text(); }

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
        m_bar->setMaximum(j.total > 0 ? 1000 : 0);
        m_bar->setValue(j.total > 0 ? int(1000 * j.done / j.total) : 0);
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
