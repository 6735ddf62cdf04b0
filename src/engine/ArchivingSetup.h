#pragma once

#include "core/ProgressSink.h"

#include "core/CancelToken.h"
#include "core/Result.h"
#include "pg/Connection.h"

#include <QStringList>

namespace pga::engine {

// Pointing a server's archive_command at a pgArchivist repository, as the GUI's
// "Configure archiving" does: first a plan the DBA reads and confirms, then the exact same SQL.
struct ArchivingPlan {
    QString archiveCommand;      // the shell command PostgreSQL will run
    QStringList statements;      // ALTER SYSTEM ..., in order
    bool needsRestart = false;   // archive_mode or wal_level change only at a restart
};

// Quotes one word for sh, leaving plain words (paths, names) as they are.
QString shellQuote(const QString &word);

// The repository a desktop action (Back Up Now, Configure Archiving) needs, created on first use as
// 'repo-init' would. As root it is made for the postgres user, who runs archive_command on Debian and
// must write it (a root-owned repository would refuse every archive-push).
Status ensureRepository(const QString &dir, ProgressSink &progress);

// The shell command for archive_command: `CLI archive-push --repo REPO --server NAME %p`, quoted for sh. For an
// s3:// repository the --s3-* settings in effect are added (never credentials: the server's user has its own).
// repoOptions: the --s3-* words to write (the GUI's server settings); empty: those in this process's environment.
QString archivePushCommand(const QString &cliPath, const QString &repoDir, const QString &server, const QStringList &repoOptions = {});
// The same for restore_command: `CLI archive-get --repo REPO --server NAME [--s3-...] %f %p`.
QString archiveGetCommand(const QString &cliPath, const QString &repoDir, const QString &server);
// A repository as a command we write names it: an s3:// URL as it is, a directory made absolute.
QString repoLocation(const QString &repoDir);

// Reads the current settings and says what must change (nothing when already archiving to this repository).
Result<ArchivingPlan> planArchiving(pg::Connection &conn, const QString &cliPath, const QString &repoDir,
                                    const QString &server, const CancelToken *cancel = nullptr, const QStringList &repoOptions = {});

struct ArchivingOutcome {
    bool reloaded = false;
    bool restartNeeded = false;  // pending_restart after the reload
};

// Runs the plan's statements and reloads the configuration.
Result<ArchivingOutcome> applyArchiving(pg::Connection &conn, const ArchivingPlan &plan,
                                        const CancelToken *cancel = nullptr);

} // namespace pga::engine
