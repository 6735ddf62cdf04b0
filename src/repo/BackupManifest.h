#pragma once

#include "Repository.h"
#include "core/ChunkId.h"
#include "core/Lsn.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace pga::repo {

// One member of a base backup. Files are cut into chunks of the manifest's chunkSize (the last may be
// shorter); each chunk is named by the SHA-256 of its bytes and lives in the ChunkStore.
struct BackupFileEntry {
    enum class Type { File, Directory, Symlink };
    QString path;              // relative to the archive's root (the data directory or the tablespace)
    quint32 tablespace = 0;    // 0: the data directory, else the tablespace OID
    Type type = Type::File;
    quint32 mode = 0600;
    qint64 mtime = 0;
    qint64 size = 0;
    QString link;              // symlinks
    QList<ChunkId> chunks;     // SHA-256 of each chunk, in order (lower-case hex in the file)
};

struct BackupTablespace {
    quint32 oid = 0;
    QString location;          // where it was on the server
};

// REPO/servers/NAME/backups/ID/manifest.json (docs/repository-format.md, "Base backups").
struct BackupManifest {
    static constexpr int kFormat = 1;
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
    QList<BackupTablespace> tablespaces;
    QList<BackupFileEntry> files;

    // manifest.json's text (compact JSON), written without building the whole document in memory first.
    QByteArray toJsonBytes() const;
    static Result<BackupManifest> fromJson(const QJsonObject &o);
    // Distinct chunk hashes with their original sizes.
    QHash<ChunkId, qint64> chunkSizes() const;
};

// The backups of one server: published (manifest.json present) or leftovers of an interrupted backup.
class BackupCatalog {
public:
    BackupCatalog(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}

    QString dir(const QString &id) const;
    // IDs of published backups, oldest first (IDs sort by time).
    QStringList ids() const;
    // Directories of backups that never published their manifest (killed, cancelled, failed).
    QStringList unfinishedIds() const;
    // Corrupt with the backup and the reason when manifest.json is damaged or truncated.
    Result<BackupManifest> read(const QString &id) const;
    Result<QByteArray> readServerManifest(const QString &id) const;
    // Writes the server's backup_manifest, then manifest.json last: the backup becomes visible only now.
    // The caller must have made every referenced chunk durable first.
    Status publish(const BackupManifest &m, const QByteArray &serverManifest) const;
    // Unpublishes (manifest.json first, durably) and removes the directory.
    Status remove(const QString &id) const;

    // "20261125T155600Z-F": sortable by time.
    static QString makeId(const QDateTime &utc);

private:
    Repository m_repo;
    QString m_server;
};

} // namespace pga::repo
