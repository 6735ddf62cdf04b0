#include "BackupManifest.h"
#include "ContentReader.h"
#include "ObjectStorage.h"
#include "FileAccess.h"

#include "DurableFile.h"
#include "core/Sha256.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace pga::repo {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
const QString kServerManifest = QStringLiteral("backup_manifest");
const QString kFileList = QStringLiteral("files.jsonl");

QJsonValue iso(const QDateTime &t) { return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(); }

} // namespace

QByteArray BackupManifest::toJsonBytes() const
{
    QJsonArray tbs;
    for (const BackupTablespace &t : tablespaces)
        tbs.append(QJsonObject{{QStringLiteral("oid"), qint64(t.oid)}, {QStringLiteral("location"), t.location}});
    QJsonObject o{{QStringLiteral("format"), kFormat},
                        {QStringLiteral("id"), id},
                        {QStringLiteral("label"), label},
                        {QStringLiteral("server"), server},
                        {QStringLiteral("system_identifier"), QString::number(systemIdentifier)},
                        {QStringLiteral("pg_version_num"), pgVersionNum},
                        {QStringLiteral("timeline"), qint64(timeline)},
                        {QStringLiteral("start_lsn"), startLsn.toString()},
                        {QStringLiteral("stop_lsn"), stopLsn.toString()},
                        {QStringLiteral("start_time"), iso(startTimeUtc)},
                        {QStringLiteral("stop_time"), iso(stopTimeUtc)},
                        {QStringLiteral("chunk_size"), chunkSize},
                        {QStringLiteral("compression"), QStringLiteral("zstd")},
                        {QStringLiteral("compress_level"), compressLevel},
                        {QStringLiteral("logical_bytes"), logicalBytes},
                        {QStringLiteral("new_bytes"), newBytes},
                        {QStringLiteral("new_chunks"), newChunks},
                        {QStringLiteral("chunk_count"), chunkCount},
                        {QStringLiteral("file_count"), fileCount},
                        {QStringLiteral("file_list_sha256"), fileListSha256},
                        {QStringLiteral("backup_manifest_sha256"), backupManifestSha256},
                        {QStringLiteral("tablespaces"), tbs}};
    // Base backups written before cold backups existed have no "kind"; readers take them as "base".
    if (kind != QLatin1String("base"))
        o.insert(QStringLiteral("kind"), kind);
    if (!configDir.isEmpty())
        o.insert(QStringLiteral("config_dir"), configDir);
    if (kind == QLatin1String("snapshot")) {
        o.insert(QStringLiteral("snapshot_id"), snapshotId);
        o.insert(QStringLiteral("snapshot_command"), snapshotCommand);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<BackupManifest> BackupManifest::fromJson(const QJsonObject &o)
{
    const int format = o.value(QStringLiteral("format")).toInt();
    if (format == 1)
        return Error(Error::Code::Unsupported, QStringLiteral("The backup was written by a pre-release build of pgArchivist (manifest "
                                                              "format 1); this build reads format %1. Take a new backup.").arg(kFormat));
    if (format != kFormat)
        return Error(Error::Code::Unsupported,
                     QStringLiteral("The backup manifest has format %1; this pgArchivist reads format %2 only.").arg(format).arg(kFormat));
    BackupManifest m;
    m.id = o.value(QStringLiteral("id")).toString();
    m.label = o.value(QStringLiteral("label")).toString();
    m.server = o.value(QStringLiteral("server")).toString();
    m.systemIdentifier = o.value(QStringLiteral("system_identifier")).toString().toULongLong();
    m.pgVersionNum = o.value(QStringLiteral("pg_version_num")).toInt();
    m.timeline = quint32(o.value(QStringLiteral("timeline")).toInteger());
    m.startLsn = Lsn::parse(o.value(QStringLiteral("start_lsn")).toString()).value_or(Lsn());
    m.stopLsn = Lsn::parse(o.value(QStringLiteral("stop_lsn")).toString()).value_or(Lsn());
    m.startTimeUtc = QDateTime::fromString(o.value(QStringLiteral("start_time")).toString(), Qt::ISODateWithMs);
    m.stopTimeUtc = QDateTime::fromString(o.value(QStringLiteral("stop_time")).toString(), Qt::ISODateWithMs);
    m.chunkSize = o.value(QStringLiteral("chunk_size")).toInteger();
    m.compressLevel = o.value(QStringLiteral("compress_level")).toInt();
    m.logicalBytes = o.value(QStringLiteral("logical_bytes")).toInteger();
    m.newBytes = o.value(QStringLiteral("new_bytes")).toInteger();
    m.newChunks = o.value(QStringLiteral("new_chunks")).toInteger();
    m.chunkCount = o.value(QStringLiteral("chunk_count")).toInteger();
    m.backupManifestSha256 = o.value(QStringLiteral("backup_manifest_sha256")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("tablespaces")).toArray())
        m.tablespaces << BackupTablespace{quint32(v[QStringLiteral("oid")].toInteger()), v[QStringLiteral("location")].toString()};
    m.fileCount = o.value(QStringLiteral("file_count")).toInteger();
    m.fileListSha256 = o.value(QStringLiteral("file_list_sha256")).toString();
    m.kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("base"));
    m.configDir = o.value(QStringLiteral("config_dir")).toString();
    m.snapshotId = o.value(QStringLiteral("snapshot_id")).toString();
    m.snapshotCommand = o.value(QStringLiteral("snapshot_command")).toString();
    if (m.kind != QLatin1String("base") && m.kind != QLatin1String("cold") && m.kind != QLatin1String("snapshot"))
        return Error(Error::Code::Unsupported, QStringLiteral("The backup is of kind '%1', which this pgArchivist does not know.").arg(m.kind));
    if (m.id.isEmpty() || !m.stopLsn.isValid() || m.chunkSize <= 0 || m.fileCount <= 0 || m.fileListSha256.size() != 64)
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The backup manifest lacks required fields (id, stop_lsn, chunk_size, file_count, file_list_sha256)."));
    return m;
}

QString BackupCatalog::dir(const QString &id) const { return m_repo.backupsDir(m_server) + QLatin1Char('/') + id; }
QString BackupCatalog::fileListPath(const QString &id) const { return dir(id) + QLatin1Char('/') + kFileList; }
QString BackupCatalog::serverManifestPath(const QString &id) const { return dir(id) + QLatin1Char('/') + kServerManifest; }

Result<QStringList> BackupCatalog::ids() const
{
    return listBackups(true);
}

Result<QStringList> BackupCatalog::unfinishedIds() const
{
    return listBackups(false);
}

Result<QStringList> BackupCatalog::listBackups(bool published) const
{
    const QString root = m_repo.backupsDir(m_server);
    auto dirs = listDirectory(root, EntryType::Directories, !published);
    if (!dirs)
        return dirs.error();
    QStringList out;
    for (const QString &id : *dirs) {
        // A backup we cannot look into is an error, never "not there": expire would count its chunks unreferenced.
        auto has = pathExists(root + QLatin1Char('/') + id + QLatin1Char('/') + kManifest);
        if (!has)
            return has.error();
        if (*has == published)
            out << id;
    }
    return out;
}

Result<BackupManifest> BackupCatalog::read(const QString &id) const
{
    const QString path = dir(id) + QLatin1Char('/') + kManifest;
    auto data = readWholeFile(path, qint64(16) << 20);
    if (!data) {
        if (data.error().code == Error::Code::NotFound)
            return Error(Error::Code::NotFound, QStringLiteral("The repository has no backup '%1' for server '%2'. Run 'pgarchivist-cli info' for the list.")
                                                    .arg(id, m_server));
        return data.error();
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The manifest of backup %1 is damaged (%2 at byte %3 of %4; truncated?): %5. This backup cannot be used; "
                                    "restore another backup or take a new one.")
                         .arg(id, pe.errorString()).arg(pe.offset).arg(data->size()).arg(path));
    auto m = BackupManifest::fromJson(doc.object());
    if (!m)
        return Error(m.error().code, QStringLiteral("Backup %1: %2").arg(id, m.error().message), path);
    if (m->id != id)
        return Error(Error::Code::Corrupt, QStringLiteral("The manifest in %1 names backup %2.").arg(path, m->id));
    return m;
}

Result<BackupFileListReader> BackupCatalog::files(const BackupManifest &m) const
{
    return BackupFileListReader::open(fileListPath(m.id), {m.id, m.fileCount, m.fileListSha256, m.chunkSize});
}

Status BackupCatalog::forEachFile(const BackupManifest &m, const std::function<Status(BackupFileEntry &)> &fn) const
{
    auto list = files(m);
    if (!list)
        return list.error();
    BackupFileEntry e;
    for (;;) {
        auto more = list->next(e);
        if (!more)
            return more.error();
        if (!*more)
            return {};
        if (Status s = fn(e); !s)
            return s;
    }
}

Result<QString> BackupCatalog::serverManifestSha256(const QString &id) const
{
    const QString path = serverManifestPath(id);
    auto missing = [&] {
        return Error(Error::Code::Corrupt, QStringLiteral("Backup %1 is damaged: its backup_manifest (%2) is missing. This backup "
                                                          "cannot be used; restore another backup or take a new one.")
                                               .arg(id, path));
    };
    auto r = ContentReader::open(path);
    if (!r && r.error().code == Error::Code::NotFound)
        return missing();
    if (!r)
        return r.error();
    Sha256 sha;
    for (;;) {
        auto piece = (*r)->read(1 << 20);
        if (!piece && piece.error().code == Error::Code::NotFound)
            return missing();
        if (!piece)
            return piece.error();
        if (piece->isEmpty())
            break;
        sha.add(*piece);
    }
    return sha.finishHex();
}

Status BackupCatalog::begin(const QString &id) const { return makeDirectoryDurably(dir(id), m_repo.writeAs()); }

Status BackupCatalog::publish(const BackupManifest &m) const
{
    return writeFileDurably(dir(m.id) + QLatin1Char('/') + kManifest, m.toJsonBytes(), Publish::Replace, m_repo.writeAs());
}

Status BackupCatalog::remove(const QString &id) const
{
    return removePublishedDirectory(dir(id), kManifest, QStringLiteral("the backup directory"));
}

QString BackupCatalog::makeId(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z-F'"));
}

} // namespace pga::repo
