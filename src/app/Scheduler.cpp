#include "Scheduler.h"

#include "BackupService.h"
#include "ServerRegistry.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcScheduler, "pgarchivist.app.scheduler")

namespace pga::app {

// An flock on a file per task: released by the kernel when the holder exits, so a killed run-due leaves no stale lock.
struct Scheduler::Lock {
    int fd = -1;
    ~Lock()
    {
        if (fd >= 0)
            ::close(fd);
    }
    static std::shared_ptr<Lock> tryAcquire(const QString &path, QString *why)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        auto l = std::make_shared<Lock>();
        l->fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (l->fd < 0) {
            *why = QStringLiteral("cannot open the lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            return {};
        }
        if (::flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
            *why = errno == EWOULDBLOCK ? QStringLiteral("it is running in another process (the app or a timer)")
                                        : QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            return {};
        }
        return l;
    }
};

Scheduler::Scheduler(ServerRegistry *registry, BackupService *backups, QObject *parent)
    : QObject(parent), m_registry(registry), m_backups(backups), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(&m_timer, &QTimer::timeout, this, [this] { runDue(); });
}

Scheduler::~Scheduler() = default;

QString Scheduler::lockPath(qint64 taskId) const
{
    return QFileInfo(m_registry->path()).absolutePath() + QStringLiteral("/locks/schedule-%1.lock").arg(taskId);
}

QList<ScheduledTask> Scheduler::dueTasks() const
{
    QList<ScheduledTask> out;
    const QDateTime t = now();
    for (const ScheduledTask &task : ScheduleStore(*m_registry).tasks())
        if (task.enabled)
            if (const QDateTime due = task.dueAt(); due.isValid() && due <= t)
                out << task;
    return out;
}

int Scheduler::runDue()
{
    int started = 0;
    ScheduleStore store(*m_registry);
    for (const ScheduledTask &candidate : dueTasks()) {
        if (m_running.contains(candidate.id))
            continue;
        if (!ScheduledTask::kinds().contains(candidate.kind)) {
            emit taskSkipped(candidate.id, QStringLiteral("this pgArchivist cannot run tasks of kind \"%1\"").arg(candidate.kind));
            continue;
        }
        auto server = m_registry->server(candidate.serverId);
        if (!server) {
            emit taskSkipped(candidate.id, server.error().toString());
            continue;
        }
        QString why;
        auto lock = Lock::tryAcquire(lockPath(candidate.id), &why);
        if (!lock) {
            emit taskSkipped(candidate.id, why);
            continue;
        }
        // One task at a time per repository (here and in other processes): a backup and an expire of one repository
        // at 01:00 would otherwise wait on each other's repository lock and one of them fail. The other stays due.
        auto repoLock = Lock::tryAcquire(repositoryLockPath(server->repoDir), &why);
        if (!repoLock) {
            emit taskSkipped(candidate.id, QStringLiteral("waits for another task of the same repository"));
            continue;
        }
        // Under the lock, read it again: another process may have run it while we looked.
        auto fresh = store.task(candidate.id);
        if (!fresh || !fresh->enabled || !fresh->dueAt().isValid() || fresh->dueAt() > now())
            continue;
        auto claimed = store.claimRun(fresh->id, fresh->lastRunAt, now());
        if (!claimed || !*claimed) {
            emit taskSkipped(fresh->id, claimed ? QStringLiteral("another process claimed it") : claimed.error().toString());
            continue;
        }
        start(*fresh, *server, {std::move(lock), std::move(repoLock)});
        ++started;
    }
    // Runs another process (the timer) finished show up here as new history rows.
    if (const qint64 newest = m_registry->newestJobId(); newest != m_newestJob) {
        const bool first = m_newestJob < 0;
        m_newestJob = newest;
        if (!first)
            emit historyChanged();
    }
    emit checked();
    return started;
}

QString Scheduler::repositoryLockPath(const QString &repoDir) const
{
    const QByteArray key = QCryptographicHash::hash(QFileInfo(repoDir).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QFileInfo(m_registry->path()).absolutePath() + QStringLiteral("/locks/repository-%1.lock").arg(QString::fromLatin1(key));
}

void Scheduler::start(const ScheduledTask &task, const ServerEntry &e, QList<std::shared_ptr<Lock>> locks)
{
    m_running.insert(task.id, std::move(locks));
    emit taskStarted(task.id);
    qCInfo(lcScheduler) << "starting scheduled task" << task.id << task.describe();
    const qint64 id = task.id;
    if (task.kind == QLatin1String("backup"))
        m_backups->backUp(e, this, [this, id](const JobInfo &info, const repo::BackupManifest &) { finished(id, info); }, id);
    else if (task.kind == QLatin1String("verify"))
        m_backups->verify(e, task.backupId, this, [this, id](const JobInfo &info, const QList<engine::BackupCheck> &) { finished(id, info); }, id);
    else if (task.kind == QLatin1String("expire"))
        m_backups->expire(e, BackupService::expireOptions(e, task.retainFull, task.retainDays, false), this,
                          [this, id](const JobInfo &info, const engine::ExpireResult &) { finished(id, info); }, id);
    else if (task.kind == QLatin1String("dump") && m_dumps)
        m_dumps->dump(e, DumpService::dumpOptions(e), this, [this, id](const JobInfo &info, const repo::DumpManifest &) { finished(id, info); }, id);
    else if (task.kind == QLatin1String("dump")) {
        JobInfo failed;
        failed.kind = task.kind;
        failed.serverId = e.id;
        failed.scheduleId = id;
        failed.state = JobInfo::State::Failed;
        failed.error = Error(Error::Code::Internal, QStringLiteral("No dump service was given to the scheduler."));
        finished(id, failed);
    }
    else  // drill; runDue only starts the kinds ScheduledTask::kinds() names
        m_backups->drill(e, task.backupId, this, [this, id](const JobInfo &info, const engine::DrillResult &) { finished(id, info); }, id);
}

void Scheduler::finished(qint64 taskId, const JobInfo &info)
{
    m_running.remove(taskId);  // releases the lock
    emit taskFinished(taskId, info);
    if (m_running.isEmpty())
        emit idle();
}

QHash<qint64, QString> Scheduler::failedByServer() const
{
    QHash<qint64, QString> out;
    ScheduleStore store(*m_registry);
    const auto last = store.lastRuns();
    for (const ScheduledTask &t : store.tasks()) {
        const auto r = last.constFind(t.id);
        if (r != last.constEnd() && r->state == QLatin1String("failed"))
            out[t.serverId] += (out.contains(t.serverId) ? QStringLiteral("\n") : QString()) + t.kind + QStringLiteral(": ") + r->message;
    }
    return out;
}

void Scheduler::startAutoRun(int intervalMs)
{
    m_timer.start(intervalMs);
    QTimer::singleShot(0, this, [this] { runDue(); });
}

} // namespace pga::app
