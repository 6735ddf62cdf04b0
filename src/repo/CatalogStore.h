#pragma once

#include "Repository.h"
#include "core/CatalogSnapshot.h"
#include "core/Result.h"

#include <QStringList>

#include <vector>

namespace pga::repo {

// Where catalog snapshots live (docs/repository-format.md, "Catalog snapshots"): one beside each base backup
// (backups/ID/catalog.json.zst) and the rolling ones the app takes while it samples a server
// (servers/NAME/catalog/TIME.json.zst; a new file only when the catalog changed).
class CatalogStore {
public:
    CatalogStore(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}

    static QString backupFileName() { return QStringLiteral("catalog.json.zst"); }
    QString rollingDir() const;
    // Into an unpublished backup's directory (published with it).
    Status writeInto(const QString &dir, const CatalogSnapshot &s) const;
    // Adds a rolling snapshot unless the newest one already has this catalog; true when a file was written.
    Result<bool> addRolling(const CatalogSnapshot &s) const;
    // Every snapshot (the published backups' and the rolling ones), oldest first. A damaged file is skipped and
    // named in *damaged, so one bad file does not hide the names the others hold.
    Result<std::vector<CatalogSnapshot>> loadAll(QStringList *damaged = nullptr) const;
    // Removes rolling snapshots taken before `before`, keeping the newest of those (it still names what the
    // oldest retained WAL changes). Returns how many were removed.
    Result<int> pruneRolling(const QDateTime &before) const;

    static Result<CatalogSnapshot> readFile(const QString &path);

private:
    Repository m_repo;
    QString m_server;
};

} // namespace pga::repo
