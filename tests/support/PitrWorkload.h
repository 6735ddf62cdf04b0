#pragma once

#include "core/Result.h"
#include "pg/Connection.h"

#include <QList>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace pga::test {

// A workload for point-in-time recovery proofs: small transactions on one table whose exact
// content (row count and an md5 over every row in id order) is recorded after each commit,
// together with the moments that identify that commit to recovery: the transaction's xid, the
// WAL insert position right after the commit, and the server's clock right after it (text with
// an explicit zone offset). Steps are separated by a pause, so a recorded time lies strictly
// between two commits and recovery_target_time stops exactly after the step it was taken for.
class PitrWorkload {
public:
    struct Moment {
        QString tag;        // "s3", "t2": names the step's rows, so every state is distinct
        QString state;      // "rows=N md5=..." after the commit
        QString xid;        // txid_current() of the step's transaction
        QString lsn;        // pg_current_wal_insert_lsn() right after the commit
        QString time;       // clock_timestamp() right after the commit, e.g. "2026-11-25 21:30:01.123456+05:30"
    };

    // zone: the time zone the recorded times are written in (an IANA name; should not be UTC).
    PitrWorkload(QString conninfo, QString zone);
    ~PitrWorkload();

    // Creates the workload table and pitr_now() (once, on the first server; copies inherit them).
    Status prepare();
    // One transaction: inserts rows tagged `tag`, updates and deletes some older ones. Returns its moment.
    Result<Moment> step(const QString &tag);
    // pg_create_restore_point(name); returns its LSN.
    Result<QString> restorePoint(const QString &name);
    // pg_switch_wal(); returns the name of the segment switched away from.
    Result<QString> switchWal();
    // Waits until pg_stat_archiver reports walName (or a later segment of its timeline) archived.
    Status waitForArchived(const QString &walName, int timeoutMs = 60000);
    Result<QString> state();
    Result<QString> scalar(const QString &sql, const QStringList &params = {});

    // The state query, for any server holding the workload table (a restored one too).
    static QString stateSql();
    static Result<QString> readState(const QString &conninfo);

private:
    QString m_conninfo;
    QString m_zone;
    int m_steps = 0;
    std::unique_ptr<pg::Connection> m_conn;
};

// Workload steps on their own connection in a thread, until stopped: writes while a backup runs.
class BackgroundSteps {
public:
    BackgroundSteps(const QString &conninfo, const QString &zone, const QString &tagPrefix);
    ~BackgroundSteps();
    // Waits until more than n steps have committed; false when the writer failed or took too long.
    bool waitBeyond(int n, int timeoutMs = 30000) const;
    int done() const { return m_done.load(); }
    // Stops after the running step: every committed step's moment, in commit order.
    Result<QList<PitrWorkload::Moment>> stop();

private:
    std::unique_ptr<QThread> m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_failed{false};
    std::atomic<int> m_done{0};
    QList<PitrWorkload::Moment> m_moments;  // written by the thread, read after it ended
    Error m_error;
};

// A recovery target as the restore command line takes it.
struct RecoveryTarget {
    enum class Kind { Time, Lsn, Xid, Name, Immediate };
    Kind kind = Kind::Immediate;
    QString value;                           // empty for Immediate
    QString timeline;                        // --target-timeline: "" (default), "1", "2", "latest", "current"
    bool exclusive = false;                  // --target-exclusive
    QString action = QStringLiteral("pause");  // --target-action: pause, promote
    static QString kindName(Kind k);
};

// One restore to prove: the target and the state recorded for it on the source.
struct RecordedTarget {
    QString label;          // e.g. "tl1-xid-s2-exclusive"
    RecoveryTarget target;
    QString expected;
    int timeline = 1;       // the timeline the expected state was recorded on
};

} // namespace pga::test
