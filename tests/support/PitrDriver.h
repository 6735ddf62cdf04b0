#pragma once

#include "PitrWorkload.h"
#include "core/Result.h"
#include "pg/LocalCluster.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace pga::test {

// Where a PITR proof keeps things: our CLI, the repository the source archives into, and a
// directory the server's OS user can write (backups, restored data directories, logs).
struct PitrEnv {
    QString cli;          // pgarchivist-cli
    QString repo;
    QString server = QStringLiteral("main");
    QString workDir;
};

// How a PITR proof takes the base backup and turns it into a data directory that recovers to a
// target. The harness does the rest the same way for every driver: it starts the directory on a
// free port, waits until recovery stops at the target, and compares the state.
class PitrDriver {
public:
    virtual ~PitrDriver() = default;
    virtual QString name() const = 0;
    // Empty when the driver can run in this build; otherwise why not (the test skips, saying so).
    virtual QString unavailable() = 0;
    // Base backup of the running source (conninfo as the superuser over its unix socket).
    virtual Status backup(const pg::LocalCluster &source) = 0;
    // Materializes targetDir (must not exist yet) from the backup with recovery settings for `target`.
    // *unavailable is set (and an error returned) when the build has no way to do it yet.
    virtual Status restore(const RecoveryTarget &target, const QString &targetDir, QString *unavailable) = 0;
};

// (1) The product: `pgarchivist-cli backup` and `pgarchivist-cli restore`.
std::unique_ptr<PitrDriver> makeCliDriver(const PitrEnv &env);
// (2) pg_basebackup -X none for the base backup, recovery settings written by the harness, and
//     restore_command = our archive-get: proves the harness and that archive-get replays to any target.
std::unique_ptr<PitrDriver> makeBaseBackupDriver(const PitrEnv &env);

// A restored data directory started by the harness on a free port.
class RestoredServer {
public:
    // Appends port (and archive_mode = off unless keepArchiving: a test restore must never push
    // a new timeline into the repository) to postgresql.conf and starts the server.
    static Result<std::unique_ptr<RestoredServer>> start(const QString &dataDir, const QString &socketDir,
                                                          bool keepArchiving = false);
    ~RestoredServer();

    pg::LocalCluster &cluster() { return *m_cluster; }
    QString conninfo() const { return m_cluster->conninfo(); }
    // Waits until recovery stopped at its target: paused there (action pause) or promoted (promote).
    // Fails early, with the server log, when the server stops (e.g. the target was never reached).
    Status waitForTarget(const QString &action, int timeoutMs = 120000);
    QString logTail(int lines = 25) const { return m_cluster->logTail(lines); }
    Status stop();

private:
    RestoredServer() = default;
    std::unique_ptr<pg::LocalCluster> m_cluster;
};

// Runs a program as ourselves with a timeout; exitCode -1 when it could not run or timed out.
struct CliRun {
    int exitCode = -1;
    QString out, err;
};
CliRun runCli(const QString &program, const QStringList &args, int timeoutMs = 300000);

} // namespace pga::test
