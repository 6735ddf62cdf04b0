#pragma once

// Internal to Restore: writing a backup's files into a data directory.
#include "Restore.h"
#include "repo/BackupManifest.h"

#include <sys/types.h>

namespace pga::engine {

struct MaterializeRequest {
    const RestoreOptions &options;
    const repo::BackupManifest &manifest;
    const repo::BackupCatalog &catalog;   // the file list is read from it as a stream, more than once
    QString chunksDir;
    QStringList recoverySettings;
    bool chown = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

Result<RestoreResult> materializeBackup(const MaterializeRequest &req, ProgressSink &progress, const CancelToken &cancel);

} // namespace pga::engine
