#include "BlunderFinder.h"

#include <algorithm>

namespace pga {

namespace {

bool isTable(char kind) { return kind == 'r' || kind == 'p' || kind == 'm' || kind == 'f'; }

} // namespace

void CatalogNames::add(const CatalogSnapshot &s)
{
    for (const CatalogDatabase &d : s.databases) {
        m_dbNames[d.oid] = d.name;
        for (const CatalogRelation &r : d.relations) {
            m_byOid[key(d.oid, r.oid)] = r;
            if (r.filenode != 0)
                m_byFile[key(d.oid, r.filenode)] = r;
            if (r.toastOid != 0)
                m_toastParent[key(d.oid, r.toastOid)] = r;
        }
    }
}

const CatalogRelation *CatalogNames::byFile(quint32 db, quint32 filenode) const
{
    auto it = m_byFile.find(key(db, filenode));
    return it == m_byFile.end() ? nullptr : &it->second;
}

const CatalogRelation *CatalogNames::byOid(quint32 db, quint32 oid) const
{
    auto it = m_byOid.find(key(db, oid));
    return it == m_byOid.end() ? nullptr : &it->second;
}

const CatalogRelation *CatalogNames::toastParent(quint32 db, quint32 toastOid) const
{
    auto it = m_toastParent.find(key(db, toastOid));
    return it == m_toastParent.end() ? nullptr : &it->second;
}

QString CatalogNames::databaseName(quint32 db) const
{
    auto it = m_dbNames.find(db);
    return it == m_dbNames.end() ? QString() : it->second;
}

BlunderFinder::BlunderFinder(const CatalogNames &names, std::vector<CatalogSnapshot> snapshots, BlunderFilter filter)
    : m_names(names), m_snapshots(std::move(snapshots)), m_filter(filter)
{
    std::stable_sort(m_snapshots.begin(), m_snapshots.end(), [](const CatalogSnapshot &a, const CatalogSnapshot &b) { return a.lsn < b.lsn; });
}

QString BlunderFinder::databaseText(quint32 db) const
{
    const QString name = m_names.databaseName(db);
    return name.isEmpty() ? QStringLiteral("database OID %1").arg(db) : name;
}

bool BlunderFinder::isCatalog(quint32 db, quint32 filenode) const
{
    if (db == 0)
        return true;  // shared catalogs
    if (const CatalogRelation *r = m_names.byFile(db, filenode))
        return r->oid < kFirstNormalObjectId || r->schema == QLatin1String("pg_catalog") || r->schema == QLatin1String("information_schema");
    return filenode < kFirstNormalObjectId;
}

bool BlunderFinder::inRange(qint64 us) const
{
    return (!m_filter.sinceUs || us >= *m_filter.sinceUs) && (!m_filter.untilUs || us <= *m_filter.untilUs);
}

BlunderObject BlunderFinder::object(quint32 db, quint32 filenode, const CatalogRelation *rel) const
{
    BlunderObject o;
    o.filenode = filenode;
    if (rel) {
        o.schema = rel->schema;
        o.name = rel->name;
        o.oid = rel->oid;
        o.named = true;
        if (o.filenode == 0)
            o.filenode = rel->filenode;
    } else {
        const QString dbName = m_names.databaseName(db);
        o.name = QStringLiteral("%1/%2 (created after the last snapshot)").arg(dbName.isEmpty() ? QString::number(db) : dbName).arg(filenode);
    }
    if (o.filenode != 0)
        if (auto it = m_counters.find(fileKey(db, o.filenode)); it != m_counters.end() && (it->second.exact || it->second.estimated)) {
            o.rows = std::max<qint64>(0, it->second.rows);
            o.rowsEstimated = !it->second.exact;
        }
    return o;
}

void BlunderFinder::applySnapshotsUpTo(Lsn lsn)
{
    for (; m_nextSnapshot < m_snapshots.size() && m_snapshots[m_nextSnapshot].lsn <= lsn; ++m_nextSnapshot)
        for (const CatalogDatabase &d : m_snapshots[m_nextSnapshot].databases)
            for (const CatalogRelation &r : d.relations) {
                if (r.filenode == 0 || r.reltuples < 0 || !(isTable(r.kind) || r.kind == 't'))
                    continue;
                Counter &c = m_counters[fileKey(d.oid, r.filenode)];
                if (!c.exact) {
                    c.rows = qint64(r.reltuples);
                    c.estimated = true;
                }
            }
}

void BlunderFinder::addSegment(const wal::SegmentActivity &a)
{
    Pending *last = nullptr;
    quint32 lastXid = 0;
    for (const wal::RelChange &c : a.changes) {
        if (!last || c.xid != lastXid) {
            last = &m_pending[c.xid];
            lastXid = c.xid;
        }
        auto it = std::find_if(last->changes.begin(), last->changes.end(), [&](const wal::RelChange &x) { return x.node == c.node; });
        if (it == last->changes.end()) {
            last->changes.push_back(c);
            continue;
        }
        it->inserted += c.inserted;
        it->deleted += c.deleted;
        it->updated += c.updated;
        it->pages += c.pages;
        it->heapPages += c.heapPages;
        it->unknownPages += c.unknownPages;
    }
    for (const wal::RelCreate &c : a.creates) {
        if (c.xid == 0)
            m_counters[fileKey(c.node.db, c.node.rel)] = Counter{0, true, false};
        else
            m_pending[c.xid].creates.push_back(c.node);
    }
    for (const wal::DbDrop &d : a.dbDrops)
        m_pending[d.xid].dbDrops.push_back(d);
    for (const wal::XactEnd &e : a.ends)
        commit(e, a.timeline);
}

void BlunderFinder::commit(const wal::XactEnd &e, quint32 timeline)
{
    struct {
        std::map<wal::RelNode, wal::RelChange> changes;
        std::vector<wal::RelNode> creates;
        std::vector<wal::DbDrop> dbDrops;
    } merged;
    auto take = [&](quint32 xid) {
        auto it = m_pending.find(xid);
        if (it == m_pending.end())
            return;
        for (const wal::RelChange &c : it->second.changes) {
            wal::RelChange &m = merged.changes[c.node];
            m.node = c.node;
            m.inserted += c.inserted;
            m.deleted += c.deleted;
            m.updated += c.updated;
            m.pages += c.pages;
            m.heapPages += c.heapPages;
            m.unknownPages += c.unknownPages;
        }
        merged.creates.insert(merged.creates.end(), it->second.creates.begin(), it->second.creates.end());
        merged.dbDrops.insert(merged.dbDrops.end(), it->second.dbDrops.begin(), it->second.dbDrops.end());
        m_pending.erase(it);
    };
    if (e.committed && e.rels.empty() && e.dropped.empty() && e.subxids.empty()) {
        // The common case, kept cheap: a transaction that dropped nothing and changed fewer rows than any event needs
        // (all its relations together) only moves the row counters.
        auto it = m_pending.find(e.xid);
        if (it == m_pending.end())
            return;
        if (it->second.creates.empty() && it->second.dbDrops.empty()) {
            qint64 deleted = 0, updated = 0;
            for (const wal::RelChange &c : it->second.changes) {
                deleted += c.deleted;
                updated += c.updated;
            }
            if (deleted < m_filter.minRows && updated < m_filter.minRows) {
                applySnapshotsUpTo(e.lsn);
                for (const wal::RelChange &c : it->second.changes)
                    if (c.inserted || c.deleted)
                        m_counters[fileKey(c.node.db, c.node.rel)].rows += qint64(c.inserted) - c.deleted;
                m_pending.erase(it);
                return;
            }
        }
    }
    take(e.xid);
    for (quint32 s : e.subxids)
        take(s);
    if (!e.committed)
        return;  // rolled back: nothing it did happened
    applySnapshotsUpTo(e.lsn);

    for (const wal::RelNode &n : merged.creates) {
        // A file written page by page (VACUUM FULL, CLUSTER, a rewriting ALTER) holds rows no record counts: unknown.
        auto c = merged.changes.find(n);
        const bool rewritten = c != merged.changes.end() && (c->second.heapPages > 0 || c->second.unknownPages > 0);
        m_counters[fileKey(n.db, n.rel)] = Counter{0, !rewritten, false};
    }
    for (const auto &[node, c] : merged.changes)
        if (c.inserted || c.deleted) {
            Counter &k = m_counters[fileKey(node.db, node.rel)];
            k.rows += qint64(c.inserted) - c.deleted;
        }

    QList<BlunderEvent> found;
    auto event = [&](const QString &kind, quint32 db) -> BlunderEvent {
        BlunderEvent ev;
        ev.kind = kind;
        ev.xid = e.xid;
        ev.commitLsn = e.lsn;
        ev.commitTimeUs = e.timeUs;
        ev.timeline = timeline;
        ev.databaseOid = db;
        ev.database = databaseText(db);
        return ev;
    };
    auto sumRows = [](BlunderEvent &ev) {
        qint64 sum = 0;
        bool any = false;
        for (const BlunderObject &o : ev.objects)
            if (o.rows) {
                sum += *o.rows;
                any = true;
            }
        if (any)
            ev.rows = sum;
    };

    // DROP TABLE: statistics of relations go; DROP DATABASE: of a database.
    std::set<quint64> droppedFiles;
    std::map<quint32, BlunderEvent> drops;  // per database
    std::set<quint32> droppedDbs;
    Lsn firstDropStep;  // the earliest record of the drop: its in-place invalidation, else its first Database DROP
    for (const wal::DbDrop &d : merged.dbDrops) {
        if (d.db != 0)
            droppedDbs.insert(d.db);
        if (d.lsn.isValid() && (!firstDropStep.isValid() || d.lsn < firstDropStep))
            firstDropStep = d.lsn;
    }
    for (const wal::StatsItem &item : e.dropped) {
        if (item.kind == 1) {
            droppedDbs.insert(item.db);  // pgstat_drop_database: dboid is the database, objoid 0
            continue;
        }
        if (item.kind != 2)
            continue;
        const CatalogRelation *rel = m_names.byOid(item.db, item.obj);
        if (rel && rel->filenode)
            droppedFiles.insert(fileKey(item.db, rel->filenode));
        if (!rel || !isTable(rel->kind) || rel->oid < kFirstNormalObjectId)
            continue;
        auto it = drops.find(item.db);
        if (it == drops.end())
            it = drops.emplace(item.db, event(QStringLiteral("drop_table"), item.db)).first;
        it->second.objects << object(item.db, rel->filenode, rel);
    }
    // Dropped relations no snapshot knew: the files among them that held rows are their tables, named by file. At most
    // as many as there are such relations, and not in a rewrite (VACUUM FULL, CLUSTER, ALTER TABLE … TYPE create new
    // files and drop a transient table of their own).
    qsizetype unnamed = std::count_if(e.dropped.begin(), e.dropped.end(), [&](const wal::StatsItem &i) {
        return i.kind == 2 && !m_names.byOid(i.db, i.obj);
    });
    if (unnamed > 0 && merged.creates.empty()) {
        for (const wal::RelNode &n : e.rels) {
            if (unnamed == 0)
                break;
            if (droppedFiles.count(fileKey(n.db, n.rel)) || m_names.byFile(n.db, n.rel) || isCatalog(n.db, n.rel) || droppedDbs.count(n.db))
                continue;
            auto c = m_counters.find(fileKey(n.db, n.rel));
            if (c == m_counters.end() || (c->second.rows == 0 && !c->second.estimated))
                continue;  // indexes and empty files
            auto it = drops.find(n.db);
            if (it == drops.end())
                it = drops.emplace(n.db, event(QStringLiteral("drop_table"), n.db)).first;
            it->second.objects << object(n.db, n.rel, nullptr);
            droppedFiles.insert(fileKey(n.db, n.rel));
            --unnamed;
        }
    }
    for (auto &[db, ev] : drops) {
        sumRows(ev);
        found << ev;
    }
    for (quint32 db : droppedDbs) {
        BlunderEvent ev = event(QStringLiteral("drop_database"), db);
        ev.stopBefore = firstDropStep;
        found << ev;
    }

    // TRUNCATE: old files of tables go without their statistics, and the new ones stay empty (a VACUUM FULL or
    // CLUSTER writes the rows it keeps into its new files page by page).
    if (!e.rels.empty()) {
        QList<BlunderObject> heaps;
        int heapLike = 0;
        std::map<quint32, int> perDb;
        for (const wal::RelNode &n : e.rels) {
            if (droppedFiles.count(fileKey(n.db, n.rel)) || droppedDbs.count(n.db) || isCatalog(n.db, n.rel))
                continue;
            const CatalogRelation *rel = m_names.byFile(n.db, n.rel);
            if (rel && rel->kind == 't') {
                ++heapLike;
                continue;
            }
            if (rel && !isTable(rel->kind))
                continue;
            if (!rel) {
                auto c = m_counters.find(fileKey(n.db, n.rel));
                if (c == m_counters.end() || (c->second.rows == 0 && !c->second.estimated))
                    continue;
            }
            ++heapLike;
            heaps << object(n.db, n.rel, rel);
            ++perDb[n.db];
        }
        // Whether a new file got heap pages written whole (the rows a rewrite keeps). With wal_compression the images
        // cannot be read: then every heap-like old file must have an empty new one (index builds write pages too).
        int emptyCreates = 0, heapPages = 0, unknownPages = 0;
        for (const wal::RelNode &n : merged.creates) {
            auto c = merged.changes.find(n);
            if (c == merged.changes.end() || c->second.pages == 0)
                ++emptyCreates;
            if (c != merged.changes.end()) {
                heapPages += c->second.heapPages;
                unknownPages += c->second.unknownPages;
            }
        }
        const bool emptied = unknownPages == 0 ? heapPages == 0 && !merged.creates.empty() : emptyCreates >= heapLike;
        const bool lost = std::any_of(heaps.begin(), heaps.end(), [](const BlunderObject &o) { return !o.rows || *o.rows > 0; });
        if (!heaps.isEmpty() && emptied && lost) {
            const quint32 db = perDb.rbegin()->first;
            BlunderEvent ev = event(QStringLiteral("truncate"), db);
            ev.objects = heaps;
            sumRows(ev);
            found << ev;
        }
    }

    // Mass DELETE / UPDATE: heap rows per table (a TOAST table's changes belong to its table and count no rows).
    struct Sum {
        BlunderChange change;
        BlunderObject object;
        quint32 db = 0;
    };
    std::map<quint64, Sum> perTable;
    for (const auto &[node, c] : merged.changes) {
        if (isCatalog(node.db, node.rel))
            continue;
        const CatalogRelation *rel = m_names.byFile(node.db, node.rel);
        bool toast = false;
        if (rel && rel->kind == 't') {
            toast = true;
            rel = m_names.toastParent(node.db, rel->oid);
            if (!rel)
                continue;
        }
        if (rel && !isTable(rel->kind))
            continue;
        const quint64 k = rel ? fileKey(node.db, rel->filenode ? rel->filenode : rel->oid) : fileKey(node.db, node.rel);
        Sum &s = perTable[k];
        if (s.object.name.isEmpty()) {
            s.db = node.db;
            s.object = object(node.db, rel ? rel->filenode : node.rel, rel);
            s.change.schema = s.object.schema;
            s.change.name = s.object.name;
            s.change.named = s.object.named;
        }
        if (toast)
            continue;
        s.change.inserted += c.inserted;
        s.change.deleted += c.deleted;
        s.change.updated += c.updated;
    }
    for (const wal::RelNode &n : merged.creates)
        if (auto it = perTable.find(fileKey(n.db, n.rel)); it != perTable.end())
            it->second.change.created = true;
    for (const wal::RelNode &n : e.rels)
        if (auto it = perTable.find(fileKey(n.db, n.rel)); it != perTable.end())
            it->second.change.removed = true;
    for (const char *kind : {"delete", "update"}) {
        const bool del = qstrcmp(kind, "delete") == 0;
        std::map<quint32, BlunderEvent> perDb;
        for (auto &[k, s] : perTable) {
            const qint64 n = del ? s.change.deleted : s.change.updated;
            if (n <= 0)
                continue;
            auto it = perDb.find(s.db);
            if (it == perDb.end())
                it = perDb.emplace(s.db, event(QString::fromLatin1(kind), s.db)).first;
            BlunderObject o = s.object;
            o.rows = n;
            o.rowsEstimated = false;
            it->second.objects << o;
        }
        for (auto &[db, ev] : perDb) {
            sumRows(ev);
            if (ev.rows && *ev.rows >= m_filter.minRows)
                found << ev;
        }
    }

    // A new timeline's first segment repeats the old one's records up to the switch: report a transaction once. Only
    // those with events are remembered, so memory does not grow with the number of transactions.
    if (!found.isEmpty() && m_seen.insert({e.xid, e.lsn.value()}).second && inRange(e.timeUs)) {
        QList<BlunderChange> changes;
        for (const auto &[k, s] : perTable)
            changes << s.change;
        for (BlunderEvent &ev : found) {
            ev.changes = changes;
            m_events << ev;
        }
    }
    for (const wal::RelNode &n : e.rels)
        m_counters.erase(fileKey(n.db, n.rel));
    for (quint32 db : droppedDbs)
        for (auto it = m_counters.begin(); it != m_counters.end();)
            it = (it->first >> 32) == db ? m_counters.erase(it) : std::next(it);
}

QList<BlunderEvent> BlunderFinder::events() const
{
    QList<BlunderEvent> out = m_events;
    std::stable_sort(out.begin(), out.end(), [](const BlunderEvent &a, const BlunderEvent &b) {
        return a.timeline != b.timeline ? a.timeline > b.timeline : a.commitLsn > b.commitLsn;
    });
    return out;
}

QString blunderKindText(const QString &kind)
{
    if (kind == QLatin1String("drop_table"))
        return QStringLiteral("DROP TABLE");
    if (kind == QLatin1String("truncate"))
        return QStringLiteral("TRUNCATE");
    if (kind == QLatin1String("drop_database"))
        return QStringLiteral("DROP DATABASE");
    if (kind == QLatin1String("delete"))
        return QStringLiteral("DELETE");
    if (kind == QLatin1String("update"))
        return QStringLiteral("UPDATE");
    return kind;
}

} // namespace pga
