#include "BackupsView.h"

#include "BackupsModel.h"
#include "ColdBackupDialog.h"
#include "DumpDialog.h"
#include "RestoreDumpDialog.h"
#include "schedule/SchedulesDialog.h"
#include "Confirm.h"
#include "Icons.h"
#include "app/AppContext.h"
#include "restore/RestoreWizard.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace pga::gui {

namespace {

QToolButton *toolButton(const QString &text, const QString &iconName, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setIcon(icon(iconName));
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setToolTip(tip);
    return b;
}

QString dataSize(qint64 b) { return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }

} // namespace

BackupsView::BackupsView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_model(new BackupsModel(this)), m_table(new QTableView(this)),
      m_command(new QLineEdit(this)), m_status(new QLabel(this)), m_retainFull(new QSpinBox(this)),
      m_retainDays(new QSpinBox(this)),
      m_backup(toolButton(tr("Back Up &Now"), QStringLiteral("add"),
                          tr("Take a full base backup over the replication protocol into the repository, as a job "
                             "(progress and Cancel in the Jobs panel)"), this)),
      m_verify(toolButton(tr("&Verify"), QStringLiteral("test-connection"),
                          tr("Read back every chunk of the selected backup (or all) and check the WAL it needs"), this)),
      m_expire(toolButton(tr("&Expire…"), QStringLiteral("remove"),
                          tr("Remove backups beyond the retention below, then the WAL and chunks nothing needs; "
                             "shows what would go first"), this))
{
    setObjectName(QStringLiteral("backupsView"));
    auto *proxy = new QSortFilterProxyModel(this);
    m_proxy = proxy;
    proxy->setSourceModel(m_model);
    proxy->setSortRole(BackupsModel::SortRole);
    proxy->setFilterRole(BackupsModel::KindRole);
    proxy->setFilterKeyColumn(BackupsModel::IdColumn);
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(BackupsModel::StartColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Backups"));

    m_retainFull->setRange(1, 1000);
    m_retainFull->setValue(2);
    m_retainFull->setToolTip(tr("Keep this many newest backups (--retain-full)"));
    m_retainDays->setRange(0, 3650);
    m_retainDays->setSpecialValueText(tr("off"));
    m_retainDays->setSuffix(tr(" days"));
    m_retainDays->setToolTip(tr("Also keep what is needed to recover to any moment of the last N days (--retain-days)"));
    m_command->setReadOnly(true);
    m_command->setObjectName(QStringLiteral("commandLine"));
    m_command->setToolTip(tr("The same action from a shell or a schedule"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_backup);
    tools->addWidget(m_verify);
    tools->addWidget(m_expire);
    m_restore = toolButton(tr("&Restore…"), QStringLiteral("restore"),
                           tr("Restore the selected backup, or recover to any moment, into a new directory (a wizard)"), this);
    m_restore->setObjectName(QStringLiteral("restoreButton"));
    tools->addWidget(m_restore);
    m_schedules = toolButton(tr("&Schedules…"), QStringLiteral("schedule"),
                             tr("Back up, verify, expire and test-restore this server on a schedule"), this);
    m_schedules->setObjectName(QStringLiteral("schedulesButton"));
    auto *drillButton = toolButton(tr("&Drill"), QStringLiteral("test-connection"),
                                   tr("Test-restore the selected backup (or the newest): restore into a scratch directory, start it, "
                                      "replay, check with pg_amcheck, count rows, remove it"), this);
    drillButton->setObjectName(QStringLiteral("drillButton"));
    connect(drillButton, &QToolButton::clicked, this, &BackupsView::drill);
    tools->addWidget(drillButton);
    m_dump = toolButton(tr("D&ump…"), QStringLiteral("add"),
                        tr("Dump databases with pg_dump (the version matched to the server) into the repository, with the roles"), this);
    m_dump->setObjectName(QStringLiteral("dumpButton"));
    m_restoreDump = toolButton(tr("Restore Dum&p…"), QStringLiteral("restore"),
                               tr("Restore the selected dump, or parts of it, into a database of any server"), this);
    m_restoreDump->setObjectName(QStringLiteral("restoreDumpButton"));
    m_cold = toolButton(tr("&Cold Backup…"), QStringLiteral("add"),
                        tr("Copy the files of this cluster while it is stopped (local clusters only)"), this);
    m_cold->setObjectName(QStringLiteral("coldBackupButton"));
    // Logical dumps and cold backups on a second row: one row of nine buttons does not fit a laptop screen.
    auto *tools2 = new QHBoxLayout;
    tools2->addWidget(m_dump);
    tools2->addWidget(m_restoreDump);
    tools2->addWidget(m_cold);
    tools->addWidget(m_schedules);
    tools->addSpacing(12);
    tools->addWidget(new QLabel(tr("Keep:")));
    tools->addWidget(m_retainFull);
    tools->addWidget(new QLabel(tr("backups and")));
    tools->addWidget(m_retainDays);
    tools->addStretch();
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kindFilter"));
    m_kind->addItem(tr("All kinds"), QString());
    m_kind->addItem(tr("Base backups"), QStringLiteral("base"));
    m_kind->addItem(tr("Cold backups"), QStringLiteral("cold"));
    m_kind->addItem(tr("Dumps"), QStringLiteral("dump"));
    m_kind->setToolTip(tr("Show one kind of backup only"));
    tools2->addStretch();
    tools2->addWidget(new QLabel(tr("Show:")));
    tools2->addWidget(m_kind);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QString k = m_kind->currentData().toString();
        m_proxy->setFilterRegularExpression(k.isEmpty() ? QString() : QStringLiteral("^%1$").arg(k));
        updateActions();
    });
    auto *cmd = new QFormLayout;
    cmd->addRow(tr("Command line:"), m_command);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addLayout(tools2);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addLayout(cmd);

    connect(m_backup, &QToolButton::clicked, this, &BackupsView::backUpNow);
    connect(m_verify, &QToolButton::clicked, this, &BackupsView::verify);
    connect(m_expire, &QToolButton::clicked, this, &BackupsView::expire);
    connect(m_restore, &QToolButton::clicked, this, [this] { openRestoreWizard(); });
    connect(m_schedules, &QToolButton::clicked, this, [this] { openSchedules(); });
    connect(m_dump, &QToolButton::clicked, this, [this] { openDump(); });
    connect(m_restoreDump, &QToolButton::clicked, this, [this] { openRestoreDump(); });
    connect(m_cold, &QToolButton::clicked, this, [this] { openColdBackup(); });
    // A dump opens its own restore; a backup the wizard.
    connect(m_table, &QTableView::doubleClicked, this, [this] {
        if (selectedKind() == QLatin1String("dump"))
            openRestoreDump();
        else
            openRestoreWizard();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] { updateActions(); });
    // The same from the table's context menu.
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *restoreAction = new QAction(icon(QStringLiteral("restore")), tr("Restore This Backup…"), m_table);
    auto *verifyAction = new QAction(icon(QStringLiteral("test-connection")), tr("Verify This Backup"), m_table);
    auto *drillAction = new QAction(icon(QStringLiteral("restore")), tr("Test-Restore This Backup (Drill)"), m_table);
    drillAction->setObjectName(QStringLiteral("drillAction"));
    drillAction->setToolTip(tr("Restore it into a scratch directory, start it, replay the WAL, check it with pg_amcheck, count rows, "
                               "remove it; the timings feed the RTO estimate"));
    m_table->addAction(restoreAction);
    m_table->addAction(verifyAction);
    m_table->addAction(drillAction);
    connect(drillAction, &QAction::triggered, this, &BackupsView::drill);
    connect(restoreAction, &QAction::triggered, this, [this] { openRestoreWizard(); });
    connect(verifyAction, &QAction::triggered, this, &BackupsView::verify);
    auto *restoreDumpAction = new QAction(icon(QStringLiteral("restore")), tr("Restore This Dump…"), m_table);
    restoreDumpAction->setObjectName(QStringLiteral("restoreDumpAction"));
    m_table->addAction(restoreDumpAction);
    connect(restoreDumpAction, &QAction::triggered, this, [this] { openRestoreDump(); });
    setServer(0);
}

bool BackupsView::currentEntry(app::ServerEntry *out)
{
    auto e = m_serverId ? m_app.registry().server(m_serverId) : Result<app::ServerEntry>(Error());
    if (!m_serverId || !e)
        return false;
    if (e->repoDir.isEmpty()) {
        setStatus(tr("This server has no repository yet: set one in Server → Edit Server."));
        return false;
    }
    *out = *e;
    return true;
}

void BackupsView::setServer(qint64 id)
{
    m_serverId = id;
    m_model->setBackups({});
    m_command->clear();
    m_status->clear();
    app::ServerEntry e;
    const bool have = currentEntry(&e);
    for (QWidget *w : {static_cast<QWidget *>(m_backup), static_cast<QWidget *>(m_verify), static_cast<QWidget *>(m_expire),
                       static_cast<QWidget *>(m_restore), static_cast<QWidget *>(m_dump)})
        w->setEnabled(have);
    // Cold backups copy files: only for a cluster on this machine.
    m_cold->setVisible(have && app::DumpService::isLocal(e));
    m_haveRepository = have;
    updateActions();
    if (have)
        refresh();
}

void BackupsView::setRetention(int retainFull, int retainDays)
{
    m_retainFull->setValue(retainFull);
    m_retainDays->setValue(retainDays);
}

QString BackupsView::commandLine() const { return m_command->text(); }
QString BackupsView::statusText() const { return m_status->text(); }
void BackupsView::showCommand(const QString &command) { m_command->setText(command); }
void BackupsView::setStatus(const QString &text) { m_status->setText(text); }

QString BackupsView::selectedKind() const
{
    const QModelIndex i = m_table->currentIndex();
    return i.isValid() ? i.data(BackupsModel::KindRole).toString() : QString();
}

void BackupsView::updateActions()
{
    const bool dump = selectedKind() == QLatin1String("dump");
    m_restoreDump->setEnabled(m_haveRepository && dump);
    m_restoreDump->setToolTip(dump ? tr("Restore the selected dump, or parts of it, into a database of any server")
                                   : tr("Select a dump in the list first (Kind: dump)"));
    m_restore->setEnabled(m_haveRepository && !dump);
    for (QAction *a : m_table->actions()) {
        if (a->objectName() == QLatin1String("restoreDumpAction"))
            a->setVisible(dump);
        else if (a->objectName() == QLatin1String("drillAction") || a->text() == tr("Restore This Backup…"))
            a->setVisible(!dump);
    }
}

void BackupsView::setKindFilter(const QString &kind)
{
    const int i = m_kind->findData(kind);
    if (i >= 0)
        m_kind->setCurrentIndex(i);
}

DumpDialog *BackupsView::openDump()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return nullptr;
    auto *d = new DumpDialog(m_app, e, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &DumpDialog::dumpStarted, this, [this, d, e] {
        const engine::DumpOptions o = d->options();
        showCommand(app::DumpService::dumpCommand(o));
        setStatus(tr("Dumping… (progress and Cancel in the Jobs panel)"));
        m_app.dumps().dump(e, o, this, [this](const app::JobInfo &info, const repo::DumpManifest &m) {
            const bool ok = info.state == app::JobInfo::State::Succeeded;
            if (ok)
                setStatus(tr("Dump %1 done: %n database(s), %2 stored.", nullptr, int(m.databases.size())).arg(m.id, dataSize(m.storedBytes())));
            else
                setStatus(info.state == app::JobInfo::State::Cancelled ? tr("Dump cancelled; nothing of it is in the repository.")
                                                                       : tr("Dump failed: %1").arg(info.error.toString()));
            refresh();
            emit actionFinished(QStringLiteral("dump"), ok);
        });
    });
    d->open();
    return d;
}

RestoreDumpDialog *BackupsView::openRestoreDump()
{
    app::ServerEntry e;
    if (!currentEntry(&e) || selectedKind() != QLatin1String("dump"))
        return nullptr;
    auto *d = new RestoreDumpDialog(m_app, e, selectedBackup(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setWindowModality(Qt::NonModal);
    d->show();
    return d;
}

ColdBackupDialog *BackupsView::openColdBackup()
{
    app::ServerEntry e;
    if (!currentEntry(&e) || !app::DumpService::isLocal(e))
        return nullptr;
    auto *d = new ColdBackupDialog(e, e.sandbox ? app::DumpService::sandboxDataDir() : QString(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QDialog::accepted, this, [this, d, e] {
        const engine::ColdBackupOptions o = d->options();
        showCommand(d->commandLine());
        setStatus(tr("Cold backup running… (progress and Cancel in the Jobs panel)"));
        m_app.dumps().coldBackup(e, o, this, [this](const app::JobInfo &info, const repo::BackupManifest &m) {
            const bool ok = info.state == app::JobInfo::State::Succeeded;
            setStatus(ok ? tr("Cold backup %1 done: %2 of files, %3 newly stored.").arg(m.id, dataSize(m.logicalBytes), dataSize(m.newBytes))
                         : tr("Cold backup failed: %1").arg(info.error.toString()));
            refresh();
            emit actionFinished(QStringLiteral("cold-backup"), ok);
        });
    });
    d->open();
    return d;
}

QString BackupsView::selectedBackup() const
{
    const QModelIndex i = m_table->currentIndex();
    return i.isValid() ? i.data(BackupsModel::BackupIdRole).toString() : QString();
}

void BackupsView::refresh()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    const quint64 request = ++m_request;
    m_app.backups().readCatalog(e, this, [this, request](const app::BackupService::Catalog &r) {
        if (request != m_request)
            return;  // stale
        if (r && !r->isEmpty())
            m_model->setBackups(r->first().backupList + r->first().dumpList);
        else
            m_model->setBackups({});
        if (!r && r.error().code != Error::Code::NotFound)
            setStatus(r.error().toString());
        emit catalogShown();
    });
}

void BackupsView::backUpNow()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    showCommand(app::BackupService::backupCommand(e));
    m_backup->setEnabled(false);
    setStatus(tr("Backing up… (progress and Cancel in the Jobs panel)"));
    m_app.backups().backUp(e, this, [this](const app::JobInfo &info, const repo::BackupManifest &manifest) {
        m_backup->setEnabled(true);
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        if (ok)
            setStatus(tr("Backup %1 done: %2 of data, %3 newly stored.")
                          .arg(manifest.id, dataSize(manifest.logicalBytes), dataSize(manifest.newBytes)));
        else
            setStatus(info.state == app::JobInfo::State::Cancelled ? tr("Backup cancelled; nothing of it is visible in the repository.")
                                                                   : tr("Backup failed: %1").arg(info.error.toString()));
        refresh();
        emit actionFinished(QStringLiteral("backup"), ok);
    });
}

RestoreWizard *BackupsView::openRestoreWizard()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return nullptr;
    auto *wizard = new RestoreWizard(m_app, e.id, selectedBackup(), this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setWindowModality(Qt::NonModal);
    wizard->show();
    return wizard;
}

SchedulesDialog *BackupsView::openSchedules()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return nullptr;
    auto *d = new SchedulesDialog(m_app, e, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
    return d;
}

void BackupsView::drill()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    const QString backupId = selectedBackup();
    showCommand(app::BackupService::drillCommand(e, backupId));
    setStatus(tr("Drill running: restore, replay, pg_amcheck, row counts (see the Jobs panel)."));
    m_app.backups().drill(e, backupId, this, [this](const app::JobInfo &info, const engine::DrillResult &r) {
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        if (ok)
            setStatus(engine::drillSummary(r));
        else if (!r.outcome.isEmpty())
            setStatus(engine::drillSummary(r) + (r.keptLog.isEmpty() ? QString() : tr(" The copy's server log: %1").arg(r.keptLog)));
        else
            setStatus(tr("The drill did not run: %1").arg(info.error.toString()));
        emit actionFinished(QStringLiteral("drill"), ok);
    });
}

void BackupsView::verify()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    const QString backupId = selectedBackup();
    showCommand(app::BackupService::verifyCommand(e, backupId));
    m_app.backups().verify(e, backupId, this, [this](const app::JobInfo &info, const QList<engine::BackupCheck> &checks) {
        QStringList bad;
        for (const engine::BackupCheck &c : checks)
            if (!c.ok())
                bad << QStringLiteral("%1: %2").arg(c.id, c.problems.join(QStringLiteral("; ")));
        const bool ok = info.state == app::JobInfo::State::Succeeded && bad.isEmpty();
        if (!bad.isEmpty())  // the job fails too, so a scheduled verify that finds damage is a failed run
            setStatus(tr("Problems found: %1").arg(bad.join(QLatin1Char('\n'))));
        else if (info.state != app::JobInfo::State::Succeeded)
            setStatus(tr("Verify did not finish: %1").arg(info.error.toString()));
        else
            setStatus(tr("Verified %n backup(s): every chunk and the WAL they need are intact.", nullptr, int(checks.size())));
        emit actionFinished(QStringLiteral("verify"), ok);
    });
}

void BackupsView::expire()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    // First a dry run, as a job; then the DBA reads what would go and confirms; then the real run.
    const engine::ExpireOptions dry = app::BackupService::expireOptions(e, m_retainFull->value(), m_retainDays->value(), true);
    showCommand(app::BackupService::expireCommand(dry));
    m_app.backups().expire(e, dry, this, [this, e](const app::JobInfo &info, const engine::ExpireResult &preview) {
        if (info.state != app::JobInfo::State::Succeeded) {
            setStatus(tr("Expire preview failed: %1").arg(info.error.toString()));
            emit actionFinished(QStringLiteral("expire"), false);
            return;
        }
        if (preview.backups.isEmpty() && preview.walFiles.isEmpty() && preview.chunks == 0) {
            setStatus(tr("Nothing to expire: every backup is within the retention."));
            emit actionFinished(QStringLiteral("expire"), true);
            return;
        }
        const QString text =
            tr("Expire on %1 would remove:\n\nbackups: %2\nWAL files: %3 (%4)\nchunks no backup needs: %5 (%6)\n\n"
               "It keeps: %7\n\nRemove them now?")
                .arg(e.name, preview.backups.isEmpty() ? tr("none") : preview.backups.join(QStringLiteral(", ")))
                .arg(preview.walFiles.size())
                .arg(dataSize(preview.walBytes))
                .arg(preview.chunks)
                .arg(dataSize(preview.chunkBytes))
                .arg(preview.keptBackups.join(QStringLiteral(", ")));
        ask(this, tr("Expire Backups"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel, [this, e](QMessageBox::StandardButton b) {
            if (b != QMessageBox::Yes) {
                emit actionFinished(QStringLiteral("expire"), false);
                return;
            }
            const engine::ExpireOptions o = app::BackupService::expireOptions(e, m_retainFull->value(), m_retainDays->value(), false);
            showCommand(app::BackupService::expireCommand(o));
            m_app.backups().expire(e, o, this, [this](const app::JobInfo &info, const engine::ExpireResult &result) {
                const bool ok = info.state == app::JobInfo::State::Succeeded;
                setStatus(ok ? tr("Expired %n backup(s); %1 freed.", nullptr, int(result.backups.size())).arg(dataSize(result.walBytes + result.chunkBytes))
                             : tr("Expire failed: %1").arg(info.error.toString()));
                refresh();
                emit actionFinished(QStringLiteral("expire"), ok);
            });
        });
    });
}

} // namespace pga::gui
