#include "CatalogCapture.h"

#include "pg/Connection.h"
#include "repo/CatalogStore.h"
#include "repo/Repository.h"

namespace pga::engine {

namespace {

Result<std::unique_ptr<pg::Connection>> connectTo(const QString &conninfo, const QString &password, const CancelToken &cancel)
{
    return pg::Connection::connect({conninfo, password, false, 10, QStringLiteral("pgarchivist catalog snapshot")}, &cancel);
}

Status readRelations(pg::Connection &c, CatalogDatabase &db, const CancelToken &cancel)
{
    auto rows = c.exec(QStringLiteral(
                           "SELECT c.oid, COALESCE(pg_relation_filenode(c.oid), 0), c.reltablespace, n.nspname, c.relname, c.relkind, "
                           "c.reltoastrelid, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE c.relkind IN ('r', 'p', 'm', 't', 'f', 'i', 'I', 'S') ORDER BY c.oid"),
                       {}, &cancel, 120000);
    if (!rows)
        return rows.error();
    db.relations.reserve(size_t(rows->rowCount()));
    for (int i = 0; i < rows->rowCount(); ++i) {
        CatalogRelation r;
        r.oid = rows->value(i, 0).toUInt();
        r.filenode = rows->value(i, 1).toUInt();
        r.tablespace = rows->value(i, 2).toUInt();
        r.schema = rows->value(i, 3);
        r.name = rows->value(i, 4);
        r.kind = rows->value(i, 5).isEmpty() ? '?' : rows->value(i, 5).at(0).toLatin1();
        r.toastOid = rows->value(i, 6).toUInt();
        r.reltuples = rows->value(i, 7).toDouble();
        db.relations.push_back(std::move(r));
    }
    db.complete = true;
    return {};
}

} // namespace

Result<CatalogSnapshot> captureCatalog(const QString &conninfo, const QString &password, const CancelToken &cancel, QStringList *warnings)
{
    auto conn = connectTo(conninfo, password, cancel);
    if (!conn)
        return conn.error();
    pg::Connection &c = **conn;
    CatalogSnapshot snap;
    auto facts = c.exec(QStringLiteral(
        "SELECT (SELECT system_identifier FROM pg_control_system()), "
        "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END, "
        "(SELECT timeline_id FROM pg_control_checkpoint()), current_database()"), {}, &cancel, 30000);
    if (!facts)
        return facts.error();
    snap.takenUtc = QDateTime::currentDateTimeUtc();
    snap.systemIdentifier = facts->value(0, 0).toULongLong();
    snap.lsn = Lsn::parse(facts->value(0, 1)).value_or(Lsn());
    snap.timeline = facts->value(0, 2).toUInt();
    const QString current = facts->value(0, 3);
    auto dbs = c.exec(QStringLiteral("SELECT oid, datname, datallowconn FROM pg_database WHERE datname <> 'template0' ORDER BY oid"), {},
                      &cancel, 30000);
    if (!dbs)
        return dbs.error();
    for (int i = 0; i < dbs->rowCount(); ++i) {
        CatalogDatabase db;
        db.oid = dbs->value(i, 0).toUInt();
        db.name = dbs->value(i, 1);
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        Status read;
        if (db.name == current) {
            read = readRelations(c, db, cancel);
        } else if (dbs->value(i, 2) != QLatin1String("t")) {
            read = Error(Error::Code::Connection, QStringLiteral("it does not allow connections"));
        } else {
            QString pw = password;
            auto ci = pg::conninfoForDatabase(conninfo, db.name, &pw);
            auto other = ci ? connectTo(*ci, pw, cancel) : Result<std::unique_ptr<pg::Connection>>(ci.error());
            read = other ? readRelations(**other, db, cancel) : Status(other.error());
        }
        if (!read) {
            if (read.error().code == Error::Code::Cancelled)
                return read.error();
            db.note = read.error().message;
            if (warnings)
                *warnings << QStringLiteral("Database %1 was not read: %2").arg(db.name, db.note);
        }
        snap.databases.push_back(std::move(db));
    }
    return snap;
}

Result<bool> recordCatalogSnapshot(const QString &repoDir, const QString &server, const QString &conninfo, const QString &password,
                                   ProgressSink &progress, const CancelToken &cancel)
{
    auto repo = repo::Repository::open(repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();
    auto record = repo->server(server);
    if (!record)
        return record.error();
    QStringList warnings;
    auto snap = captureCatalog(conninfo, password, cancel, &warnings);
    if (!snap)
        return snap.error();
    for (const QString &w : warnings)
        progress.log(ProgressSink::Level::Warning, w);
    if (snap->systemIdentifier != record->systemIdentifier)
        return Error(Error::Code::WrongCluster,
                     QStringLiteral("The server at this connection has system identifier %1, but the repository keeps server %2 for "
                                    "system identifier %3: its catalog would name the wrong tables. Check the connection.")
                         .arg(snap->systemIdentifier)
                         .arg(server)
                         .arg(record->systemIdentifier));
    auto written = repo::CatalogStore(*repo, server).addRolling(*snap);
    if (!written)
        return written.error();
    size_t relations = 0;
    for (const CatalogDatabase &d : snap->databases)
        relations += d.relations.size();
    progress.info(*written ? QStringLiteral("Catalog snapshot of %1 recorded: %2 databases, %3 relations, at LSN %4.")
                                 .arg(server).arg(snap->databases.size()).arg(relations).arg(snap->lsn.toString())
                           : QStringLiteral("The catalog of %1 has not changed since the last snapshot.").arg(server));
    return *written;
}

} // namespace pga::engine
