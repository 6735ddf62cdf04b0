#include "UndoCopy.h"

#include "ClientRun.h"
#include "core/RestoreToc.h"
#include "pg/ChildProcess.h"
#include "pg/ClientTools.h"

#include <QFileInfo>

namespace pga::engine::detail {

QString ident(const QString &s) { return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"'); }
QString qualified(const QString &schema, const QString &name) { return ident(schema) + QLatin1Char('.') + ident(name); }
QString literal(const QString &s) { return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\''); }

Result<ConnPtr> connectLive(const UndoOptions &o, const QString &db, const CancelToken &cancel)
{
    QString pw = o.password;
    auto ci = pg::conninfoForDatabase(o.conninfo, db, &pw);
    if (!ci)
        return ci.error();
    return pg::Connection::connect({*ci, pw, false, 10, QStringLiteral("pgarchivist undo")}, &cancel);
}

namespace {

Result<bool> relationExists(pg::Connection &c, const QString &schema, const QString &name, const CancelToken &cancel)
{
    auto r = c.exec(QStringLiteral("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL"), {schema, name}, &cancel, 30000);
    if (!r)
        return r.error();
    return r->value(0, 0) == QLatin1String("t");
}

Result<bool> schemaExists(pg::Connection &c, const QString &schema, const CancelToken &cancel)
{
    auto r = c.exec(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = $1"), {schema}, &cancel, 30000);
    if (!r)
        return r.error();
    return r->value(0, 0) != QLatin1String("0");
}

} // namespace

// The live side of the plan: every target name must be free. Conflict names the first that is not.
Status checkLive(const UndoOptions &o, QList<UndoItem> &items, const CancelToken &cancel)
{
    for (UndoItem &it : items) {
        if (it.kind == QLatin1String("database")) {
            auto c = connectLive(o, QString(), cancel);
            if (!c)
                return c.error();
            auto r = (*c)->exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = $1"), {it.targetName}, &cancel, 30000);
            if (!r)
                return r.error();
            if (r->value(0, 0) != QLatin1String("0"))
                return Error(Error::Code::Conflict, QStringLiteral("A database named %1 already exists on the live server; undo creates the "
                                                                   "old database under that name and never replaces one. Rename or drop it "
                                                                   "first.").arg(it.targetName));
            continue;
        }
        if (it.targetName.isEmpty())
            continue;  // named in the scratch copy, checked there
        auto c = connectLive(o, it.database, cancel);
        if (!c)
            return c.error();
        auto exists = relationExists(**c, it.targetSchema, it.targetName, cancel);
        if (!exists)
            return exists.error();
        if (*exists)
            return Error(Error::Code::Conflict,
                         QStringLiteral("%1.%2 already exists in database %3 on the live server; undo never overwrites live rows. Choose "
                                        "another name (--as) or schema (--into-schema), or rename it first.")
                             .arg(it.targetSchema, it.targetName, it.database));
        auto schema = schemaExists(**c, it.targetSchema, cancel);
        if (!schema)
            return schema.error();
        it.createSchema = !*schema;
    }
    return {};
}

namespace {

Result<pg::QueryResult> query(pg::Connection &c, const QString &sql, const CancelToken &cancel, const QStringList &params = {})
{
    return c.exec(sql, params, &cancel, 0);
}

// count(*) and md5 over the rows' md5s, sorted: equal for equal rows whatever their physical order.
Status fingerprint(pg::Connection &c, const QString &table, std::optional<qint64> *rows, QString *md5, const CancelToken &cancel)
{
    auto r = query(c, QStringLiteral("SELECT count(*), md5(COALESCE(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(t::text) AS h FROM %1 t) s")
                          .arg(table), cancel);
    if (!r)
        return r.error();
    *rows = r->value(0, 0).toLongLong();
    *md5 = r->value(0, 1);
    return {};
}

Status totalRows(pg::Connection &c, std::optional<qint64> *rows, const CancelToken &cancel)
{
    auto r = query(c, QStringLiteral("SELECT COALESCE(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', "
                                     "schemaname, tablename), false, true, '')))[1]::text::bigint), 0) FROM pg_tables "
                                     "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"), cancel);
    if (!r)
        return r.error();
    *rows = r->value(0, 0).toLongLong();
    return {};
}


// pg_dump and pg_restore as children of their own process group, so Cancel stops them mid-table too.
Result<QByteArray> runClient(const QString &program, const QStringList &args, const QStringList &env, const CancelToken &cancel)
{
    pg::ChildSpec spec;
    spec.program = program;
    spec.args = args;
    spec.extraEnv = env;
    auto child = pg::ChildProcess::start(spec);
    if (!child)
        return child.error();
    QByteArray out;
    QStringList errors;
    pg::ChildProcess::Handlers h;
    h.out = [&](const char *data, size_t size) -> Status {
        if (out.size() + qsizetype(size) > (64 << 20))
            return Error(Error::Code::Internal, QStringLiteral("%1 printed more than 64 MiB.").arg(QFileInfo(program).fileName()));
        out.append(data, qsizetype(size));
        return {};
    };
    h.errLine = [&](const QString &line) {
        if (errors.size() < 50)
            errors << line;
    };
    auto code = (*child)->pump(h, cancel);
    if (!code)
        return code.error();
    if (*code != 0) {
        const QString err = errors.join(QLatin1Char('\n')).trimmed();
        return Error(Error::Code::Query, QStringLiteral("%1 failed: %2").arg(QFileInfo(program).fileName(),
                                                                           err.isEmpty() ? QStringLiteral("exit code %1").arg(*code) : err),
                     shellJoin(program, args));
    }
    return out;
}

} // namespace


// In the scratch copy (ours to change, and the truth just before the blunder): name the table by its OID (or its file,
// when no snapshot knew it), since a snapshot's name may be stale; then give it its target name.
Status Copier::prepareInScratch(pg::Connection &scratch, UndoItem &it)
{
    const bool byOid = it.sourceOid != 0;
    auto r = query(scratch, QStringLiteral("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                           "WHERE %1 = $1 AND c.relkind IN ('r', 'p', 'm')")
                                .arg(byOid ? QStringLiteral("c.oid") : QStringLiteral("pg_relation_filenode(c.oid)")),
                   m_cancel, {QString::number(byOid ? it.sourceOid : it.sourceFilenode)});
    if (!r)
        return r.error();
    if (r->rowCount() != 1)
        return Error(Error::Code::NotFound, QStringLiteral("No table of database %1 has %2 %3 in the scratch copy; it cannot be named.")
                                                .arg(it.database, byOid ? QStringLiteral("OID") : QStringLiteral("file"))
                                                .arg(byOid ? it.sourceOid : it.sourceFilenode));
    if (r->value(0, 0) != it.sourceSchema || r->value(0, 1) != it.sourceName) {
        const bool derived = it.targetName.isEmpty() || it.targetName == (it.kind == QLatin1String("table") ? it.sourceName : beforeName(it.sourceName, m_o.xid));
        const bool ownSchema = m_o.intoSchema.isEmpty();
        if (!it.sourceName.isEmpty())
            m_progress.warning(QStringLiteral("The snapshot named it %1.%2; just before the blunder it was %3.%4.")
                                   .arg(it.sourceSchema, it.sourceName, r->value(0, 0), r->value(0, 1)));
        it.sourceSchema = r->value(0, 0);
        it.sourceName = r->value(0, 1);
        if (ownSchema)
            it.targetSchema = it.sourceSchema;
        if (derived && m_o.asName.isEmpty())
            it.targetName = it.kind == QLatin1String("table") ? it.sourceName : beforeName(it.sourceName, m_o.xid);
        QList<UndoItem> one{it};
        if (Status s = checkLive(m_o, one, m_cancel); !s)
            return s;
        it.createSchema = one.first().createSchema;
    }
    QStringList sql;
    if (it.targetSchema != it.sourceSchema || it.kind == QLatin1String("copy"))
        sql << QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(ident(it.targetSchema));
    if (it.kind == QLatin1String("copy")) {
        sql << QStringLiteral("CREATE TABLE %1 AS TABLE %2").arg(qualified(it.targetSchema, it.targetName), qualified(it.sourceSchema, it.sourceName));
    } else {
        if (it.targetSchema != it.sourceSchema)
            sql << QStringLiteral("ALTER TABLE %1 SET SCHEMA %2").arg(qualified(it.sourceSchema, it.sourceName), ident(it.targetSchema));
        if (it.targetName != it.sourceName)
            sql << QStringLiteral("ALTER TABLE %1 RENAME TO %2").arg(qualified(it.targetSchema, it.sourceName), ident(it.targetName));
    }
    for (const QString &s : sql)
        if (auto r = query(scratch, s, m_cancel); !r)
            return Error(r.error().code, QStringLiteral("Preparing %1 in the scratch copy failed: %2").arg(it.targetText(), r.error().message));
    return fingerprint(scratch, qualified(it.targetSchema, it.targetName), &it.scratchRows, &it.scratchMd5, m_cancel);
}

Status Copier::dumpAndRestore(UndoItem &it, const QString &scratchDb, const QStringList &dumpArgs, int index)
{
    auto pgDump = pg::ClientTools::matchedClient(QStringLiteral("pg_dump"), m_s.versionNum);
    if (!pgDump)
        return pgDump.error();
    auto pgRestore = pg::ClientTools::matchedClient(QStringLiteral("pg_restore"), std::max(m_s.versionNum, m_liveVersion));
    if (!pgRestore)
        return pgRestore.error();
    const QString file = m_work + QStringLiteral("/item-%1.dump").arg(index);
    QStringList args{QStringLiteral("--format=custom"), QStringLiteral("--file=") + file, QStringLiteral("--no-password"),
                     QStringLiteral("--dbname=") + m_s.conninfo(scratchDb)};
    args << dumpArgs;
    m_progress.info(QStringLiteral("Dumping %1 from the scratch copy with %2").arg(it.kind == QLatin1String("database") ? scratchDb : it.targetText(),
                                                                                  pgDump->path));
    if (auto d = runClient(pgDump->path, args, {}, m_cancel); !d)
        return d.error();
    auto list = runClient(pgRestore->path, {QStringLiteral("--list"), file}, {}, m_cancel);
    if (!list)
        return list.error();
    auto toc = parseRestoreList(*list);
    if (!toc)
        return toc.error();
    // What will be created, checked against the live database before anything is (the table itself was checked).
    const QString liveDb = it.database;
    auto live = connectLive(m_o, it.kind == QLatin1String("database") ? QString() : liveDb, m_cancel);
    if (!live)
        return live.error();
    it.created.clear();
    for (const TocEntry &e : *toc) {
        if (e.isData() || e.desc == QLatin1String("SCHEMA") || e.desc == QLatin1String("DATABASE") || e.desc == QLatin1String("COMMENT") ||
            e.desc == QLatin1String("ACL") || e.desc == QLatin1String("DEFAULT") || e.desc == QLatin1String("SEQUENCE OWNED BY") ||
            e.desc == QLatin1String("ENCODING") || e.desc == QLatin1String("STDSTRINGS") || e.desc == QLatin1String("SEARCHPATH"))
            continue;
        it.created << QStringLiteral("%1 %2").arg(e.desc, e.schema.isEmpty() ? e.name : e.schema + QLatin1Char('.') + e.name);
        if (it.kind == QLatin1String("database"))
            continue;
        static const QStringList relations{QStringLiteral("TABLE"), QStringLiteral("INDEX"), QStringLiteral("SEQUENCE"),
                                           QStringLiteral("VIEW"), QStringLiteral("MATERIALIZED VIEW"), QStringLiteral("FOREIGN TABLE")};
        if (!relations.contains(e.desc))
            continue;
        auto exists = relationExists(**live, e.schema, e.name, m_cancel);
        if (!exists)
            return exists.error();
        if (*exists)
            return Error(Error::Code::Conflict, QStringLiteral("%1 %2.%3 already exists in database %4 on the live server: restoring %5 would "
                                                               "collide with it. Nothing was created. Rename it, or undo with --as or "
                                                               "--into-schema.").arg(e.desc, e.schema, e.name, liveDb, it.targetText()));
    }
    QString pw = m_o.password;
    auto target = pg::conninfoForDatabase(m_o.conninfo, liveDb, &pw);
    if (!target)
        return target.error();
    auto passFile = PassFile::create(pw);
    if (!passFile)
        return passFile.error();
    if (it.createSchema)
        if (auto r = query(**live, QStringLiteral("CREATE SCHEMA %1").arg(ident(it.targetSchema)), m_cancel); !r)
            return r.error();
    QStringList restoreArgs{QStringLiteral("--dbname=") + *target, QStringLiteral("--single-transaction"), QStringLiteral("--exit-on-error"),
                            QStringLiteral("--no-password")};
    if (it.kind == QLatin1String("copy") || !m_liveSuper)
        restoreArgs << QStringLiteral("--no-owner");  // a copy is the DBA's; a non-superuser cannot give tables away
    restoreArgs << file;
    m_progress.info(QStringLiteral("Restoring %1 into the live database %2 with %3").arg(it.targetText(), liveDb, pgRestore->path));
    auto restored = runClient(pgRestore->path, restoreArgs, (*passFile)->env(), m_cancel);
    if (!restored) {
        if (it.createSchema)
            (void)query(**live, QStringLiteral("DROP SCHEMA IF EXISTS %1").arg(ident(it.targetSchema)), m_cancel);
        return Error(restored.error().code, restored.error().message + QStringLiteral(" Nothing was created in the live database."),
                     restored.error().detail);
    }
    return {};
}

Status Copier::copy(UndoItem &it, int index)
{
    auto probe = connectLive(m_o, QString(), m_cancel);
    if (!probe)
        return probe.error();
    m_liveVersion = (*probe)->serverVersionNum();
    if (auto su = query(**probe, QStringLiteral("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"), m_cancel))
        m_liveSuper = su->value(0, 0) == QLatin1String("t");
    auto admin = pg::Connection::connect({m_s.conninfo(QStringLiteral("postgres")), {}, false, 10, QStringLiteral("pgarchivist undo")}, &m_cancel);
    if (!admin)
        return admin.error();
    auto dbName = query(**admin, QStringLiteral("SELECT datname, pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE oid = $1"),
                        m_cancel, {QString::number(it.databaseOid)});
    if (!dbName)
        return dbName.error();
    if (dbName->rowCount() != 1)
        return Error(Error::Code::NotFound, QStringLiteral("Database OID %1 is not in the scratch copy.").arg(it.databaseOid));
    const QString scratchDb = dbName->value(0, 0);
    if (it.kind == QLatin1String("database")) {
        auto scratch = pg::Connection::connect({m_s.conninfo(scratchDb), {}, false, 10, QStringLiteral("pgarchivist undo")}, &m_cancel);
        if (!scratch)
            return scratch.error();
        if (Status s = totalRows(**scratch, &it.scratchRows, m_cancel); !s)
            return s;
        const QString create = QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING %2 LC_COLLATE %3 LC_CTYPE %4")
                                   .arg(ident(it.targetName), literal(dbName->value(0, 1)), literal(dbName->value(0, 2)), literal(dbName->value(0, 3)));
        if (auto r = query(**probe, create, m_cancel); !r)
            return r.error();
        Status s = dumpAndRestore(it, scratchDb, {}, index);
        if (!s) {
            (void)query(**probe, QStringLiteral("DROP DATABASE IF EXISTS %1").arg(ident(it.targetName)), m_cancel);
            return s;
        }
        auto live = connectLive(m_o, it.targetName, m_cancel);
        if (!live)
            return live.error();
        return totalRows(**live, &it.liveRows, m_cancel);
    }
    if (it.database.startsWith(QLatin1String("database OID ")))
        it.database = scratchDb;
    auto scratch = pg::Connection::connect({m_s.conninfo(scratchDb), {}, false, 10, QStringLiteral("pgarchivist undo")}, &m_cancel);
    if (!scratch)
        return scratch.error();
    if (Status s = prepareInScratch(**scratch, it); !s)
        return s;
    const QString pattern = qualified(it.targetSchema, it.targetName);
    if (Status s = dumpAndRestore(it, scratchDb, {QStringLiteral("--table=") + pattern, QStringLiteral("--strict-names")}, index); !s)
        return s;
    auto live = connectLive(m_o, it.database, m_cancel);
    if (!live)
        return live.error();
    return fingerprint(**live, pattern, &it.liveRows, &it.liveMd5, m_cancel);
}


} // namespace pga::engine::detail
