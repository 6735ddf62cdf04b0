#include "MainWindow.h"
#include "standby/PromoteDialog.h"
#include "standby/StandbyWizard.h"
#include "standby/SwitchBackDialog.h"

#include "schedule/ScheduleNotifier.h"

#include "Confirm.h"
#include "Icons.h"
#include "app/AppContext.h"
#include "app/ConnectionTest.h"
#include "app/ServerImport.h"
#include "jobs/JobsPanel.h"
#include "servers/ServerDialog.h"
#include "servers/ServerTreeModel.h"
#include "servers/ServerView.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace pga::gui {

MainWindow::MainWindow(app::AppContext &app, Options options, QWidget *parent)
    : QMainWindow(parent), m_app(app), m_options(std::move(options)),
      m_serverModel(new ServerTreeModel(&app.registry(), &app.status(), &app.audits(), this)), m_tree(new QTreeView),
      m_view(new ServerView(app)), m_jobs(new JobsPanel(&app.jobs())), m_jobsDock(new QDockWidget(tr("Jobs"), this)),
      m_noticeBar(new QWidget), m_notice(new QLabel)
{
    setWindowTitle(tr("pgArchivist"));
    setWindowIcon(appIcon());
    resize(1100, 700);

    m_tree->setObjectName(QStringLiteral("serverTree"));
    m_tree->setModel(m_serverModel);
    m_tree->setAccessibleName(tr("Servers"));
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(ServerTreeModel::NameColumn, QHeaderView::ResizeToContents);
    m_tree->expandAll();
    connect(m_serverModel, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);

    m_notice->setWordWrap(true);
    m_notice->setObjectName(QStringLiteral("notice"));
    auto *closeNotice = new QToolButton;
    closeNotice->setText(QStringLiteral("✕"));
    closeNotice->setToolTip(tr("Hide this notice"));
    auto *nl = new QHBoxLayout(m_noticeBar);
    nl->addWidget(m_notice, 1);
    nl->addWidget(closeNotice);
    m_noticeBar->setStyleSheet(QStringLiteral("background: #fff4ce; color: #3a2e00;"));
    m_noticeBar->hide();
    connect(closeNotice, &QToolButton::clicked, m_noticeBar, &QWidget::hide);

    auto *split = new QSplitter;
    split->addWidget(m_tree);
    split->addWidget(m_view);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 760});
    auto *central = new QWidget;
    auto *cl = new QVBoxLayout(central);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->addWidget(m_noticeBar);
    cl->addWidget(split, 1);
    setCentralWidget(central);

    m_jobsDock->setObjectName(QStringLiteral("jobsDock"));
    m_jobsDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsDock);

    createActions();
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        m_view->setServer(currentServer());
        updateActions();
    });
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex &i) {
        if (m_serverModel->serverId(i))
            editServer();
    });
    // The tree reloads when any server is added, changed or removed; keep the DBA's selection.
    connect(m_serverModel, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_selectedBeforeReset = currentServer(); });
    connect(m_serverModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_selectedBeforeReset)
            selectServer(m_selectedBeforeReset);
        if (currentServer() != m_view->server())
            m_view->setServer(currentServer());
        updateActions();
        updateStatusBar();
    });
    connect(&m_app.jobs(), &app::JobRunner::jobAdded, this, &MainWindow::updateStatusBar);
    connect(&m_app.jobs(), &app::JobRunner::jobFinished, this, &MainWindow::updateStatusBar);
    connect(&m_app.secrets(), &app::SecretStore::fallbackActivated, this, [this](const QString &why) {
        showNotice(tr("Passwords are kept in memory only until pgArchivist quits: %1.").arg(why));
    });
    if (!m_app.registry().notice().isEmpty())
        showNotice(m_app.registry().notice());
    // Scheduled tasks run here while the window is open (and by the systemd timer when it is not).
    m_serverModel->setScheduler(&m_app.scheduler());
    m_notifier = new ScheduleNotifier(m_app.scheduler(), this);
    connect(m_notifier, &ScheduleNotifier::notified, this, [this](const QString &, const QString &text) { showNotice(text); });
    if (m_options.runSchedules)
        m_app.scheduler().startAutoRun();
    if (m_options.sampleMetrics)
        m_app.metrics().start();
    updateActions();
    updateStatusBar();
    m_app.status().refreshAll();
    QTimer::singleShot(0, this, [this] {
        startRegisteredSandbox();
        offerSandboxIfEmpty();
    });
}

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const QString &iconName, const QKeySequence &key, const QString &tip) {
        auto *a = new QAction(iconName.isEmpty() ? QIcon() : icon(iconName), text, this);
        if (!key.isEmpty())
            a->setShortcut(key);
        a->setToolTip(key.isEmpty() ? tip : tip + QStringLiteral(" (") + key.toString(QKeySequence::NativeText) + QLatin1Char(')'));
        a->setStatusTip(tip);
        return a;
    };
    auto *add = make(tr("&Add Server…"), QStringLiteral("add"), QKeySequence::New, tr("Register a PostgreSQL server"));
    m_editAction = make(tr("&Edit Server…"), QStringLiteral("edit"), QKeySequence(Qt::Key_F2), tr("Change the selected server's settings"));
    m_removeAction = make(tr("&Remove Server"), QStringLiteral("remove"), QKeySequence::Delete,
                          tr("Remove the selected server from pgArchivist (the server and its backups are not touched)"));
    m_testAction = make(tr("&Test Connection"), QStringLiteral("test-connection"), QKeySequence(Qt::CTRL | Qt::Key_T),
                        tr("Connect to the selected server now, as a job"));
    auto *refresh = make(tr("Re&fresh Status"), QStringLiteral("refresh"), QKeySequence::Refresh, tr("Check every server's status now"));
    auto *sandbox = make(tr("Create &Sandbox Server"), QStringLiteral("sandbox"), {},
                         tr("Create a local PostgreSQL server with archiving enabled, for trying pgArchivist"));
    auto *importService = make(tr("Import from pg_&service.conf…"), QStringLiteral("import"), {},
                               tr("Register the entries of a libpq service file"));
    auto *importPgAdmin = make(tr("Import pgAdmin &Servers…"), QStringLiteral("import"), {},
                               tr("Register the servers of a pgAdmin servers.json export"));
    auto *standby = make(tr("Create &Standby…"), {}, {}, tr("Restore the selected server's newest backup as a standby of it (streaming, "
                                                            "archive-fed or delayed)"));
    auto *promote = make(tr("&Promote…"), {}, {}, tr("Make the selected standby a primary, after checking how far it has replayed"));
    auto *switchBackAction = make(tr("Switch &Back…"), {}, {}, tr("After a failover: rewind the old primary onto the selected new primary "
                                                                 "and make it its standby"));
    standby->setObjectName(QStringLiteral("createStandbyAction"));
    promote->setObjectName(QStringLiteral("promoteAction"));
    switchBackAction->setObjectName(QStringLiteral("switchBackAction"));
    connect(standby, &QAction::triggered, this, &MainWindow::createStandby);
    connect(promote, &QAction::triggered, this, &MainWindow::promoteServer);
    connect(switchBackAction, &QAction::triggered, this, &MainWindow::switchBack);
    auto *quit = make(tr("&Quit"), {}, QKeySequence::Quit, tr("Quit pgArchivist"));
    auto *aboutAction = make(tr("&About pgArchivist"), {}, {}, tr("Version and licence"));
    auto *aboutQt = make(tr("About &Qt"), {}, {}, tr("The Qt version in use"));
    add->setObjectName(QStringLiteral("addServerAction"));
    m_editAction->setObjectName(QStringLiteral("editServerAction"));
    m_removeAction->setObjectName(QStringLiteral("removeServerAction"));
    m_testAction->setObjectName(QStringLiteral("testConnectionAction"));
    // Delete only where it cannot surprise: in the server tree.
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_tree->addAction(m_removeAction);

    connect(add, &QAction::triggered, this, &MainWindow::addServer);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editServer);
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeServer);
    connect(m_testAction, &QAction::triggered, this, &MainWindow::testConnection);
    connect(refresh, &QAction::triggered, &m_app.status(), &app::ServerStatusService::refreshAll);
    connect(sandbox, &QAction::triggered, this, &MainWindow::createSandbox);
    connect(importService, &QAction::triggered, this, &MainWindow::importPgService);
    connect(importPgAdmin, &QAction::triggered, this, &MainWindow::importPgAdmin);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    connect(aboutAction, &QAction::triggered, this, &MainWindow::about);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    server->addActions({add, m_editAction, m_removeAction});
    server->addSeparator();
    server->addActions({m_testAction, refresh});
    server->addSeparator();
    server->addActions({importService, importPgAdmin, sandbox});
    server->addSeparator();
    server->addAction(quit);
    QMenu *replication = menuBar()->addMenu(tr("&Replication"));
    replication->addActions({standby, promote, switchBackAction});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *jobsToggle = m_jobsDock->toggleViewAction();
    jobsToggle->setText(tr("&Jobs Panel"));
    jobsToggle->setIcon(icon(QStringLiteral("jobs")));
    jobsToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    view->addAction(jobsToggle);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addActions({aboutAction, aboutQt});

    for (QAction *a : {add, m_editAction, m_testAction})
        m_tree->addAction(a);
    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->addActions({add, m_editAction, m_removeAction});
    tb->addSeparator();
    tb->addActions({m_testAction, refresh});
    tb->addSeparator();
    tb->addAction(jobsToggle);
}

qint64 MainWindow::currentServer() const { return m_serverModel->serverId(m_tree->currentIndex()); }

void MainWindow::selectServer(qint64 id)
{
    const QModelIndex i = m_serverModel->indexOfServer(id);
    if (i.isValid())
        m_tree->setCurrentIndex(i);
}

void MainWindow::updateActions()
{
    const bool have = currentServer() != 0;
    m_editAction->setEnabled(have);
    m_removeAction->setEnabled(have);
    m_testAction->setEnabled(have);
}

void MainWindow::updateStatusBar()
{
    const int servers = int(m_app.registry().servers().size());
    const int jobs = m_app.jobs().activeCount();
    statusBar()->showMessage(jobs ? tr("%n server(s), %1 job(s) running", nullptr, servers).arg(jobs)
                                  : tr("%n server(s)", nullptr, servers));
}

QString MainWindow::noticeText() const { return m_noticeBar->isVisible() || !m_notice->text().isEmpty() ? m_notice->text() : QString(); }

void MainWindow::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_noticeBar->show();
}

void MainWindow::addServer()
{
    auto *dlg = new ServerDialog(m_app, {}, m_serverModel->groups(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ServerDialog::serverSaved, this, &MainWindow::selectServer);
    dlg->open();
}

void MainWindow::editServer()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return;
    auto *dlg = new ServerDialog(m_app, *entry, m_serverModel->groups(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ServerDialog::serverSaved, this, &MainWindow::selectServer);
    dlg->open();
}

StandbyWizard *MainWindow::createStandby()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return nullptr;
    if (entry->repoDir.isEmpty()) {
        showNotice(tr("%1 has no repository: set one in its settings first, a standby starts from its backups.").arg(entry->name));
        return nullptr;
    }
    auto *w = new StandbyWizard(m_app, *entry, this);
    w->setAttribute(Qt::WA_DeleteOnClose);
    w->open();
    return w;
}

PromoteDialog *MainWindow::promoteServer()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return nullptr;
    auto *d = new PromoteDialog(m_app, *entry, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &PromoteDialog::runFinished, this, [this, id = entry->id] { m_app.status().refresh(id); });
    d->open();
    return d;
}

SwitchBackDialog *MainWindow::switchBack()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return nullptr;
    auto *d = new SwitchBackDialog(m_app, *entry, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
    return d;
}

void MainWindow::removeServer()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return;
    ask(this, tr("Remove Server"),
        tr("Remove \"%1\" from pgArchivist? The server itself, its repository and its backups are not touched; "
           "the saved password is removed from the keychain.").arg(entry->name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel, [this, e = *entry](QMessageBox::StandardButton b) {
            if (b != QMessageBox::Yes)
                return;
            if (Status s = m_app.registry().remove(e.id); !s) {
                showNotice(s.error().toString());
                return;
            }
            m_app.secrets().deletePassword(e.secretKey, this, [](Status) {});
        });
}

void MainWindow::testConnection()
{
    auto entry = m_app.registry().server(currentServer());
    if (!entry)
        return;
    m_jobsDock->show();
    m_app.secrets().readPassword(entry->secretKey, this, [this, e = *entry](Result<QString> pw) {
        pg::ConnectOptions options;
        options.conninfo = e.conninfo;
        options.password = pw.valueOr(QString());
        auto facts = std::make_shared<pg::ServerFacts>();
        m_app.jobs().start({QStringLiteral("connection-test"), tr("Test connection to %1").arg(e.name), e.id},
                           app::connectionTestWork(options, facts), this,
                           [this, id = e.id](const app::JobInfo &) { m_app.status().refresh(id); });
    });
}

void MainWindow::offerSandboxIfEmpty()
{
    if (!m_options.offerSandbox || !m_app.registry().servers().isEmpty())
        return;
    ask(this, tr("Welcome to pgArchivist"),
        tr("No server is registered yet.\n\nCreate a local sandbox server to try pgArchivist at once? It is a small "
           "PostgreSQL 15 cluster under your data folder, with WAL archiving into its own repository.\n\n"
           "Choose No to add one of your servers instead."),
        QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Yes, [this](QMessageBox::StandardButton b) {
            if (b == QMessageBox::Yes)
                createSandbox();
            else if (b == QMessageBox::No)
                addServer();
        });
}

void MainWindow::createSandbox()
{
    const QString baseDir = m_options.sandboxBaseDir.isEmpty() ? app::ArchivingService::defaultSandboxDir() : m_options.sandboxBaseDir;
    m_jobsDock->show();
    m_app.archiving().createOrStartSandbox(baseDir, this, [this](const app::JobInfo &job, const engine::SandboxInfo &info) {
        if (job.state != app::JobInfo::State::Succeeded) {
            showNotice(tr("The sandbox server could not be created: %1").arg(job.error.toString()));
            return;
        }
        app::ServerEntry e;
        if (auto existing = m_app.registry().serverByName(QStringLiteral("sandbox")))
            e = *existing;
        e.name = QStringLiteral("sandbox");
        e.conninfo = info.conninfo;
        e.repoDir = info.repoDir;
        e.repoServer = QStringLiteral("sandbox");
        e.sandbox = true;
        auto saved = m_app.registry().save(e);
        if (!saved) {
            showNotice(saved.error().toString());
            return;
        }
        selectServer(saved->id);
    });
}

void MainWindow::startRegisteredSandbox()
{
    const QString baseDir = m_options.sandboxBaseDir.isEmpty() ? app::ArchivingService::defaultSandboxDir() : m_options.sandboxBaseDir;
    const auto servers = m_app.registry().servers();
    const bool registered = std::any_of(servers.begin(), servers.end(), [](const app::ServerEntry &e) { return e.sandbox; });
    if (!registered)
        return;
    m_app.archiving().startSandboxIfStopped(baseDir, this, [this](const app::JobInfo &) { m_app.status().refreshAll(); });
}

void MainWindow::chooseFile(const QString &title, const QString &start, const QString &filter,
                            std::function<void(const QString &)> then)
{
    // open(), not exec(): no nested event loop, jobs keep reporting while the dialog is up.
    auto *dlg = new QFileDialog(this, title, start, filter);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setFileMode(QFileDialog::ExistingFile);
    connect(dlg, &QFileDialog::fileSelected, this, [then](const QString &path) { then(path); });
    dlg->open();
}

void MainWindow::importPgService()
{
    chooseFile(tr("Import pg_service.conf"), app::defaultPgServiceFile(), tr("Service files (*.conf);;All files (*)"),
               [this](const QString &path) { importFrom(tr("pg_service.conf"), path, false); });
}

void MainWindow::importPgAdmin()
{
    chooseFile(tr("Import pgAdmin Servers"), QString(), tr("pgAdmin export (*.json);;All files (*)"),
               [this](const QString &path) { importFrom(tr("pgAdmin"), path, true); });
}

void MainWindow::importFrom(const QString &what, const QString &path, bool pgAdmin)
{
    auto result = pgAdmin ? app::importPgAdminServers(path) : app::importPgServiceFile(path);
    if (!result) {
        showNotice(result.error().toString());
        return;
    }
    QStringList notes = result->warnings;
    int added = 0;
    for (const app::ServerEntry &e : std::as_const(result->servers)) {
        auto saved = m_app.registry().save(e);
        if (saved)
            ++added;
        else
            notes << QStringLiteral("%1: %2").arg(e.name, saved.error().message);
    }
    QString text = tr("Imported %n server(s) from %1.", nullptr, added).arg(what);
    if (!notes.isEmpty())
        text += QLatin1Char(' ') + notes.join(QLatin1Char(' '));
    showNotice(text);
}

void MainWindow::about()
{
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About pgArchivist"));
    box->setIconPixmap(appIcon().pixmap(64, 64));
    box->setText(tr("<h3>pgArchivist %1</h3><p>PostgreSQL backup and point-in-time recovery: can I recover "
                    "this server, to which moment, how long will it take, and what does it cost?</p>"
                    "<p>Command line: <code>pgarchivist-cli --help</code></p><p>Built with Qt %2.</p>")
                     .arg(QStringLiteral(PGA_VERSION), QString::fromLatin1(qVersion())));
    box->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int running = m_app.jobs().activeCount();
    if (running == 0) {
        event->accept();
        return;
    }
    event->ignore();
    ask(this, tr("Quit pgArchivist"),
        tr("%n job(s) still running. Cancel them and quit? Cancelled work leaves nothing half-written.", nullptr, running),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No, [this](QMessageBox::StandardButton b) {
            if (b != QMessageBox::Yes)
                return;
            m_app.jobs().cancelAll();
            connect(&m_app.jobs(), &app::JobRunner::jobFinished, this, [this] {
                if (m_app.jobs().activeCount() == 0)
                    qApp->quit();
            });
        });
}

} // namespace pga::gui
