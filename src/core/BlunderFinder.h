#pragma once

#include "CatalogSnapshot.h"
#include "Lsn.h"
#include "WalActivity.h"

#include <QList>
#include <QString>

#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

// Finds operators' blunders in WAL activity (docs/blunders.md): DROP TABLE, TRUNCATE, DROP DATABASE and mass
// DELETE/UPDATE by committed top-level transactions, named from catalog snapshots. Fed one segment at a time in
// WAL order; holds only open transactions, one row counter per relation file and the events (not the segments).
namespace pga {

struct BlunderObject {
    QString schema;                  // empty when no snapshot knew it
    QString name;                    // or "db/relfilenode (created after the last snapshot)"
    quint32 oid = 0;                 // pg_class OID (0 when unknown)
    quint32 filenode = 0;
    bool named = false;
    std::optional<qint64> rows;      // rows lost or changed; for a drop or truncate the count at that moment
    bool rowsEstimated = false;      // from the planner's estimate in a snapshot, not counted in WAL
};

// Everything one transaction changed in one table (the event's details).
struct BlunderChange {
    QString schema, name;
    bool named = false;
    qint64 inserted = 0, deleted = 0, updated = 0;
    bool created = false, removed = false;  // its file was created / removed by the transaction
};

struct BlunderEvent {
    QString kind;                    // drop_table | truncate | drop_database | delete | update
    quint32 xid = 0;
    Lsn commitLsn;
    qint64 commitTimeUs = 0;
    quint32 timeline = 0;
    QString database;
    quint32 databaseOid = 0;
    QList<BlunderObject> objects;
    std::optional<qint64> rows;
    QList<BlunderChange> changes;    // the whole transaction, also below the threshold
    // Where a recovery that undoes it must stop, when that is before the commit: DROP DATABASE removes the files as its
    // Database DROP record is replayed. Invalid otherwise (stop just before the commit).
    Lsn stopBefore;
};

struct BlunderFilter {
    std::optional<qint64> sinceUs, untilUs;  // commit time, µs since the epoch
    qint64 minRows = 100;                    // for delete and update
};

// Names from snapshots: the newest snapshot that knew a relation file, OID or database names it.
class CatalogNames {
public:
    void add(const CatalogSnapshot &s);  // in the order taken
    const CatalogRelation *byFile(quint32 db, quint32 filenode) const;
    const CatalogRelation *byOid(quint32 db, quint32 oid) const;
    const CatalogRelation *toastParent(quint32 db, quint32 toastOid) const;
    QString databaseName(quint32 db) const;  // empty when unknown
    bool empty() const { return m_dbNames.empty(); }

private:
    static quint64 key(quint32 db, quint32 x) { return (quint64(db) << 32) | x; }
    std::unordered_map<quint64, CatalogRelation> m_byFile, m_byOid, m_toastParent;
    std::map<quint32, QString> m_dbNames;
};

class BlunderFinder {
public:
    // snapshots: for row estimates of relations whose creation the WAL does not show, in LSN order.
    BlunderFinder(const CatalogNames &names, std::vector<CatalogSnapshot> snapshots, BlunderFilter filter);
    void addSegment(const wal::SegmentActivity &a);
    // Newest first; a transaction seen twice (timeline switch copies) is reported once.
    QList<BlunderEvent> events() const;

private:
    struct Pending {
        std::vector<wal::RelChange> changes;  // a transaction touches few files: searched in order
        std::vector<wal::RelNode> creates;
        std::vector<wal::DbDrop> dbDrops;
    };
    struct Counter {
        qint64 rows = 0;
        bool exact = false;      // counted from the file's creation
        bool estimated = false;  // from a snapshot's reltuples
    };
    void applySnapshotsUpTo(Lsn lsn);
    void commit(const wal::XactEnd &e, quint32 timeline);
    BlunderObject object(quint32 db, quint32 filenode, const CatalogRelation *rel) const;
    QString databaseText(quint32 db) const;
    bool isCatalog(quint32 db, quint32 filenode) const;
    bool inRange(qint64 us) const;

    static quint64 fileKey(quint32 db, quint32 filenode) { return (quint64(db) << 32) | filenode; }

    const CatalogNames &m_names;
    std::vector<CatalogSnapshot> m_snapshots;
    size_t m_nextSnapshot = 0;
    BlunderFilter m_filter;
    std::unordered_map<quint32, Pending> m_pending;      // by (sub)transaction
    std::unordered_map<quint64, Counter> m_counters;     // by database and relation file
    std::set<std::pair<quint32, quint64>> m_seen;        // (xid, commit LSN) of transactions already reported
    QList<BlunderEvent> m_events;
};

QString blunderKindText(const QString &kind);  // "DROP TABLE", "TRUNCATE", …

} // namespace pga
