#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/BackupManifest.h"

#include <QString>

namespace pga::engine {

struct BaseBackupOptions {
    QString repoDir;
    QString server;
    QString conninfo;               // a replication connection is made from it
    QString password;               // from the keychain (GUI); the CLI leaves it to libpq
    QString label;                  // default "pgarchivist ID"
    int jobs = 2;                   // hashing/compressing workers
    int compressLevel = 1;          // zstd
    bool fastCheckpoint = true;
    int archiveTimeoutSec = 60;     // how long to wait for the WAL that makes the backup consistent
    qint64 chunkSize = 0;           // 0: 1 MiB on a file system, 4 MiB on object storage (a request per chunk)
    int maxRateKb = 0;              // server-side throttle (BASE_BACKUP MAX_RATE), 0: none
    // backup_manifest's file checksums. Every chunk already carries its SHA-256 (checked by restore and
    // verify), so by default the server spends no time on a second checksum; pg_verifybackup then checks
    // presence and sizes. CRC32C or SHA256 for sites whose procedures run pg_verifybackup with checksums.
    QString manifestChecksums = QStringLiteral("NONE");
};

// A full base backup over the replication protocol into the repository (docs/repository-format.md):
// the tar stream is parsed as it arrives, files are cut into chunks, N workers hash and compress them,
// and only chunks the store lacks are written. The backup is published (manifest.json) only after every
// chunk is durable and the WAL from its start to its stop position is in the archive. Holds the
// server's lock exclusively (serialized with expire) and the repository's chunk lock shared.
class BaseBackup {
public:
    explicit BaseBackup(BaseBackupOptions o) : m_o(std::move(o)) {}
    Result<repo::BackupManifest> run(ProgressSink &progress, const CancelToken &cancel);

private:
    BaseBackupOptions m_o;
};

} // namespace pga::engine
