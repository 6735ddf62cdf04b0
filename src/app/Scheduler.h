#pragma once

#include "DumpService.h"
#include "JobRunner.h"
#include "ScheduleStore.h"
#include "ServerEntry.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace pga::app {

class BackupService;
class ServerRegistry;

// Runs scheduled tasks that are due, through the same services a click uses (a scheduled backup is BackupService's
// backUp). The app runs it on a timer while open; `pgarchivist-cli schedule run-due` (a systemd timer) runs it once.
// Both may run at once: each task is taken under an exclusive lock file next to the registry and claimed in the
// registry (last_run_at), so a task never runs twice, and a missed run runs once.
class Scheduler : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;  // UTC; injectable for tests
    Scheduler(ServerRegistry *registry, BackupService *backups, QObject *parent = nullptr);
    ~Scheduler() override;
    // The "dump" task kind runs through it (AppContext and schedule run-due give it).
    void setDumpService(DumpService *dumps) { m_dumps = dumps; }

    void setClock(Clock clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock(); }
    // Enabled tasks whose next slot after their last run is not in the future.
    QList<ScheduledTask> dueTasks() const;
    // Starts every due task not running here or elsewhere; returns how many it started.
    int runDue();
    int runningCount() const { return int(m_running.size()); }
    bool isRunning(qint64 taskId) const { return m_running.contains(taskId); }
    // The app: look for due tasks every intervalMs (and once now).
    void startAutoRun(int intervalMs = 30000);
    void stopAutoRun() { m_timer.stop(); }

    QString lockPath(qint64 taskId) const;
    QString repositoryLockPath(const QString &repoDir) const;
    // Servers whose tasks' last runs failed, with what failed ("backup: could not connect ..."): the tree's badge.
    QHash<qint64, QString> failedByServer() const;

signals:
    void taskStarted(qint64 taskId);
    void taskFinished(qint64 taskId, const pga::app::JobInfo &info);
    void taskSkipped(qint64 taskId, const QString &why);
    void idle();     // the last running task finished
    void checked();  // runDue() looked (the tree refreshes its badges: a timer's runs may have failed meanwhile)
    void historyChanged();  // jobs finished since the last look, here or in another process (the calendar reloads)

private:
    struct Lock;
    void start(const ScheduledTask &task, const ServerEntry &server, QList<std::shared_ptr<Lock>> locks);
    void finished(qint64 taskId, const JobInfo &info);

    ServerRegistry *m_registry;
    BackupService *m_backups;
    DumpService *m_dumps = nullptr;
    Clock m_clock;
    QTimer m_timer;
    QHash<qint64, QList<std::shared_ptr<Lock>>> m_running;
    qint64 m_newestJob = -1;
};

} // namespace pga::app
