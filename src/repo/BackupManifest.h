#pragma once

#include "BackupFileList.h"
#include "Repository.h"
#include "core/ChunkId.h"
#include "core/Lsn.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>

namespace pga::repo {

struct BackupTablespace {
    quint32 oid = 0;
    QString location;          // where it was on the server
};

// REPO/servers/NAME/backups/ID/manifest.json (docs/repository-format.md, "Base backups"): what a backup is, in
// a few hundred bytes. Its members are in files.jsonl next to it (BackupFileListReader), read as a stream.
struct BackupManifest {
    static constexpr int kFormat = 2;
    QString id;
    QString label;
    QString server;
    quint64 systemIdentifier = 0;
    int pgVersionNum = 0;
    quint32 timeline = 0;
    Lsn startLsn, stopLsn;
    QDateTime startTimeUtc, stopTimeUtc;
    qint64 chunkSize = 0;
    int compressLevel = 0;
    qint64 logicalBytes = 0;       // bytes of all files
    qint64 newBytes = 0;           // compressed bytes this backup added to the chunk store
    qint64 newChunks = 0;
    qint64 chunkCount = 0;         // chunk references (with repeats)
    QString backupManifestSha256;  // of backup_manifest (the server's own)
    qint64 fileCount = 0;          // entries (files, directories, links) in files.jsonl
    QString fileListSha256;        // of files.jsonl
    QList<BackupTablespace> tablespaces;
    // "base": taken online over the replication protocol (needs its WAL); "cold": the files of a cluster that was shut
    // down, consistent as they are (no backup_manifest, no WAL, no recovery settings on restore).
    QString kind = QStringLiteral("base");
    QString configDir;             // cold backups: the configuration directory outside the data directory (Debian)
    // Files of configDir are entries of this pseudo tablespace (it has no pg_tblspc link).
    static constexpr quint32 kConfigTablespace = 0xFFFFFFFEu;
    // "snapshot": pg_backup_start, the user's snapshot command, pg_backup_stop. The files are in the snapshot; the
    // backup holds backup_label and tablespace_map (its file list) and the command's output naming the snapshot.
    QString snapshotId;
    QString snapshotCommand;
    bool isCold() const { return kind == QLatin1String("cold"); }
    bool isSnapshot() const { return kind == QLatin1String("snapshot"); }
    // Base backups carry the server's backup_manifest; cold and snapshot backups have none.
    bool hasServerManifest() const { return kind == QLatin1String("base"); }

    QByteArray toJsonBytes() const;
    static Result<BackupManifest> fromJson(const QJsonObject &o);
};

// The backups of one server: published (manifest.json present) or leftovers of an interrupted backup.
class BackupCatalog {
public:
    BackupCatalog(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}

    const Repository &repository() const { return m_repo; }
    QString server() const { return m_server; }
    QString dir(const QString &id) const;
    QString fileListPath(const QString &id) const;
    QString serverManifestPath(const QString &id) const;
    // IDs of published backups, oldest first (IDs sort by time). A directory that cannot be listed or a backup
    // that cannot be looked into is an error (FileAccess.h), never an empty catalog.
    Result<QStringList> ids() const;
    // Directories of backups that never published their manifest (killed, cancelled, failed).
    Result<QStringList> unfinishedIds() const;
    // Corrupt with the backup and the reason when manifest.json is damaged or truncated.
    Result<BackupManifest> read(const QString &id) const;
    // The backup's members, one at a time (the count and checksum are checked at the end).
    Result<BackupFileListReader> files(const BackupManifest &m) const;
    // Calls fn for each member in order; stops at the first error, fn's or the list's.
    Status forEachFile(const BackupManifest &m, const std::function<Status(BackupFileEntry &)> &fn) const;
    // SHA-256 of the stored backup_manifest, read as a stream.
    Result<QString> serverManifestSha256(const QString &id) const;
    // The directory of a backup being written (files.jsonl and backup_manifest go there first).
    Status begin(const QString &id) const;
    // Writes manifest.json last: the backup becomes visible only now. The caller must have made files.jsonl,
    // backup_manifest and every referenced chunk durable first.
    Status publish(const BackupManifest &m) const;
    // Unpublishes (manifest.json first, durably) and removes the directory.
    Status remove(const QString &id) const;

    // "20261125T155600Z-F": sortable by time.
    static QString makeId(const QDateTime &utc);

private:
    Result<QStringList> listBackups(bool published) const;
    Repository m_repo;
    QString m_server;
};

} // namespace pga::repo
