#pragma once

#include "JobRecord.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>

namespace pga::app {

class ServerRegistry;

// What the jobs panel shows of one job. A snapshot: copy it, it does not change under you.
struct JobInfo {
    enum class State { Queued, Running, Succeeded, Failed, Cancelled };
    int id = 0;
    QString kind;
    QString title;
    qint64 serverId = 0;
    qint64 scheduleId = 0;
    State state = State::Queued;
    qint64 done = 0;
    qint64 total = 0;          // <= 0: unknown (busy indicator)
    QString currentStep;       // the last info line
    QDateTime startedAt;
    QDateTime finishedAt;
    Error error;
    QStringList log;           // "HH:mm:ss.zzz level text" lines

    bool isFinished() const { return state >= State::Succeeded; }
    static QString stateName(State s);
};

// The job's side: report progress and log lines (from any thread), and watch cancel().
class JobContext : public ProgressSink {
public:
    virtual const CancelToken &cancelToken() const = 0;
    bool isCancelled() const { return cancelToken().isCancelled(); }
};

using JobWork = std::function<Status(JobContext &)>;
using JobDone = std::function<void(const JobInfo &)>;

struct JobSpec {
    QString kind;
    QString title;
    qint64 serverId = 0;
    bool recordInHistory = true;
    qint64 scheduleId = 0;     // set when the scheduler started it
};

// Runs engine work on a thread pool. The GUI thread only ever sees snapshots: changes are
// collected by the workers and published at most every 100 ms (jobChanged), so a chatty job
// cannot flood the event loop. Finished jobs go into the registry's history.
class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(ServerRegistry *history = nullptr, QObject *parent = nullptr);
    ~JobRunner() override;  // cancels what runs and waits for it

    // Starts work on a worker thread. `done` runs on the GUI thread when it ends, if `context` still lives.
    int start(const JobSpec &spec, JobWork work, QObject *context = nullptr, JobDone done = {});
    void cancel(int id);
    void cancelAll();
    // Removes finished jobs from the panel (they stay in the history).
    void clearFinished();

    QList<int> jobIds() const { return m_order; }
    JobInfo job(int id) const;
    int activeCount() const;
    // Blocks until every job finished; for shutdown and tests, never for the GUI.
    bool waitForDone(int msecs = -1);

    static int publishIntervalMs() { return 100; }

signals:
    void jobAdded(int id);
    void jobChanged(int id);
    void jobFinished(int id);
    void jobRemoved(int id);

private:
    struct Shared;
    void publish();
    void finish(int id);

    ServerRegistry *m_history;
    QThreadPool m_pool;
    QTimer m_publishTimer;
    QHash<int, std::shared_ptr<Shared>> m_jobs;
    QHash<int, JobInfo> m_published;
    QList<int> m_order;
    int m_nextId = 1;
};

} // namespace pga::app
