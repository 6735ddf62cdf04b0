#pragma once

#include "Lsn.h"
#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <vector>

// The names WAL lacks: a server's databases and, per database, its relations with the file each is stored in,
// taken with every base backup and whenever the app samples the server (docs/repository-format.md, "Catalog
// snapshots"). The blunder finder names what a transaction dropped or changed from the newest snapshot that knew it.
namespace pga {

struct CatalogRelation {
    quint32 oid = 0;
    quint32 filenode = 0;      // pg_relation_filenode(); 0 for relations without storage (views, partitioned tables)
    quint32 tablespace = 0;    // 0: the database's default
    QString schema;
    QString name;
    char kind = 'r';           // pg_class.relkind
    quint32 toastOid = 0;      // reltoastrelid
    double reltuples = -1;     // the planner's row estimate (-1: never analyzed)
    bool operator==(const CatalogRelation &) const = default;
};

struct CatalogDatabase {
    quint32 oid = 0;
    QString name;
    bool complete = false;     // false: it could not be read (no CONNECT privilege, it refused connections)
    QString note;              // why not, when not
    std::vector<CatalogRelation> relations;
    bool operator==(const CatalogDatabase &) const = default;
};

struct CatalogSnapshot {
    static constexpr int kFormat = 1;
    QDateTime takenUtc;
    Lsn lsn;                   // the server's WAL position when it was taken
    quint32 timeline = 0;
    quint64 systemIdentifier = 0;
    std::vector<CatalogDatabase> databases;
    bool operator==(const CatalogSnapshot &) const = default;

    // The same databases and relations (names, files, kinds), whatever the row estimates and the time.
    bool sameCatalog(const CatalogSnapshot &o) const;
};

QByteArray catalogSnapshotJson(const CatalogSnapshot &s);
// Corrupt for anything that is not a snapshot of a known format; nothing is half read.
Result<CatalogSnapshot> parseCatalogSnapshot(const QByteArray &json);

// System catalogs and their TOAST tables: OIDs below FirstNormalObjectId.
constexpr quint32 kFirstNormalObjectId = 16384;

} // namespace pga
