#include "Undo.h"

#include "ClientRun.h"
#include "Restore.h"
#include "RestoreStart.h"
#include "core/RestoreToc.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"
#include "repo/Repository.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <mutex>

namespace pga::engine {

namespace {

QString ident(const QString &s) { return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"'); }
QString qualified(const QString &schema, const QString &name) { return ident(schema) + QLatin1Char('.') + ident(name); }
QString literal(const QString &s) { return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\''); }

using ConnPtr = std::unique_ptr<pg::Connection>;

// Maps each step's own progress into its share of the whole: restore, replay, copy.
class PhaseSink final : public ProgressSink {
public:
    explicit PhaseSink(ProgressSink &out) : m_out(out) {}
    void enter(int phase, const QString &what)
    {
        m_phase = phase;
        m_out.info(QStringLiteral("Step %1 of 3: %2").arg(phase + 1).arg(what));
        m_out.progress(kStart[phase], 1000);
    }
    void progress(int64_t done, int64_t total) override
    {
        if (total > 0)
            m_out.progress(kStart[m_phase] + (kStart[m_phase + 1] - kStart[m_phase]) * std::min(done, total) / total, 1000);
    }
    void log(Level level, const QString &line) override { m_out.log(level, line); }

private:
    static constexpr int64_t kStart[4] = {0, 600, 800, 1000};
    ProgressSink &m_out;
    int m_phase = 0;
};

Result<ConnPtr> connectLive(const UndoOptions &o, const QString &db, const CancelToken &cancel)
{
    QString pw = o.password;
    auto ci = pg::conninfoForDatabase(o.conninfo, db, &pw);
    if (!ci)
        return ci.error();
    return pg::Connection::connect({*ci, pw, false, 10, QStringLiteral("pgarchivist undo")}, &cancel);
}

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

Result<QList<UndoItem>> planItems(const UndoOptions &o, const QList<BlunderEvent> &events)
{
    QList<UndoItem> items;
    QSet<quint64> seen;
    for (const BlunderEvent &e : events) {
        if (e.kind == QLatin1String("drop_database")) {
            UndoItem it;
            it.kind = QStringLiteral("database");
            it.event = e.kind;
            it.databaseOid = e.databaseOid;
            const QString base = e.database.startsWith(QLatin1String("database OID ")) ? QStringLiteral("db%1").arg(e.databaseOid) : e.database;
            it.database = it.targetName = beforeName(base, e.xid);
            items << it;
            continue;
        }
        for (const BlunderObject &obj : e.objects) {
            if (seen.contains((quint64(e.databaseOid) << 32) | obj.filenode))
                continue;
            seen.insert((quint64(e.databaseOid) << 32) | obj.filenode);
            UndoItem it;
            it.kind = e.kind == QLatin1String("drop_table") ? QStringLiteral("table") : QStringLiteral("copy");
            it.event = e.kind;
            it.databaseOid = e.databaseOid;
            it.database = e.database;
            it.sourceFilenode = obj.filenode;
            it.sourceOid = obj.oid;
            it.expectedRows = obj.rows;
            if (obj.named) {
                it.sourceSchema = obj.schema;
                it.sourceName = obj.name;
                it.targetSchema = o.intoSchema.isEmpty() ? obj.schema : o.intoSchema;
                it.targetName = it.kind == QLatin1String("table") ? (o.asName.isEmpty() ? obj.name : o.asName) : beforeName(obj.name, e.xid);
            } else if (it.kind == QLatin1String("table") && !o.asName.isEmpty()) {
                it.targetName = o.asName;
            }
            items << it;
        }
    }
    if (!o.asName.isEmpty() && (items.size() != 1 || items.first().kind != QLatin1String("table")))
        return Error(Error::Code::InvalidArgument, QStringLiteral("--as names one dropped table, but transaction %1 affects %2 objects; use "
                                                                  "--into-schema to put them aside instead.").arg(o.xid).arg(items.size()));
    return items;
}

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

struct Scratch {
    QString dataDir;
    int port = 0;
    QString user;
    int versionNum = 0;
    QString conninfo(const QString &db) const
    {
        return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4").arg(pg::conninfoQuote(dataDir)).arg(port).arg(pg::conninfoQuote(user), pg::conninfoQuote(db));
    }
};

Result<pg::ProcessResult> runClient(const QString &program, const QStringList &args, const QStringList &env)
{
    pg::RunSpec spec;
    spec.program = program;
    spec.args = args;
    spec.extraEnv = env;
    spec.timeoutMs = 24 * 3600 * 1000;
    auto p = pg::runProcess(spec);
    if (!p)
        return p.error();
    if (p->exitCode != 0 || p->timedOut || p->crashed) {
        const QString err = QString::fromUtf8(p->err).trimmed();
        return Error(Error::Code::Query, QStringLiteral("%1 failed: %2").arg(QFileInfo(program).fileName(),
                                                                           err.isEmpty() ? QStringLiteral("exit code %1").arg(p->exitCode) : err),
                     shellJoin(program, args));
    }
    return p;
}

class Copier {
public:
    Copier(const UndoOptions &o, const Scratch &s, const QString &workDir, const CancelToken &cancel, ProgressSink &progress)
        : m_o(o), m_s(s), m_work(workDir), m_cancel(cancel), m_progress(progress) {}

    Status copy(UndoItem &it, int index);

private:
    Status prepareInScratch(pg::Connection &scratch, UndoItem &it);
    Status dumpAndRestore(UndoItem &it, const QString &scratchDb, const QStringList &dumpArgs, int index);

    const UndoOptions &m_o;
    const Scratch &m_s;
    QString m_work;
    const CancelToken &m_cancel;
    ProgressSink &m_progress;
    int m_liveVersion = 0;
    bool m_liveSuper = false;
};

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
    if (auto d = runClient(pgDump->path, args, {}); !d)
        return d.error();
    auto list = runClient(pgRestore->path, {QStringLiteral("--list"), file}, {});
    if (!list)
        return list.error();
    auto toc = parseRestoreList(list->out);
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
    auto restored = runClient(pgRestore->path, restoreArgs, (*passFile)->env());
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

} // namespace

QString UndoItem::targetText() const
{
    return kind == QLatin1String("database") ? targetName : targetSchema + QLatin1Char('.') + targetName;
}

bool UndoResult::allMatch() const
{
    return std::all_of(items.begin(), items.end(), [](const UndoItem &i) { return i.matches(); });
}

QString beforeName(const QString &name, quint32 xid)
{
    const QString suffix = QStringLiteral("_before_%1").arg(xid);
    QString base = name;
    while (!base.isEmpty() && (base + suffix).toUtf8().size() > 63)
        base.chop(1);
    return base + suffix;
}

Result<UndoResult> runUndo(const UndoOptions &o, ProgressSink &out, const CancelToken &cancel)
{
    if (o.xid < 3)
        return Error(Error::Code::InvalidArgument, QStringLiteral("Give the transaction to undo with --xid (blunders lists them)."));
    UndoResult r;
    r.xid = o.xid;
    r.dryRun = o.dryRun;
    BlunderScanOptions so{o.repoDir, o.server, {}};
    so.filter.minRows = 1;
    NullProgressSink quiet;
    auto scan = scanBlunders(so, quiet, cancel);
    if (!scan)
        return scan.error();
    // After a point-in-time recovery xids repeat on the new timeline: the newest timeline's transaction is meant.
    for (const BlunderEvent &e : scan->events)
        if (e.xid == o.xid && (r.events.isEmpty() || e.timeline == r.events.first().timeline))
            r.events << e;
    if (r.events.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("Transaction %1 made no DROP TABLE, TRUNCATE, DROP DATABASE, DELETE or UPDATE in the "
                                                           "archived WAL of %2; `blunders` lists the ones it did find.").arg(o.xid).arg(o.server));
    auto items = planItems(o, r.events);
    if (!items)
        return items.error();
    r.items = *items;

    auto repo = repo::Repository::open(o.repoDir, repo::Repository::Access::Read);
    if (!repo)
        return repo.error();
    auto record = repo->server(o.server);
    if (!record)
        return record.error();
    {
        auto live = connectLive(o, QString(), cancel);
        if (!live)
            return live.error();
        auto sys = (*live)->exec(QStringLiteral("SELECT system_identifier FROM pg_control_system()"), {}, &cancel, 30000);
        if (!sys)
            return sys.error();
        if (sys->value(0, 0).toULongLong() != record->systemIdentifier)
            return Error(Error::Code::WrongCluster,
                         QStringLiteral("The live server (system identifier %1) is not server %2 of the repository (system identifier %3): "
                                        "undo copies back into the server the blunder happened on. Check --conninfo.")
                             .arg(sys->value(0, 0)).arg(o.server).arg(record->systemIdentifier));
    }
    if (Status s = checkLive(o, r.items, cancel); !s)
        return s.error();

    QString name = o.server;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    r.scratchDir = QFileInfo(o.scratchDir.isEmpty() ? scratchRoot() + QStringLiteral("/undo-%1-%2-%3").arg(name).arg(o.xid).arg(
                                                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss")))
                                                    : o.scratchDir).absoluteFilePath();
    RestoreOptions ro;
    ro.repoDir = o.repoDir;
    ro.server = o.server;
    ro.targetDir = r.scratchDir;
    ro.owner = o.owner;
    ro.target.kind = RecoveryTarget::Kind::Xid;
    ro.target.text = QString::number(o.xid);
    ro.target.exclusive = true;
    if (!r.events.isEmpty())
        ro.target.timeline = QString::number(r.events.first().timeline);
    for (const BlunderEvent &e : std::as_const(r.events))
        if (e.stopBefore.isValid() && (ro.target.kind != RecoveryTarget::Kind::Lsn || e.stopBefore < ro.target.lsn)) {
            // Before the Database DROP record, not the commit: replaying that record removes the files.
            ro.target.kind = RecoveryTarget::Kind::Lsn;
            ro.target.lsn = e.stopBefore;
            ro.target.text.clear();
        }
    ro.target.action = QStringLiteral("promote");
    auto plan = Restore(ro).plan(quiet, cancel);
    if (!plan)
        return plan.error();
    r.backupId = plan->backupId;
    if (o.dryRun)
        return r;

    if (QFileInfo::exists(r.scratchDir))
        return Error(Error::Code::InvalidArgument, QStringLiteral("The scratch directory %1 already exists; undo restores into a new one.").arg(r.scratchDir));
    if (Status s = prepareTargetParent(r.scratchDir); !s)
        return s.error();
    PhaseSink progress(out);
    auto cleanup = [&](Result<UndoResult> result) -> Result<UndoResult> {
        if (o.keepScratch && QFileInfo::exists(r.scratchDir)) {
            r.keptScratch = true;
            out.info(QStringLiteral("The scratch copy was kept in %1 (stop it with pg_ctl -D %1 stop).").arg(r.scratchDir));
            if (result)
                result->keptScratch = true;
        } else {
            (void)removeScratchCopy(r.scratchDir, o.owner, out);
        }
        return result;
    };
    progress.enter(0, QStringLiteral("restoring backup %1 into %2").arg(r.backupId, r.scratchDir));
    QElapsedTimer timer;
    timer.start();
    auto restored = Restore(ro).run(progress, cancel);
    if (!restored)
        return cleanup(restored.error());
    r.restoreSeconds = timer.elapsed() / 1000.0;
    if (Status s = openLocalTrust(r.scratchDir, o.owner); !s)
        return cleanup(s.error());
    progress.enter(1, QStringLiteral("replaying WAL up to just before transaction %1").arg(o.xid));
    StartOptions st;
    st.dataDir = r.scratchDir;
    st.osUser = o.owner;
    st.action = QStringLiteral("promote");
    st.replayFrom = restored->replayFrom;
    st.replayTo = restored->replayTo;
    st.timeoutSec = o.timeoutSec;
    auto started = startRestored(st, progress, cancel);
    if (!started)
        return cleanup(started.error());
    r.replaySeconds = started->replaySeconds;
    Scratch scratch;
    scratch.dataDir = r.scratchDir;
    scratch.port = pg::conninfoValue(started->conninfo, QStringLiteral("port")).toInt();
    scratch.user = pg::conninfoValue(started->conninfo, QStringLiteral("user"));
    scratch.versionNum = record->pgVersionNum;
    if (auto c = pg::Connection::connect({scratch.conninfo(QStringLiteral("postgres")), {}, false, 10, QStringLiteral("pgarchivist undo")}, &cancel))
        scratch.versionNum = (*c)->serverVersionNum();
    r.scratchConninfo = scratch.conninfo(QStringLiteral("postgres"));

    progress.enter(2, QStringLiteral("copying %1 item(s) into the live server").arg(r.items.size()));
    timer.restart();
    QTemporaryDir work(QFileInfo(r.scratchDir).absolutePath() + QStringLiteral("/undo-dump-XXXXXX"));
    if (!work.isValid())
        return cleanup(Error(Error::Code::Io, QStringLiteral("Cannot make a temporary directory beside %1.").arg(r.scratchDir)));
    Copier copier(o, scratch, work.path(), cancel, out);
    for (int i = 0; i < r.items.size(); ++i) {
        if (cancel.isCancelled())
            return cleanup(Error(Error::Code::Cancelled, QStringLiteral("Cancelled after %1 of %2 items were copied.").arg(i).arg(r.items.size())));
        UndoItem &it = r.items[i];
        if (Status s = copier.copy(it, i); !s)
            return cleanup(Error(s.error().code, QStringLiteral("Copying %1 failed: %2").arg(it.targetText().isEmpty() ? it.sourceName : it.targetText(),
                                                                                           s.error().message), s.error().detail));
        out.info(QStringLiteral("%1: %2 rows in the live server, %3 in the scratch copy%4").arg(it.targetText())
                     .arg(it.liveRows.value_or(-1)).arg(it.scratchRows.value_or(-1))
                     .arg(it.matches() ? QStringLiteral(" (identical)") : QStringLiteral(" (DIFFERENT)")));
        progress.progress(i + 1, r.items.size());
    }
    r.copySeconds = timer.elapsed() / 1000.0;
    return cleanup(r);
}

QJsonObject undoJson(const UndoResult &r)
{
    QJsonArray events, items;
    for (const BlunderEvent &e : r.events)
        events.append(blunderJson(e));
    auto rows = [](const std::optional<qint64> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    for (const UndoItem &i : r.items) {
        QJsonObject j{{QStringLiteral("kind"), i.kind},
                      {QStringLiteral("event"), i.event},
                      {QStringLiteral("database"), i.database},
                      {QStringLiteral("source"), i.sourceName.isEmpty() ? QJsonValue() : QJsonValue(i.sourceSchema + QLatin1Char('.') + i.sourceName)},
                      {QStringLiteral("target"), i.targetName.isEmpty() ? QJsonValue() : QJsonValue(i.targetText())},
                      {QStringLiteral("create_schema"), i.createSchema},
                      {QStringLiteral("expected_rows"), rows(i.expectedRows)}};
        if (!r.dryRun) {
            j.insert(QStringLiteral("scratch_rows"), rows(i.scratchRows));
            j.insert(QStringLiteral("live_rows"), rows(i.liveRows));
            j.insert(QStringLiteral("scratch_md5"), i.scratchMd5.isEmpty() ? QJsonValue() : QJsonValue(i.scratchMd5));
            j.insert(QStringLiteral("live_md5"), i.liveMd5.isEmpty() ? QJsonValue() : QJsonValue(i.liveMd5));
            j.insert(QStringLiteral("match"), i.matches());
            j.insert(QStringLiteral("created"), QJsonArray::fromStringList(i.created));
        }
        items.append(j);
    }
    QJsonObject o{{QStringLiteral("xid"), qint64(r.xid)},
                  {QStringLiteral("dry_run"), r.dryRun},
                  {QStringLiteral("backup"), r.backupId},
                  {QStringLiteral("scratch_dir"), r.scratchDir},
                  {QStringLiteral("events"), events},
                  {QStringLiteral("items"), items}};
    if (!r.dryRun) {
        o.insert(QStringLiteral("kept_scratch"), r.keptScratch);
        o.insert(QStringLiteral("scratch_conninfo"), r.keptScratch ? QJsonValue(r.scratchConninfo) : QJsonValue());
        o.insert(QStringLiteral("restore_seconds"), r.restoreSeconds);
        o.insert(QStringLiteral("replay_seconds"), r.replaySeconds);
        o.insert(QStringLiteral("copy_seconds"), r.copySeconds);
        o.insert(QStringLiteral("all_match"), r.allMatch());
    }
    return o;
}

QStringList undoLines(const UndoResult &r)
{
    QStringList out;
    out << (r.dryRun ? QStringLiteral("Undo of transaction %1 would restore backup %2 into %3, stop just before the transaction, and create:")
                     : QStringLiteral("Undo of transaction %1 restored backup %2 and created:"))
               .arg(r.xid).arg(r.backupId, r.scratchDir);
    for (const UndoItem &i : r.items) {
        QString line;
        if (i.kind == QLatin1String("database"))
            line = QStringLiteral("  database %1 (the database dropped by transaction %2, as it was before)").arg(i.targetName).arg(r.xid);
        else if (i.kind == QLatin1String("table"))
            line = QStringLiteral("  table %1 in database %2 (dropped; recreated with its indexes and rows)")
                       .arg(i.targetName.isEmpty() ? QStringLiteral("(named in the scratch copy)") : i.targetText(), i.database);
        else
            line = QStringLiteral("  table %1 in database %2 (the rows of %3 before the %4)")
                       .arg(i.targetName.isEmpty() ? QStringLiteral("(named in the scratch copy)") : i.targetText(), i.database,
                            i.sourceName.isEmpty() ? QStringLiteral("file %1").arg(i.sourceFilenode) : i.sourceSchema + QLatin1Char('.') + i.sourceName,
                            blunderKindText(i.event));
        if (i.createSchema)
            line += QStringLiteral(", creating schema %1").arg(i.targetSchema);
        if (!r.dryRun)
            line += QStringLiteral(": %1 rows, %2").arg(i.liveRows.value_or(0)).arg(i.matches() ? QStringLiteral("identical to the scratch copy")
                                                                                            : QStringLiteral("DIFFERENT from the scratch copy (%1 rows)")
                                                                                                  .arg(i.scratchRows.value_or(0)));
        out << line;
    }
    return out;
}

} // namespace pga::engine
