#include "DumpCatalog.h"

#include "DurableFile.h"
#include "FileAccess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace pga::repo {

namespace {

const QString kManifest = QStringLiteral("manifest.json");

QJsonValue iso(const QDateTime &t) { return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(); }

QJsonObject fileJson(const DumpFile &f)
{
    return {{QStringLiteral("path"), f.path},
            {QStringLiteral("bytes"), f.bytes},
            {QStringLiteral("raw_bytes"), f.rawBytes},
            {QStringLiteral("sha256"), f.sha256}};
}

Result<DumpFile> fileFrom(const QJsonObject &o, const QString &where)
{
    DumpFile f;
    f.path = o.value(QStringLiteral("path")).toString();
    f.bytes = o.value(QStringLiteral("bytes")).toInteger(-1);
    f.rawBytes = o.value(QStringLiteral("raw_bytes")).toInteger(-1);
    f.sha256 = o.value(QStringLiteral("sha256")).toString();
    if (!DumpCatalog::safeRelativePath(f.path) || f.bytes < 0 || f.rawBytes < 0 || f.sha256.size() != 64)
        return Error(Error::Code::Corrupt, QStringLiteral("The dump manifest has a malformed file entry in %1.").arg(where));
    return f;
}

} // namespace

qint64 DumpManifest::storedBytes() const
{
    qint64 n = 0;
    for (const DumpFile &f : allFiles())
        n += f.bytes;
    return n;
}

qint64 DumpManifest::rawBytes() const
{
    qint64 n = 0;
    for (const DumpFile &f : allFiles())
        n += f.rawBytes;
    return n;
}

QList<DumpFile> DumpManifest::allFiles() const
{
    QList<DumpFile> out;
    if (hasGlobals)
        out << globals;
    for (const DumpDatabase &d : databases)
        out << d.files;
    return out;
}

const DumpDatabase *DumpManifest::database(const QString &name) const
{
    for (const DumpDatabase &d : databases)
        if (d.name == name)
            return &d;
    return nullptr;
}

QByteArray DumpManifest::toJsonBytes() const
{
    QJsonArray dbs;
    for (const DumpDatabase &d : databases) {
        QJsonArray files, tables;
        for (const DumpFile &f : d.files)
            files.append(fileJson(f));
        for (const DumpTable &t : d.tables)
            tables.append(QJsonObject{{QStringLiteral("schema"), t.schema},
                                      {QStringLiteral("name"), t.name},
                                      {QStringLiteral("bytes"), t.bytes},
                                      {QStringLiteral("rows"), t.rows}});
        dbs.append(QJsonObject{{QStringLiteral("name"), d.name},
                               {QStringLiteral("size_bytes"), d.sizeBytes},
                               {QStringLiteral("command"), d.command},
                               {QStringLiteral("seconds"), d.seconds},
                               {QStringLiteral("files"), files},
                               {QStringLiteral("tables"), tables}});
    }
    QJsonObject o{{QStringLiteral("format"), kFormat},
                  {QStringLiteral("kind"), QStringLiteral("dump")},
                  {QStringLiteral("id"), id},
                  {QStringLiteral("label"), label},
                  {QStringLiteral("server"), server},
                  {QStringLiteral("dump_format"), format},
                  {QStringLiteral("compression"), QStringLiteral("zstd")},
                  {QStringLiteral("system_identifier"), QString::number(systemIdentifier)},
                  {QStringLiteral("server_version_num"), serverVersionNum},
                  {QStringLiteral("pg_dump"), QJsonObject{{QStringLiteral("path"), dumpProgram}, {QStringLiteral("version_num"), dumpVersionNum}}},
                  {QStringLiteral("start_time"), iso(startTimeUtc)},
                  {QStringLiteral("stop_time"), iso(stopTimeUtc)},
                  {QStringLiteral("filters"), QJsonArray::fromStringList(filters)},
                  {QStringLiteral("databases"), dbs}};
    if (hasGlobals) {
        QJsonObject g = fileJson(globals);
        g.insert(QStringLiteral("command"), globalsCommand);
        o.insert(QStringLiteral("globals"), g);
        o.insert(QStringLiteral("pg_dumpall"), QJsonObject{{QStringLiteral("path"), dumpallProgram}, {QStringLiteral("version_num"), dumpallVersionNum}});
    }
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<DumpManifest> DumpManifest::fromJson(const QJsonObject &o)
{
    const int format = o.value(QStringLiteral("format")).toInt();
    if (format != kFormat)
        return Error(Error::Code::Unsupported, QStringLiteral("The dump manifest has format %1; this pgarchivist reads format %2. "
                                                              "Use the pgarchivist that wrote it.")
                                                   .arg(format)
                                                   .arg(kFormat));
    DumpManifest m;
    m.id = o.value(QStringLiteral("id")).toString();
    m.label = o.value(QStringLiteral("label")).toString();
    m.server = o.value(QStringLiteral("server")).toString();
    m.format = o.value(QStringLiteral("dump_format")).toString();
    m.systemIdentifier = o.value(QStringLiteral("system_identifier")).toString().toULongLong();
    m.serverVersionNum = o.value(QStringLiteral("server_version_num")).toInt();
    const QJsonObject pd = o.value(QStringLiteral("pg_dump")).toObject();
    m.dumpProgram = pd.value(QStringLiteral("path")).toString();
    m.dumpVersionNum = pd.value(QStringLiteral("version_num")).toInt();
    const QJsonObject pa = o.value(QStringLiteral("pg_dumpall")).toObject();
    m.dumpallProgram = pa.value(QStringLiteral("path")).toString();
    m.dumpallVersionNum = pa.value(QStringLiteral("version_num")).toInt();
    m.startTimeUtc = QDateTime::fromString(o.value(QStringLiteral("start_time")).toString(), Qt::ISODateWithMs);
    m.stopTimeUtc = QDateTime::fromString(o.value(QStringLiteral("stop_time")).toString(), Qt::ISODateWithMs);
    for (const QJsonValue &v : o.value(QStringLiteral("filters")).toArray())
        m.filters << v.toString();
    static const QStringList formats{QStringLiteral("custom"), QStringLiteral("directory"), QStringLiteral("plain")};
    if (m.id.isEmpty() || !formats.contains(m.format) || !m.startTimeUtc.isValid() || !m.stopTimeUtc.isValid())
        return Error(Error::Code::Corrupt, QStringLiteral("The dump manifest lacks its id, format or times."));
    if (o.contains(QStringLiteral("globals"))) {
        const QJsonObject g = o.value(QStringLiteral("globals")).toObject();
        auto f = fileFrom(g, QStringLiteral("globals"));
        if (!f)
            return f.error();
        m.hasGlobals = true;
        m.globals = *f;
        m.globalsCommand = g.value(QStringLiteral("command")).toString();
    }
    for (const QJsonValue &v : o.value(QStringLiteral("databases")).toArray()) {
        const QJsonObject d = v.toObject();
        DumpDatabase db;
        db.name = d.value(QStringLiteral("name")).toString();
        db.sizeBytes = d.value(QStringLiteral("size_bytes")).toInteger();
        db.command = d.value(QStringLiteral("command")).toString();
        db.seconds = d.value(QStringLiteral("seconds")).toDouble();
        if (db.name.isEmpty())
            return Error(Error::Code::Corrupt, QStringLiteral("The dump manifest has a database without a name."));
        for (const QJsonValue &fv : d.value(QStringLiteral("files")).toArray()) {
            auto f = fileFrom(fv.toObject(), db.name);
            if (!f)
                return f.error();
            db.files << *f;
        }
        if (db.files.isEmpty())
            return Error(Error::Code::Corrupt, QStringLiteral("The dump manifest lists no file for database %1.").arg(db.name));
        for (const QJsonValue &tv : d.value(QStringLiteral("tables")).toArray()) {
            const QJsonObject t = tv.toObject();
            db.tables << DumpTable{t.value(QStringLiteral("schema")).toString(), t.value(QStringLiteral("name")).toString(),
                                   t.value(QStringLiteral("bytes")).toInteger(), t.value(QStringLiteral("rows")).toInteger(-1)};
        }
        m.databases << db;
    }
    if (m.databases.isEmpty() && !m.hasGlobals)
        return Error(Error::Code::Corrupt, QStringLiteral("The dump manifest lists nothing."));
    return m;
}

bool DumpCatalog::safeRelativePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\0')) || path.contains(QLatin1Char('\n'))
        || path.contains(QLatin1Char('\\')))
        return false;
    for (const QString &part : path.split(QLatin1Char('/')))
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    return path != kManifest;
}

QString DumpCatalog::root() const { return m_repo.serverDir(m_server) + QStringLiteral("/dumps"); }
QString DumpCatalog::dir(const QString &id) const { return root() + QLatin1Char('/') + id; }
QString DumpCatalog::filePath(const QString &id, const QString &file) const { return dir(id) + QLatin1Char('/') + file; }

Result<QStringList> DumpCatalog::ids() const { return list(true); }
Result<QStringList> DumpCatalog::unfinishedIds() const { return list(false); }

Result<QStringList> DumpCatalog::list(bool published) const
{
    auto dirs = listDirectory(root(), EntryType::Directories, !published);
    if (!dirs)
        return dirs.error();
    QStringList out;
    for (const QString &id : *dirs) {
        auto has = pathExists(dir(id) + QLatin1Char('/') + kManifest);
        if (!has)
            return has.error();
        if (*has == published)
            out << id;
    }
    return out;
}

Result<DumpManifest> DumpCatalog::read(const QString &id) const
{
    const QString path = dir(id) + QLatin1Char('/') + kManifest;
    auto data = readWholeFile(path, qint64(64) << 20);
    if (!data) {
        if (data.error().code == Error::Code::NotFound)
            return Error(Error::Code::NotFound, QStringLiteral("The repository has no dump '%1' for server '%2'. Run 'pgarchivist-cli info' for the list.")
                                                    .arg(id, m_server));
        return data.error();
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error(Error::Code::Corrupt, QStringLiteral("The manifest of dump %1 is damaged (%2 at byte %3; truncated?): %4. This dump cannot be used.")
                                               .arg(id, pe.errorString())
                                               .arg(pe.offset)
                                               .arg(path));
    auto m = DumpManifest::fromJson(doc.object());
    if (!m)
        return Error(m.error().code, QStringLiteral("Dump %1: %2").arg(id, m.error().message), path);
    if (m->id != id)
        return Error(Error::Code::Corrupt, QStringLiteral("The manifest in %1 names dump %2.").arg(path, m->id));
    return m;
}

Status DumpCatalog::begin(const QString &id) const { return makeDirectoryDurably(dir(id), m_repo.writeAs()); }

Status DumpCatalog::publish(const DumpManifest &m) const
{
    return writeFileDurably(dir(m.id) + QLatin1Char('/') + kManifest, m.toJsonBytes(), Publish::Replace, m_repo.writeAs());
}

Status DumpCatalog::remove(const QString &id) const { return removePublishedDirectory(dir(id), kManifest, QStringLiteral("the dump directory")); }

QString DumpCatalog::makeId(const QDateTime &utc) { return utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z-D'")); }

} // namespace pga::repo
