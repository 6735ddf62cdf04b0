#pragma once

#include "Restore.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/BackupManifest.h"

#include <QString>

namespace pga::engine {

struct SnapshotBackupOptions {
    QString repoDir;
    QString server;
    QString conninfo;          // a normal connection: pg_backup_start and pg_backup_stop share its session
    QString password;
    QString label;
    QString command;           // run by /bin/sh; its standard output names the snapshot
    bool fastCheckpoint = true;
    int archiveTimeoutSec = 60;
    int compressLevel = 1;
    qint64 chunkSize = qint64(1) << 20;
};

// backup --snapshot-command: pg_backup_start, the user's snapshot command (LVM, ZFS, a cloud volume snapshot), then
// pg_backup_stop. The command gets PGARCHIVIST_BACKUP_ID, PGARCHIVIST_BACKUP_LABEL, PGARCHIVIST_START_LSN,
// PGARCHIVIST_SERVER and PGARCHIVIST_DATA_DIRECTORY; a non-zero exit fails the backup (backup mode is ended either
// way). The catalog entry (kind "snapshot") holds backup_label and tablespace_map as its files and the command's
// output as the snapshot's identifier; it is published once the WAL from start to stop is archived, like any backup.
Result<repo::BackupManifest> takeSnapshotBackup(const SnapshotBackupOptions &o, ProgressSink &progress, const CancelToken &cancel);

// Restore of a snapshot entry: the snapshot must be mounted (or cloned) at targetDir already. Refuses an empty
// directory with what to mount, and a directory of another cluster; then writes backup_label, tablespace_map, the
// recovery settings and recovery.signal (standby.signal for a standby) into it and removes postmaster.pid.
Result<RestoreResult> restoreSnapshot(const RestoreOptions &o, const repo::BackupManifest &m, const repo::BackupCatalog &catalog,
                                      const QStringList &settings, ProgressSink &progress);

} // namespace pga::engine
