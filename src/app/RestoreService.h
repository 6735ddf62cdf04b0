#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "engine/RepoInfo.h"
#include "engine/RestoreStart.h"
#include "engine/RtoEstimate.h"
#include "engine/WalLandmarks.h"

#include <QObject>

#include <functional>
#include <optional>

namespace pga::app {

class ServerRegistry;

// What the restore wizard asks for: from which server's repository, to which target, into where.
struct RestoreRequest {
    ServerEntry source;
    engine::RecoveryTarget target;
    QString backupId;       // empty: the newest that ends before the target
    QString targetDir;      // empty: a scratch instance under the app's data directory
    bool start = true;      // start it and follow replay
    QString owner;          // as root: who owns and runs it (default postgres)
    QList<QPair<QString, QString>> tablespaceMap;  // OLD location -> NEW (restore --tablespace-map)
};

struct RestoreOutcome {
    QString targetDir;
    engine::RestoreResult restore;
    double restoreSeconds = 0;
    std::optional<engine::StartResult> started;
};

// Point-in-time recovery from the desktop: the plan and RTO before anything is written, then restore and
// replay as one job (the CLI's restore --start, the same engine code), the restore points of a server's archive,
// and registering the restored instance. Measured speeds go where the CLI keeps them, so estimates improve.
class RestoreService : public QObject {
    Q_OBJECT
public:
    RestoreService(ServerRegistry *registry, JobRunner *jobs, QObject *parent = nullptr);

    // $XDG_DATA_HOME/pgarchivist/scratch/NAME-YYYYMMDDTHHMMSS: where a scratch instance goes.
    static QString scratchDir(const ServerEntry &source, const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());
    static engine::RestoreOptions restoreOptions(const RestoreRequest &r);
    // The same restore from a shell.
    static QString restoreCommand(const RestoreRequest &r);

    // The estimate (backup, bytes, WAL, RTO and its basis) as a job kept out of the history; a target the
    // archive cannot reach fails it with the reason and the window that exists.
    void estimate(const RestoreRequest &r, QObject *context, std::function<void(const JobInfo &, const engine::RtoEstimate &)> done);
    // Restores and, if asked, starts and follows replay, in one job. A failed or cancelled restore removes the
    // directory it made; a cancelled replay leaves a complete restore, stopped, and says so.
    // Returns the job's id (progress and cancel through the JobRunner).
    int restore(const RestoreRequest &r, QObject *context, std::function<void(const JobInfo &, const RestoreOutcome &)> done);
    // The archive's restore points, read on a worker thread.
    void readRestorePoints(const ServerEntry &source, QObject *context,
                           std::function<void(const Result<QList<engine::ArchivedRestorePoint>> &)> done);
    // This host's measured speeds, read on a worker thread.
    void readHostRates(QObject *context, std::function<void(const engine::HostRates &)> done);
    // The RTO of a restore to the end of the archived WAL from the newest usable backup, at measured speeds only
    // (no calibration: the Overview shows it on every refresh). nullopt without a usable backup or measurements.
    static std::optional<engine::RtoEstimate> rtoToEndOfWal(const engine::ServerArchiveSummary &s, const engine::HostRates &rates);
    // Registers a started restore in the group "Restored" (named after the source and the moment).
    Result<ServerEntry> addRestoredServer(const RestoreRequest &r, const RestoreOutcome &outcome);

private:
    ServerRegistry *m_registry;
    JobRunner *m_jobs;
};

} // namespace pga::app
