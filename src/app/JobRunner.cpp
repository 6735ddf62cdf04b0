#include "JobRunner.h"

#include "ServerRegistry.h"

#include <QLoggingCategory>
#include <QPointer>

#include <exception>
#include <mutex>

Q_LOGGING_CATEGORY(lcJobs, "pgarchivist.app.jobs")

namespace pga::app {

namespace {
constexpr int kMaxLogLines = 20000;  // a runaway job must not eat the workstation's memory

QString levelName(ProgressSink::Level l)
{
    switch (l) {
    case ProgressSink::Level::Debug: return QStringLiteral("debug");
    case ProgressSink::Level::Info: return QStringLiteral("info");
    case ProgressSink::Level::Warning: return QStringLiteral("warning");
    case ProgressSink::Level::Error: return QStringLiteral("error");
    }
    return {};
}
} // namespace

QString JobInfo::stateName(State s)
{
    switch (s) {
    case State::Queued: return QStringLiteral("queued");
    case State::Running: return QStringLiteral("running");
    case State::Succeeded: return QStringLiteral("succeeded");
    case State::Failed: return QStringLiteral("failed");
    case State::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

struct JobRunner::Shared final : JobContext {
    mutable std::mutex mutex;
    JobInfo info;
    bool dirty = false;
    CancelToken cancel;
    JobDone done;
    QPointer<QObject> context;
    bool hasContext = false;
    bool recordInHistory = true;

    const CancelToken &cancelToken() const override { return cancel; }
    void progress(int64_t d, int64_t t) override
    {
        std::lock_guard lock(mutex);
        info.done = d;
        info.total = t;
        dirty = true;
    }
    void log(Level level, const QString &line) override
    {
        const QString stamped = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz ")) + levelName(level)
            + QLatin1Char(' ') + line;
        std::lock_guard lock(mutex);
        if (info.log.size() < kMaxLogLines)
            info.log.append(stamped);
        else if (info.log.size() == kMaxLogLines)
            info.log.append(QStringLiteral("(log truncated)"));
        if (level == Level::Info || level == Level::Warning)
            info.currentStep = line;
        dirty = true;
    }
    JobInfo snapshot()
    {
        std::lock_guard lock(mutex);
        dirty = false;
        return info;
    }
};

JobRunner::JobRunner(ServerRegistry *history, QObject *parent) : QObject(parent), m_history(history)
{
    // Engine work mostly waits on PostgreSQL, processes or the disk: allow more jobs than cores.
    m_pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
    m_publishTimer.setInterval(publishIntervalMs());
    connect(&m_publishTimer, &QTimer::timeout, this, &JobRunner::publish);
}

JobRunner::~JobRunner()
{
    cancelAll();
    m_pool.waitForDone();
}

int JobRunner::start(const JobSpec &spec, JobWork work, QObject *context, JobDone done)
{
    const int id = m_nextId++;
    auto shared = std::make_shared<Shared>();
    shared->info.id = id;
    shared->info.kind = spec.kind;
    shared->info.title = spec.title;
    shared->info.serverId = spec.serverId;
    shared->info.scheduleId = spec.scheduleId;
    shared->info.startedAt = QDateTime::currentDateTime();
    shared->done = std::move(done);
    shared->context = context;
    shared->hasContext = context != nullptr;
    shared->recordInHistory = spec.recordInHistory;
    m_jobs.insert(id, shared);
    m_published.insert(id, shared->info);
    m_order.append(id);
    emit jobAdded(id);
    if (!m_publishTimer.isActive())
        m_publishTimer.start();

    QPointer<JobRunner> self(this);
    m_pool.start([self, shared, work = std::move(work), id] {
        {
            std::lock_guard lock(shared->mutex);
            shared->info.state = JobInfo::State::Running;
            shared->info.startedAt = QDateTime::currentDateTime();
            shared->dirty = true;
        }
        Status result;
        if (shared->cancel.isCancelled()) {
            result = Error(Error::Code::Cancelled, JobRunner::tr("Cancelled before it started."));
        } else {
            try {
                result = work(*shared);
            } catch (const std::exception &e) {
                result = Error(Error::Code::Internal, JobRunner::tr("The job stopped on an internal error."),
                               QString::fromLocal8Bit(e.what()));
            }
        }
        if (!result.ok())
            shared->log(ProgressSink::Level::Error, result.error().toString());
        {
            std::lock_guard lock(shared->mutex);
            if (result.ok())
                shared->info.state = JobInfo::State::Succeeded;
            else if (result.error().code == Error::Code::Cancelled || shared->cancel.isCancelled())
                shared->info.state = JobInfo::State::Cancelled;
            else
                shared->info.state = JobInfo::State::Failed;
            if (!result.ok())
                shared->info.error = result.error();
            shared->info.finishedAt = QDateTime::currentDateTime();
            shared->dirty = true;
        }
        // The runner outlives its workers (its destructor waits), so self is valid to queue on.
        QMetaObject::invokeMethod(self.data(), [self, id] { if (self) self->finish(id); }, Qt::QueuedConnection);
    });
    return id;
}

void JobRunner::cancel(int id)
{
    if (auto s = m_jobs.value(id)) {
        s->log(ProgressSink::Level::Warning, tr("Cancel requested."));
        s->cancel.cancel();
    }
}

void JobRunner::cancelAll()
{
    for (const auto &s : std::as_const(m_jobs))
        s->cancel.cancel();
}

void JobRunner::clearFinished()
{
    const QList<int> ids = m_order;
    for (int id : ids) {
        if (m_jobs.contains(id) || !m_published.value(id).isFinished())
            continue;
        m_order.removeOne(id);
        m_published.remove(id);
        emit jobRemoved(id);
    }
}

JobInfo JobRunner::job(int id) const { return m_published.value(id); }

int JobRunner::activeCount() const { return int(m_jobs.size()); }

bool JobRunner::waitForDone(int msecs) { return m_pool.waitForDone(msecs); }

void JobRunner::publish()
{
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        bool dirty;
        {
            std::lock_guard lock(it.value()->mutex);
            dirty = it.value()->dirty;
        }
        if (!dirty)
            continue;
        m_published.insert(it.key(), it.value()->snapshot());
        emit jobChanged(it.key());
    }
    if (m_jobs.isEmpty())
        m_publishTimer.stop();
}

void JobRunner::finish(int id)
{
    auto shared = m_jobs.take(id);
    if (!shared)
        return;
    const JobInfo info = shared->snapshot();
    m_published.insert(id, info);
    qCDebug(lcJobs) << "job" << id << info.title << JobInfo::stateName(info.state);
    emit jobChanged(id);
    emit jobFinished(id);
    if (m_history && shared->recordInHistory) {
        JobRecord r;
        r.kind = info.kind;
        r.title = info.title;
        r.serverId = info.serverId;
        r.scheduleId = info.scheduleId;
        r.state = JobInfo::stateName(info.state);
        r.startedAt = info.startedAt;
        r.finishedAt = info.finishedAt;
        r.message = info.error.isError() ? info.error.toString() : info.currentStep;
        r.log = info.log.join(QLatin1Char('\n'));
        if (Status s = m_history->addJobRecord(r); !s)
            qCWarning(lcJobs) << "could not record job history:" << s.error().toString();
    }
    if (shared->done && (!shared->hasContext || shared->context))
        shared->done(info);
    if (m_jobs.isEmpty())
        m_publishTimer.stop();
}

} // namespace pga::app
