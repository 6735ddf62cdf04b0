#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "engine/Drill.h"
#include "engine/Expire.h"
#include "engine/RepoInfo.h"
#include "engine/Verify.h"
#include "repo/BackupManifest.h"

#include <QObject>

#include <functional>

namespace pga::app {

class SecretStore;

// Base backups of a registered server, their verification and expiry, and its repository's catalog, each a
// job recorded in the history. The Backups view and the Overview call these, and so will the scheduler and
// drills: a scheduled backup and a click on "Back Up Now" are the same code (DESIGN.md, "Rules").
class BackupService : public QObject {
    Q_OBJECT
public:
    BackupService(SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    // The server's name in its repository: its own unless set apart.
    static QString repoServerName(const ServerEntry &e);
    // The same actions from a shell or a schedule.
    static QString backupCommand(const ServerEntry &e);
    static QString verifyCommand(const ServerEntry &e, const QString &backupId);
    static QString expireCommand(const engine::ExpireOptions &o);
    static engine::ExpireOptions expireOptions(const ServerEntry &e, int retainFull, int retainDays, bool dryRun);

    using Catalog = Result<QList<engine::ServerArchiveSummary>>;
    // Reads the archive and catalog on a worker thread; done runs on context's thread while it lives.
    void readCatalog(const ServerEntry &e, QObject *context, std::function<void(const Catalog &)> done);
    // Creates the repository on first use (for postgres when run as root), then takes a base backup with the
    // password from the keychain.
    // scheduleId: the scheduled task that starts it (kept in the job history), 0 for a person.
    void backUp(const ServerEntry &e, QObject *context, std::function<void(const JobInfo &, const repo::BackupManifest &)> done,
                qint64 scheduleId = 0);
    // Every backup when backupId is empty; problems found are logged as errors of the job, and fail it.
    void verify(const ServerEntry &e, const QString &backupId, QObject *context,
                std::function<void(const JobInfo &, const QList<engine::BackupCheck> &)> done, qint64 scheduleId = 0);
    // A dry run (the preview a person confirms) is not kept in the job history.
    void expire(const ServerEntry &e, const engine::ExpireOptions &o, QObject *context,
                std::function<void(const JobInfo &, const engine::ExpireResult &)> done, qint64 scheduleId = 0);
    // A restore drill of the backup (empty: the newest) into a scratch directory, compared with the server where it
    // answers; a failed drill fails the job with what failed (the copy's server log is kept).
    void drill(const ServerEntry &e, const QString &backupId, QObject *context,
               std::function<void(const JobInfo &, const engine::DrillResult &)> done, qint64 scheduleId = 0);
    static QString drillCommand(const ServerEntry &e, const QString &backupId);
    static engine::DrillOptions drillOptions(const ServerEntry &e, const QString &backupId, const QDateTime &nowUtc);

private:
    SecretStore *m_secrets;
    JobRunner *m_jobs;
};

} // namespace pga::app
