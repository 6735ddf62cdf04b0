#include "CatalogStore.h"
#include "ObjectStorage.h"

#include "BackupManifest.h"
#include "DurableFile.h"
#include "FileAccess.h"
#include "core/Sha256.h"
#include "core/Zstd.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace pga::repo {

QString CatalogStore::rollingDir() const { return m_repo.serverDir(m_server) + QStringLiteral("/catalog"); }

namespace {

// A snapshot file: the SHA-256 of the rest (hex) '\n', then the zstd-compressed JSON; checked before it is used.
QByteArray encodeFile(const CatalogSnapshot &s)
{
    const QByteArray body = zstd::compress(catalogSnapshotJson(s), 3);
    return Sha256::hexOf(body).toLatin1() + '\n' + body;
}

} // namespace

Status CatalogStore::writeInto(const QString &dir, const CatalogSnapshot &s) const
{
    return writeFileDurably(dir + QLatin1Char('/') + backupFileName(), encodeFile(s), Publish::Replace, m_repo.writeAs());
}

Result<CatalogSnapshot> CatalogStore::readFile(const QString &path)
{
    auto bytes = readWholeFile(path, qint64(1) << 30);
    if (!bytes)
        return bytes.error();
    if (bytes->size() < 65 || bytes->at(64) != '\n' ||
        Sha256::hexOf(bytes->constData() + 65, size_t(bytes->size() - 65)).toLatin1() != bytes->left(64))
        return Error(Error::Code::Corrupt, QStringLiteral("The catalog snapshot %1 is damaged (its checksum does not match).").arg(path));
    auto json = zstd::decompress(bytes->mid(65), size_t(1) << 31);
    if (!json)
        return Error(Error::Code::Corrupt, QStringLiteral("The catalog snapshot %1 is damaged.").arg(path), json.error().message);
    auto s = parseCatalogSnapshot(*json);
    if (!s)
        return Error(s.error().code, QStringLiteral("%1: %2").arg(path, s.error().message));
    return s;
}

namespace {

Result<QStringList> rollingFiles(const QString &dir)
{
    if (!isObjectPath(dir) && !QFileInfo::exists(dir))
        return QStringList();
    auto names = listDirectory(dir, EntryType::Files);
    if (!names)
        return names.error();
    QStringList out;
    for (const QString &n : *names)
        if (n.endsWith(QLatin1String(".json.zst")))
            out << n;
    out.sort();  // names are UTC times
    return out;
}

} // namespace

Result<bool> CatalogStore::addRolling(const CatalogSnapshot &s) const
{
    const QString dir = rollingDir();
    auto files = rollingFiles(dir);
    if (!files)
        return files.error();
    if (!files->isEmpty())
        if (auto newest = readFile(dir + QLatin1Char('/') + files->last()); newest && newest->sameCatalog(s))
            return false;
    if (Status st = makeDirectoryDurably(dir, m_repo.writeAs()); !st)
        return st.error();
    const QString path = dir + QLatin1Char('/') + s.takenUtc.toUTC().toString(QStringLiteral("yyyyMMddTHHmmsszzz")) + QStringLiteral("Z.json.zst");
    if (Status st = writeFileDurably(path, encodeFile(s), Publish::Replace, m_repo.writeAs()); !st)
        return st.error();
    return true;
}

Result<std::vector<CatalogSnapshot>> CatalogStore::loadAll(QStringList *damaged) const
{
    std::vector<CatalogSnapshot> out;
    auto take = [&](const QString &path) -> Status {
        auto s = readFile(path);
        if (s) {
            out.push_back(std::move(*s));
            return {};
        }
        if (s.error().code == Error::Code::NotFound)
            return {};
        if (s.error().code == Error::Code::Corrupt || s.error().code == Error::Code::Unsupported) {
            if (damaged)
                *damaged << s.error().message;
            return {};
        }
        return s.error();
    };
    BackupCatalog backups(m_repo, m_server);
    auto ids = backups.ids();
    if (!ids)
        return ids.error();
    for (const QString &id : *ids)
        if (Status st = take(backups.dir(id) + QLatin1Char('/') + backupFileName()); !st)
            return st.error();
    auto files = rollingFiles(rollingDir());
    if (!files)
        return files.error();
    for (const QString &f : *files)
        if (Status st = take(rollingDir() + QLatin1Char('/') + f); !st)
            return st.error();
    std::stable_sort(out.begin(), out.end(), [](const CatalogSnapshot &a, const CatalogSnapshot &b) { return a.takenUtc < b.takenUtc; });
    return out;
}

Result<int> CatalogStore::pruneRolling(const QDateTime &before) const
{
    auto files = rollingFiles(rollingDir());
    if (!files)
        return files.error();
    const QString cutoff = before.toUTC().toString(QStringLiteral("yyyyMMddTHHmmsszzz")) + QLatin1Char('Z');
    int older = 0;
    for (const QString &f : *files)
        if (f < cutoff)
            ++older;
    int removed = 0;
    for (int i = 0; i + 1 < older; ++i)
        if (isObjectPath(rollingDir()) ? bool(object::remove(rollingDir() + QLatin1Char('/') + files->at(i)))
                                       : QFile::remove(rollingDir() + QLatin1Char('/') + files->at(i)))
            ++removed;
    return removed;
}

} // namespace pga::repo
