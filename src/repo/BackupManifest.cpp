#include "BackupManifest.h"

#include "DurableFile.h"
#include "core/Sha256.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace pga::repo {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
const QString kServerManifest = QStringLiteral("backup_manifest");

QString typeName(BackupFileEntry::Type t)
{
    switch (t) {
    case BackupFileEntry::Type::Directory:
        return QStringLiteral("dir");
    case BackupFileEntry::Type::Symlink:
        return QStringLiteral("link");
    default:
        return QStringLiteral("file");
    }
}

QJsonValue iso(const QDateTime &t) { return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(); }

} // namespace

QByteArray BackupManifest::toJsonBytes() const
{
    QJsonArray tbs;
    for (const BackupTablespace &t : tablespaces)
        tbs.append(QJsonObject{{QStringLiteral("oid"), qint64(t.oid)}, {QStringLiteral("location"), t.location}});
    const QJsonObject head{{QStringLiteral("format"), kFormat},
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
                           {QStringLiteral("backup_manifest_sha256"), backupManifestSha256},
                           {QStringLiteral("tablespaces"), tbs}};
    // The file list is written as text directly, one entry at a time: a QJsonArray of every chunk id would hold
    // the whole backup's list a second time, in a larger form, just to print it.
    QByteArray out = QJsonDocument(head).toJson(QJsonDocument::Compact);
    out.chop(1);  // the closing brace; "files" follows
    out.reserve(out.size() + qsizetype(chunkCount) * 67 + files.size() * 96);
    out += ",\"files\":[";
    for (qsizetype i = 0; i < files.size(); ++i) {
        const BackupFileEntry &f = files[i];
        QJsonObject o{{QStringLiteral("path"), f.path}, {QStringLiteral("type"), typeName(f.type)},
                      {QStringLiteral("mode"), qint64(f.mode)}, {QStringLiteral("mtime"), f.mtime}};
        if (f.tablespace)
            o.insert(QStringLiteral("tablespace"), qint64(f.tablespace));
        if (f.type == BackupFileEntry::Type::File)
            o.insert(QStringLiteral("size"), f.size);
        if (f.type == BackupFileEntry::Type::Symlink)
            o.insert(QStringLiteral("link"), f.link);
        if (i > 0)
            out += ',';
        out += QJsonDocument(o).toJson(QJsonDocument::Compact);
        if (f.type == BackupFileEntry::Type::File) {
            out.chop(1);
            out += ",\"chunks\":[";
            for (qsizetype c = 0; c < f.chunks.size(); ++c) {
                if (c > 0)
                    out += ',';
                out += '"';
                out += f.chunks[c].hex().toLatin1();
                out += '"';
            }
            out += "]}";
        }
    }
    out += "]}";
    return out;
}

Result<BackupManifest> BackupManifest::fromJson(const QJsonObject &o)
{
    const int format = o.value(QStringLiteral("format")).toInt();
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
    const QJsonArray fs = o.value(QStringLiteral("files")).toArray();
    m.files.reserve(fs.size());
    for (const QJsonValue &v : fs) {
        const QJsonObject f = v.toObject();
        BackupFileEntry e;
        e.path = f.value(QStringLiteral("path")).toString();
        const QString type = f.value(QStringLiteral("type")).toString();
        e.type = type == QLatin1String("dir") ? BackupFileEntry::Type::Directory
                 : type == QLatin1String("link") ? BackupFileEntry::Type::Symlink
                                                 : BackupFileEntry::Type::File;
        e.tablespace = quint32(f.value(QStringLiteral("tablespace")).toInteger());
        e.mode = quint32(f.value(QStringLiteral("mode")).toInteger());
        e.mtime = f.value(QStringLiteral("mtime")).toInteger();
        e.size = f.value(QStringLiteral("size")).toInteger();
        e.link = f.value(QStringLiteral("link")).toString();
        const QJsonArray chunks = f.value(QStringLiteral("chunks")).toArray();
        e.chunks.reserve(chunks.size());
        for (const QJsonValue &c : chunks) {
            const auto id = ChunkId::fromHex(c.toString());
            if (!id)
                return Error(Error::Code::Corrupt, QStringLiteral("The manifest of backup %1 is damaged: %2 names a chunk '%3', "
                                                                  "which is not a SHA-256.")
                                                       .arg(m.id, e.path, c.toString()));
            e.chunks << *id;
        }
        if (e.type == BackupFileEntry::Type::File && m.chunkSize > 0
            && e.chunks.size() != (e.size + m.chunkSize - 1) / m.chunkSize)
            return Error(Error::Code::Corrupt, QStringLiteral("The manifest of backup %1 is inconsistent: %2 has %3 bytes but %4 chunks.")
                                                   .arg(m.id, e.path).arg(e.size).arg(e.chunks.size()));
        m.files << e;
    }
    if (m.id.isEmpty() || !m.stopLsn.isValid() || m.chunkSize <= 0 || m.files.isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("The backup manifest lacks required fields (id, stop_lsn, chunk_size, files)."));
    return m;
}

QHash<ChunkId, qint64> BackupManifest::chunkSizes() const
{
    QHash<ChunkId, qint64> out;
    for (const BackupFileEntry &f : files)
        for (qsizetype i = 0; i < f.chunks.size(); ++i)
            out.insert(f.chunks[i], std::min(chunkSize, f.size - qint64(i) * chunkSize));
    return out;
}

QString BackupCatalog::dir(const QString &id) const { return m_repo.backupsDir(m_server) + QLatin1Char('/') + id; }

QStringList BackupCatalog::ids() const
{
    QStringList out;
    const QDir d(m_repo.backupsDir(m_server));
    for (const QString &id : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFileInfo::exists(d.filePath(id + QLatin1Char('/') + kManifest)))
            out << id;
    return out;
}

QStringList BackupCatalog::unfinishedIds() const
{
    QStringList out;
    const QDir d(m_repo.backupsDir(m_server));
    for (const QString &id : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name))
        if (!QFileInfo::exists(d.filePath(id + QLatin1Char('/') + kManifest)))
            out << id;
    return out;
}

Result<BackupManifest> BackupCatalog::read(const QString &id) const
{
    const QString path = dir(id) + QLatin1Char('/') + kManifest;
    auto data = readWholeFile(path, qint64(1) << 30);
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

Result<QByteArray> BackupCatalog::readServerManifest(const QString &id) const
{
    return readWholeFile(dir(id) + QLatin1Char('/') + kServerManifest, qint64(1) << 30);
}

Status BackupCatalog::publish(const BackupManifest &m, const QByteArray &serverManifest) const
{
    const QString d = dir(m.id);
    if (Status s = makeDirectoryDurably(d); !s)
        return s;
    if (Status s = writeFileDurably(d + QLatin1Char('/') + kServerManifest, serverManifest); !s)
        return s;
    return writeFileDurably(d + QLatin1Char('/') + kManifest, m.toJsonBytes());
}

Status BackupCatalog::remove(const QString &id) const
{
    const QString d = dir(id);
    const QString manifest = d + QLatin1Char('/') + kManifest;
    if (QFileInfo::exists(manifest)) {
        if (!QFile::remove(manifest))
            return Error(Error::Code::Io, QStringLiteral("Could not remove %1.").arg(manifest));
        if (Status s = syncDirectory(d); !s)
            return s;
    }
    if (!QDir(d).removeRecursively())
        return Error(Error::Code::Io, QStringLiteral("Could not remove the backup directory %1.").arg(d));
    return syncDirectory(m_repo.backupsDir(m_server));
}

QString BackupCatalog::makeId(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z-F'"));
}

} // namespace pga::repo
