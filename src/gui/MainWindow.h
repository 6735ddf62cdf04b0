#pragma once

#include <QMainWindow>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QTreeView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class JobsPanel;
class ServerTreeModel;
class ServerView;
class ScheduleNotifier;
class StandbyWizard;
class PromoteDialog;
class SwitchBackDialog;

// Composes the feature widgets: server tree, the selected server's views, the jobs panel.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool offerSandbox = true;      // when no server is registered
        QString sandboxBaseDir;        // empty: engine::Sandbox::defaultBaseDir()
        bool runSchedules = true;      // run due scheduled tasks while open
        bool sampleMetrics = true;     // sample every server's WAL and archiver every few minutes
    };

    MainWindow(app::AppContext &app, Options options, QWidget *parent = nullptr);
    MainWindow(app::AppContext &app, QWidget *parent = nullptr) : MainWindow(app, Options{}, parent) {}

    ServerTreeModel *serverModel() const { return m_serverModel; }
    QTreeView *serverTree() const { return m_tree; }
    ServerView *serverView() const { return m_view; }
    JobsPanel *jobsPanel() const { return m_jobs; }
    ScheduleNotifier *scheduleNotifier() const { return m_notifier; }
    QString noticeText() const;
    qint64 currentServer() const;
    void selectServer(qint64 id);

    void addServer();
    void editServer();
    void removeServer();
    void testConnection();
    void createSandbox();
    void importPgService();
    void importPgAdmin();
    // Replication, for the selected server (the primary, the standby, the new primary); nullptr when none is selected.
    StandbyWizard *createStandby();
    PromoteDialog *promoteServer();
    SwitchBackDialog *switchBack();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void showNotice(const QString &text);
    void offerSandboxIfEmpty();
    void startRegisteredSandbox();
    void importFrom(const QString &what, const QString &path, bool pgAdmin);
    void chooseFile(const QString &title, const QString &start, const QString &filter,
                    std::function<void(const QString &)> then);
    void updateActions();
    void updateStatusBar();
    void about();

    app::AppContext &m_app;
    Options m_options;
    ServerTreeModel *m_serverModel;
    QTreeView *m_tree;
    ServerView *m_view;
    JobsPanel *m_jobs;
    QDockWidget *m_jobsDock;
    QWidget *m_noticeBar;
    QLabel *m_notice;
    ScheduleNotifier *m_notifier = nullptr;
    qint64 m_selectedBeforeReset = 0;
    QAction *m_editAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_testAction = nullptr;
};

} // namespace pga::gui
