#include "BackupsView.h"

#include "BackupsModel.h"
#include "Confirm.h"
#include "Icons.h"
#include "app/AppContext.h"
#include "engine/ArchivingSetup.h"
#include "engine/BaseBackup.h"
#include "engine/Expire.h"
#include "engine/Verify.h"
#include "repo/Repository.h"
#include "servers/ArchiveStatusWidget.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

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
    proxy->setSourceModel(m_model);
    proxy->setSortRole(BackupsModel::SortRole);
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
    tools->addSpacing(12);
    tools->addWidget(new QLabel(tr("Keep:")));
    tools->addWidget(m_retainFull);
    tools->addWidget(new QLabel(tr("backups and")));
    tools->addWidget(m_retainDays);
    tools->addStretch();
    auto *cmd = new QFormLayout;
    cmd->addRow(tr("Command line:"), m_command);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addLayout(cmd);

    connect(m_backup, &QToolButton::clicked, this, &BackupsView::backUpNow);
    connect(m_verify, &QToolButton::clicked, this, &BackupsView::verify);
    connect(m_expire, &QToolButton::clicked, this, &BackupsView::expire);
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
    for (QWidget *w : {static_cast<QWidget *>(m_backup), static_cast<QWidget *>(m_verify), static_cast<QWidget *>(m_expire)})
        w->setEnabled(have);
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
    auto *watcher = new QFutureWatcher<Result<QList<engine::ServerArchiveSummary>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != m_request)
            return;  // stale
        const auto r = watcher->result();
        if (r && !r->isEmpty())
            m_model->setBackups(r->first().backupList);
        else
            m_model->setBackups({});
        if (!r && r.error().code != Error::Code::NotFound)
            setStatus(r.error().toString());
        emit catalogShown();
    });
    watcher->setFuture(QtConcurrent::run([dir = e.repoDir, name = ArchiveStatusWidget::repoServerName(e)] {
        return engine::archiveSummary(dir, name);
    }));
}

void BackupsView::backUpNow()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    const QString server = ArchiveStatusWidget::repoServerName(e);
    showCommand(QStringLiteral("pgarchivist-cli backup --repo %1 --server %2 --conninfo %3")
                    .arg(engine::shellQuote(e.repoDir), engine::shellQuote(server), engine::shellQuote(e.conninfo)));
    m_backup->setEnabled(false);
    setStatus(tr("Backing up… (progress and Cancel in the Jobs panel)"));
    m_app.secrets().readPassword(e.secretKey, this, [this, e, server](Result<QString> pw) {
        engine::BaseBackupOptions o;
        o.repoDir = e.repoDir;
        o.server = server;
        o.conninfo = e.conninfo;
        o.password = pw.valueOr(QString());
        auto manifest = std::make_shared<repo::BackupManifest>();
        m_app.jobs().start(
            {QStringLiteral("backup"), tr("Back up %1").arg(e.name), e.id},
            [o, manifest](app::JobContext &ctx) -> Status {
                if (Status s = engine::ensureRepository(o.repoDir, ctx); !s)
                    return s;
                auto r = engine::BaseBackup(o).run(ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *manifest = *r;
                return {};
            },
            this, [this, manifest](const app::JobInfo &info) {
                m_backup->setEnabled(true);
                const bool ok = info.state == app::JobInfo::State::Succeeded;
                if (ok)
                    setStatus(tr("Backup %1 done: %2 of data, %3 newly stored.")
                                  .arg(manifest->id, dataSize(manifest->logicalBytes), dataSize(manifest->newBytes)));
                else
                    setStatus(info.state == app::JobInfo::State::Cancelled
                                  ? tr("Backup cancelled; nothing of it is visible in the repository.")
                                  : tr("Backup failed: %1").arg(info.error.toString()));
                refresh();
                emit actionFinished(QStringLiteral("backup"), ok);
            });
    });
}

void BackupsView::verify()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    engine::VerifyOptions o;
    o.repoDir = e.repoDir;
    o.server = ArchiveStatusWidget::repoServerName(e);
    o.backupId = selectedBackup();
    showCommand(QStringLiteral("pgarchivist-cli verify --repo %1 --server %2%3")
                    .arg(engine::shellQuote(o.repoDir), engine::shellQuote(o.server),
                         o.backupId.isEmpty() ? QString() : QStringLiteral(" --backup ") + o.backupId));
    auto checks = std::make_shared<QList<engine::BackupCheck>>();
    m_app.jobs().start(
        {QStringLiteral("verify"), o.backupId.isEmpty() ? tr("Verify backups of %1").arg(e.name)
                                                        : tr("Verify backup %1").arg(o.backupId), e.id},
        [o, checks](app::JobContext &ctx) -> Status {
            auto r = engine::Verify(o).run(ctx, ctx.cancelToken());
            if (!r)
                return r.error();
            *checks = *r;
            for (const engine::BackupCheck &c : std::as_const(*checks))
                for (const QString &p : c.problems)
                    ctx.log(ProgressSink::Level::Error, c.id + QStringLiteral(": ") + p);
            return {};
        },
        this, [this, checks](const app::JobInfo &info) {
            QStringList bad;
            for (const engine::BackupCheck &c : std::as_const(*checks))
                if (!c.ok())
                    bad << QStringLiteral("%1: %2").arg(c.id, c.problems.join(QStringLiteral("; ")));
            const bool ok = info.state == app::JobInfo::State::Succeeded && bad.isEmpty();
            if (info.state != app::JobInfo::State::Succeeded)
                setStatus(tr("Verify did not finish: %1").arg(info.error.toString()));
            else if (bad.isEmpty())
                setStatus(tr("Verified %n backup(s): every chunk and the WAL they need are intact.", nullptr,
                             int(checks->size())));
            else
                setStatus(tr("Problems found: %1").arg(bad.join(QLatin1Char('\n'))));
            emit actionFinished(QStringLiteral("verify"), ok);
        });
}

void BackupsView::expire()
{
    app::ServerEntry e;
    if (!currentEntry(&e))
        return;
    engine::ExpireOptions o;
    o.repoDir = e.repoDir;
    o.server = ArchiveStatusWidget::repoServerName(e);
    o.retainFull = m_retainFull->value();
    o.retainDays = m_retainDays->value() > 0 ? m_retainDays->value() : -1;
    const QString command = QStringLiteral("pgarchivist-cli expire --repo %1 --server %2 --retain-full %3%4")
                                .arg(engine::shellQuote(o.repoDir), engine::shellQuote(o.server))
                                .arg(o.retainFull)
                                .arg(o.retainDays > 0 ? QStringLiteral(" --retain-days %1").arg(o.retainDays) : QString());
    showCommand(command + QStringLiteral(" --dry-run"));
    // First a dry run, as a job; then the DBA reads what would go and confirms; then the real run.
    auto preview = std::make_shared<engine::ExpireResult>();
    engine::ExpireOptions dry = o;
    dry.dryRun = true;
    m_app.jobs().start(
        {QStringLiteral("expire-preview"), tr("Expire preview for %1").arg(e.name), e.id, false},
        [dry, preview](app::JobContext &ctx) -> Status {
            auto r = engine::Expire(dry).run(ctx, ctx.cancelToken());
            if (!r)
                return r.error();
            *preview = *r;
            return {};
        },
        this, [this, o, preview, command, name = e.name, id = e.id](const app::JobInfo &info) {
            if (info.state != app::JobInfo::State::Succeeded) {
                setStatus(tr("Expire preview failed: %1").arg(info.error.toString()));
                emit actionFinished(QStringLiteral("expire"), false);
                return;
            }
            if (preview->backups.isEmpty() && preview->walFiles.isEmpty() && preview->chunks == 0) {
                setStatus(tr("Nothing to expire: every backup is within the retention."));
                emit actionFinished(QStringLiteral("expire"), true);
                return;
            }
            const QString text =
                tr("Expire on %1 would remove:\n\nbackups: %2\nWAL files: %3 (%4)\nchunks no backup needs: %5 (%6)\n\n"
                   "It keeps: %7\n\nRemove them now?")
                    .arg(name, preview->backups.isEmpty() ? tr("none") : preview->backups.join(QStringLiteral(", ")))
                    .arg(preview->walFiles.size())
                    .arg(dataSize(preview->walBytes))
                    .arg(preview->chunks)
                    .arg(dataSize(preview->chunkBytes))
                    .arg(preview->keptBackups.join(QStringLiteral(", ")));
            ask(this, tr("Expire Backups"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
                [this, o, command, name, id](QMessageBox::StandardButton b) {
                    if (b != QMessageBox::Yes) {
                        emit actionFinished(QStringLiteral("expire"), false);
                        return;
                    }
                    showCommand(command);
                    auto result = std::make_shared<engine::ExpireResult>();
                    m_app.jobs().start(
                        {QStringLiteral("expire"), tr("Expire backups of %1").arg(name), id},
                        [o, result](app::JobContext &ctx) -> Status {
                            auto r = engine::Expire(o).run(ctx, ctx.cancelToken());
                            if (!r)
                                return r.error();
                            *result = *r;
                            return {};
                        },
                        this, [this, result](const app::JobInfo &info) {
                            const bool ok = info.state == app::JobInfo::State::Succeeded;
                            setStatus(ok ? tr("Expired %n backup(s); %1 freed.", nullptr, int(result->backups.size()))
                                               .arg(dataSize(result->walBytes + result->chunkBytes))
                                         : tr("Expire failed: %1").arg(info.error.toString()));
                            refresh();
                            emit actionFinished(QStringLiteral("expire"), ok);
                        });
                });
        });
}

} // namespace pga::gui
