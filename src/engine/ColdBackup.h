#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/BackupManifest.h"

#include <QString>

namespace pga::engine {

struct ColdBackupOptions {
    QString repoDir;
    QString server;
    QString dataDir;
    QString configDir;             // Debian: /etc/postgresql/N/NAME (postgresql.conf and friends live there)
    QString label;
    int jobs = 2;
    int compressLevel = 1;
    qint64 chunkSize = qint64(1) << 20;
};

// What pg_controldata says about a data directory, and whether its server runs.
struct ClusterState {
    QString state;                 // "shut down", "in production", …
    quint64 systemIdentifier = 0;
    int pgVersionNum = 0;          // major * 10000 (from PG_VERSION)
    quint32 timeline = 0;
    QString checkpointLsn;
    bool checksums = false;
    qint64 runningPid = 0;         // from postmaster.pid when that process lives
};
Result<ClusterState> readClusterState(const QString &dataDir);

// A file-system backup of a local cluster that is shut down: every file of the data directory, its tablespaces
// and the configuration directory, cut into the chunk store (so it shares chunks with base backups), with
// pg_checksums --check first when data checksums are on. Refuses a running or crashed cluster with the reason.
// Restored by ID, it needs no WAL and no recovery settings.
class ColdBackup {
public:
    explicit ColdBackup(ColdBackupOptions o) : m_o(std::move(o)) {}
    Result<repo::BackupManifest> run(ProgressSink &progress, const CancelToken &cancel);

private:
    ColdBackupOptions m_o;
};

} // namespace pga::engine
