#pragma once

#include "JobRecord.h"
#include "core/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace pga::app {

class ServerRegistry;

// One scheduled task of a server: what runs (kind), when (a systemd calendar expression, normalized, with its
// zone), and with what. Kinds: backup, verify, expire, drill, dump (every database with the roles, custom format).
struct ScheduledTask {
    qint64 id = 0;
    qint64 serverId = 0;
    QString kind;
    QString calendar;
    bool enabled = true;
    int retainFull = 0;       // expire: keep the newest N backups (0: not by count)
    int retainDays = 0;       // expire: keep what recovery to the last D days needs (0: not by age)
    QString backupId;         // verify/drill: only this one (empty: all / the newest)
    QDateTime createdAt;      // UTC
    QDateTime lastRunAt;      // UTC; when a run was last started (invalid: never). Due = next slot after it.
    QDateTime dueAfter;       // UTC; set when the task is switched on or its calendar changes: no slot before it runs

    static QStringList kinds();
    // The first slot after the last run, creation, or switch-on/change (the latest of them): a missed run runs once,
    // not once per missed slot, and a task switched back on does not run at once for the slots it was off.
    QDateTime dueAt() const;
    QString describe() const;  // "expire (keep 7 backups) at Sun *-*-* 01:00:00 Europe/Berlin"
};

// The schedules table of the registry. Every write checks the task first: a known kind, a calendar expression
// that parses (stored normalized), retention that keeps something.
class ScheduleStore {
    Q_DECLARE_TR_FUNCTIONS(ScheduleStore)
public:
    explicit ScheduleStore(ServerRegistry &registry) : m_registry(registry) {}

    Result<ScheduledTask> add(ScheduledTask task);
    Status update(const ScheduledTask &task);
    Status remove(qint64 id);
    // Switching on (and a calendar change in update()) moves dueAfter to now.
    Status setEnabled(qint64 id, bool enabled);
    Result<ScheduledTask> task(qint64 id) const;
    QList<ScheduledTask> tasks(qint64 serverId = 0) const;  // 0: every server's, by server then id
    // Claims a run: sets last_run_at to `at` only if it still is `expectedLast` (so two processes that both saw
    // the task due cannot both run it). False when another claimed it first.
    Result<bool> claimRun(qint64 id, const QDateTime &expectedLast, const QDateTime &at);

    // The newest recorded run of each task that ran (the job history's rows with a schedule id), log left out.
    QHash<qint64, JobRecord> lastRuns() const;
    // Recorded runs of scheduled tasks finished in [from, to), oldest first, log left out: the calendar's marks.
    QList<JobRecord> runsBetween(const QDateTime &from, const QDateTime &to, qint64 serverId = 0) const;

    static Status validate(const ScheduledTask &task);

private:
    ServerRegistry &m_registry;
};

} // namespace pga::app
