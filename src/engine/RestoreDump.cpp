#include "RestoreDump.h"

#include "ClientRun.h"
#include "DumpFiles.h"
#include "DumpProgress.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"
#include "repo/DurableFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

namespace pga::engine {

namespace {

// psql learnt \restrict in these releases; a plain dump from a pg_dump as new starts with it.
bool psqlKnowsRestrict(int v)
{
    const int major = v / 10000, minor = v % 10000;
    switch (major) {
    case 13: return minor >= 22;
    case 14: return minor >= 19;
    case 15: return minor >= 14;
    case 16: return minor >= 10;
    case 17: return minor >= 6;
    default: return major >= 18;
    }
}

struct ClientRun {
    QStringList errors;        // error lines with the statements that followed them
    int ignored = 0;
    QStringList log;
};

} // namespace

Result<QList<TocEntry>> RestoreDump::toc(const CancelToken &cancel) const
{
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    const repo::DumpCatalog catalog(*repo, m_o.server);
    auto m = catalog.read(m_o.dumpId);
    if (!m)
        return m.error();
    return tocOf(catalog, *m, cancel);
}

Result<QList<TocEntry>> RestoreDump::tocOf(const repo::DumpCatalog &catalog, const repo::DumpManifest &dump, const CancelToken &cancel) const
{
    const repo::DumpManifest *m = &dump;
    if (m->format == QLatin1String("plain"))
        return Error(Error::Code::Unsupported, QStringLiteral("Dump %1 is a plain SQL script: it has no table of contents to choose from; "
                                                              "restore it whole, or take custom-format dumps to restore parts.")
                                                   .arg(m->id));
    const repo::DumpDatabase *db = m_o.database.isEmpty() && m->databases.size() == 1 ? &m->databases.first() : m->database(m_o.database);
    if (!db)
        return Error(Error::Code::NotFound, QStringLiteral("Dump %1 has no database \"%2\"; name one with --database.").arg(m->id, m_o.database));
    auto tool = pg::ClientTools::matchedClient(QStringLiteral("pg_restore"), m->dumpVersionNum);
    if (!tool)
        return tool.error();
    QTemporaryDir tmp(QDir::tempPath() + QStringLiteral("/pgarchivist-toc-XXXXXX"));
    QStringList args{QStringLiteral("--list")};
    std::unique_ptr<StoredReader> feed;
    if (m->format == QLatin1String("directory")) {
        for (const repo::DumpFile &f : db->files)
            if (f.path.endsWith(QLatin1String("/toc.dat.zst")))
                if (Status s = decompressTo(catalog.filePath(m->id, f.path), f, tmp.path() + QStringLiteral("/toc.dat"), cancel); !s)
                    return s.error();
        args << QStringLiteral("--format=directory") << tmp.path();
    } else {
        feed = std::make_unique<StoredReader>(catalog.filePath(m->id, db->files.first().path), db->files.first());
        if (Status s = feed->open(); !s)
            return s.error();
        args << QStringLiteral("--format=custom");
    }
    auto child = pg::ChildProcess::start({tool->path, args, {}, bool(feed), QString()});
    if (!child)
        return child.error();
    QByteArray out;
    QStringList errors;
    pg::ChildProcess::Handlers h;
    h.out = [&](const char *p, size_t n) {
        out.append(p, qsizetype(n));
        return Status();
    };
    h.errLine = [&](const QString &l) { errors << l; };
    // pg_restore --list stops reading once it has the TOC; what follows is not needed (nor checked here).
    if (feed)
        h.in = [&]() -> Result<QByteArray> { return feed->next(); };
    auto rc = (*child)->pump(h, cancel);
    if (!rc)
        return rc.error();
    if (*rc != 0)
        return Error(Error::Code::Query, QStringLiteral("pg_restore --list failed (exit %1).").arg(*rc), errors.join(QLatin1Char('\n')));
    return parseRestoreList(out);
}

QStringList RestoreDump::cliArgs(const RestoreDumpOptions &o)
{
    QStringList a{QStringLiteral("restore-dump"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server,
                  QStringLiteral("--dump"), o.dumpId, QStringLiteral("--conninfo"), o.conninfo};
    if (!o.database.isEmpty())
        a << QStringLiteral("--database") << o.database;
    if (!o.into.isEmpty())
        a << QStringLiteral("--into") << o.into;
    if (o.create)
        a << QStringLiteral("--create");
    if (o.clean)
        a << QStringLiteral("--clean");
    if (o.globals)
        a << QStringLiteral("--globals");
    if (o.jobs > 1)
        a << QStringLiteral("--jobs") << QString::number(o.jobs);
    if (!o.useListFile.isEmpty())
        a << QStringLiteral("--use-list") << o.useListFile;
    for (const QString &s : o.schemas)
        a << QStringLiteral("--schema") << s;
    for (const QString &t : o.tables)
        a << QStringLiteral("--table") << t;
    if (o.dataOnly)
        a << QStringLiteral("--data-only");
    if (o.schemaOnly)
        a << QStringLiteral("--schema-only");
    return a;
}

Result<RestoreDumpResult> RestoreDump::run(ProgressSink &progress, const CancelToken &cancel)
{
    QElapsedTimer took;
    took.start();
    if (m_o.dataOnly && m_o.schemaOnly)
        return Error(Error::Code::InvalidArgument, QStringLiteral("--data-only and --schema-only exclude each other."));
    if (!m_o.into.isEmpty() && m_o.create)
        return Error(Error::Code::InvalidArgument, QStringLiteral("--into creates the new database itself; leave out --create."));
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    const repo::DumpCatalog catalog(*repo, m_o.server);
    auto m = catalog.read(m_o.dumpId);
    if (!m)
        return m.error();
    const bool plain = m->format == QLatin1String("plain");

    // Which databases, restored where.
    QList<const repo::DumpDatabase *> dbs;
    if (!m_o.database.isEmpty()) {
        const repo::DumpDatabase *d = m->database(m_o.database);
        if (!d) {
            QStringList names;
            for (const repo::DumpDatabase &x : m->databases)
                names << x.name;
            return Error(Error::Code::NotFound, QStringLiteral("Dump %1 has no database \"%2\" (it has: %3).")
                                                    .arg(m->id, m_o.database, names.join(QStringLiteral(", "))));
        }
        dbs << d;
    } else {
        for (const repo::DumpDatabase &x : m->databases)
            dbs << &x;
    }
    const bool everything = m_o.database.isEmpty() && dbs.size() > 1;
    if (everything && !m_o.into.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("Dump %1 holds %2 databases: name the one to restore with --database before --into.")
                                                       .arg(m->id)
                                                       .arg(dbs.size()));
    const bool withGlobals = (everything || m_o.globals) && m->hasGlobals && !m_o.dataOnly;
    if ((!m_o.useListFile.isEmpty() || !m_o.useList.isEmpty() || !m_o.schemas.isEmpty() || !m_o.tables.isEmpty()) && plain)
        return Error(Error::Code::Unsupported, QStringLiteral("Dump %1 is a plain SQL script: it restores whole (no --table, --schema or list).").arg(m->id));

    // Nothing runs before every file this restore reads has been checked.
    QList<repo::DumpFile> needed;
    if (withGlobals)
        needed << m->globals;
    for (const repo::DumpDatabase *d : dbs)
        needed << d->files;
    progress.info(QStringLiteral("Checking %1 file(s) of dump %2 against their SHA-256…").arg(needed.size()).arg(m->id));
    auto problems = checkDumpFiles(catalog, *m, needed, cancel, false);
    if (!problems)
        return problems.error();
    if (!problems->isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("Dump %1 is damaged; nothing was restored. %2").arg(m->id, problems->first()),
                     problems->join(QLatin1Char('\n')));

    QString pw = m_o.password;
    auto adminCi = pg::conninfoForDatabase(m_o.conninfo, QString(), &pw);
    if (!adminCi)
        return adminCi.error();
    auto admin = pg::Connection::connect({*adminCi, pw, false, 10, QStringLiteral("pgarchivist restore-dump")}, &cancel);
    if (!admin)
        return admin.error();
    const int targetVersion = (*admin)->serverVersionNum();
    const QString targetDefaultDb = (*admin)->database();
    const int needVersion = std::max(targetVersion, m->dumpVersionNum);
    auto restoreTool = pg::ClientTools::matchedClient(QStringLiteral("pg_restore"), needVersion);
    auto psqlTool = pg::ClientTools::matchedClient(QStringLiteral("psql"), needVersion);
    if ((!plain && !restoreTool) || ((plain || withGlobals) && !psqlTool))
        return !plain && !restoreTool ? restoreTool.error() : psqlTool.error();

    // A plain script from pg_dump 15.14 and later starts with \restrict: refused, before anything changes, when this psql
    // cannot run it.
    if (plain && !psqlKnowsRestrict(psqlTool->versionNum))
        for (const repo::DumpDatabase *d : dbs) {
            StoredReader feed(catalog.filePath(m->id, d->files.first().path), d->files.first());
            if (Status s = feed.open(); !s)
                return s.error();
            auto head = feed.next();
            if (!head)
                return head.error();
            if (head->startsWith("\\restrict") || head->contains("\n\\restrict "))
                return Error(Error::Code::Unsupported,
                             QStringLiteral("Dump %1 is a plain script from pg_dump %2, which starts with \\restrict; psql %3 (%4) cannot run it. "
                                            "Install a newer postgresql-client-%5 (psql 13.22, 14.19, 15.14, 16.10, 17.6 and later know "
                                            "\\restrict). Nothing was restored.")
                                 .arg(m->id, pg::versionText(m->dumpVersionNum), pg::versionText(psqlTool->versionNum), psqlTool->path)
                                 .arg(psqlTool->versionNum / 10000));
        }

    auto passFile = PassFile::create(pw);
    if (!passFile)
        return passFile.error();
    const QString appName = QStringLiteral("pgarchivist restore-dump ") + m->id;
    QStringList env = (*passFile)->env();
    env << QStringLiteral("PGAPPNAME=") + appName;

    RestoreDumpResult result;
    result.dumpId = m->id;

    // Feeds a stored file to a client's stdin (or discards) and collects its errors as the warnings they are.
    // beforePoll: a chance to connect the progress watcher once pg_restore --create has made the database.
    using Feed = std::function<Result<QByteArray>()>;
    auto runClient = [&](const QString &program, const QStringList &args, Feed feed, DumpProgress *track, ClientRun &run,
                         const std::function<void()> &beforePoll = {}) -> Result<int> {
        const QString cmd = shellJoin(program, args);
        result.commands << cmd;
        progress.info(cmd);
        auto child = pg::ChildProcess::start({program, args, env, bool(feed), QString()});
        if (!child)
            return child.error();
        pg::ChildProcess::Handlers h;
        bool inStatement = false;
        h.errLine = [&](const QString &l) {
            if (l.contains(QLatin1String("errors ignored on restore:"))) {
                run.ignored = l.section(QLatin1Char(':'), -1).trimmed().toInt();
                return;
            }
            const ClientLineKind k = classifyClientLine(l);
            if (k == ClientLineKind::Error) {
                run.errors << l.trimmed();
                inStatement = false;
            } else if (l.startsWith(QLatin1String("Command was:")) || (inStatement && !l.startsWith(QLatin1String("pg_restore:")))) {
                if (!run.errors.isEmpty())
                    run.errors.last() += QLatin1Char('\n') + l;
                inStatement = true;
            } else if (track) {
                inStatement = false;
                track->verboseLine(l);
            }
        };
        h.in = std::move(feed);
        if (track) {
            h.tick = [&] {
                if (beforePoll)
                    beforePoll();
                track->poll(cancel);
            };
            h.tickMs = 1000;
        }
        return (*child)->pump(h, cancel);
    };

    // psql runs a script from stdin past its errors (they become warnings), without ~/.psqlrc.
    auto psqlArgs = [](const QString &conninfo) {
        return QStringList{QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("--dbname=") + conninfo, QStringLiteral("-v"),
                           QStringLiteral("ON_ERROR_STOP=0"), QStringLiteral("-f"), QStringLiteral("-")};
    };
    auto createDatabase = [&](const QString &name) -> Status {
        QString q = name;
        q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        auto created = (*admin)->exec(QStringLiteral("CREATE DATABASE \"%1\" TEMPLATE template0").arg(q), {}, &cancel, 600000);
        if (!created)
            return created.error();
        progress.info(QStringLiteral("Created database %1.").arg(name));
        return {};
    };

    if (withGlobals) {
        StoredReader feed(catalog.filePath(m->id, m->globals.path), m->globals);
        if (Status s = feed.open(); !s)
            return s.error();
        ClientRun run;
        auto rc = runClient(psqlTool->path, psqlArgs(*adminCi), [&feed] { return feed.next(); }, nullptr, run);
        if (!rc)
            return rc.error();
        if (*rc != 0)
            return Error(Error::Code::Query, QStringLiteral("Restoring the roles and tablespaces failed (psql exit %1).").arg(*rc),
                         run.errors.join(QLatin1Char('\n')));
        // "role already exists" for roles the target has: expected, and said.
        for (const QString &e : run.errors)
            result.warnings << QStringLiteral("globals: ") + e;
        result.errorsIgnored += int(run.errors.size());
    }

    qint64 total = 0;
    for (const repo::DumpDatabase *d : dbs)
        for (const repo::DumpTable &t : d->tables)
            total += t.bytes;
    DumpProgress overall(progress, m_o.schemaOnly ? 0 : total);
    QTemporaryDir scratch(QDir::tempPath() + QStringLiteral("/pgarchivist-restore-dump-XXXXXX"));
    if (!scratch.isValid())
        return Error(Error::Code::Io, QStringLiteral("Could not create a temporary directory in %1.").arg(QDir::tempPath()));

    for (const repo::DumpDatabase *d : dbs) {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("The restore was cancelled."));
        // Where it goes: a new database (--into), its own name (--create, or every database of a dump set), or the
        // conninfo's database.
        const bool createOwn = m_o.create || everything;
        QString targetDb = !m_o.into.isEmpty() ? m_o.into : createOwn ? d->name : targetDefaultDb;
        if (!m_o.into.isEmpty()) {
            auto exists = (*admin)->exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"), {m_o.into}, &cancel, 10000);
            if (!exists)
                return exists.error();
            if (exists->rowCount() > 0 && !m_o.clean)
                return Error(Error::Code::Conflict, QStringLiteral("The target already has a database \"%1\"; choose a new name for --into, "
                                                                   "or add --clean to replace the dumped objects in it.")
                                                        .arg(m_o.into));
            if (exists->rowCount() == 0)
                if (Status s = createDatabase(m_o.into); !s)
                    return s.error();
        }
        auto dbCi = pg::conninfoForDatabase(m_o.conninfo, createOwn ? QString() : targetDb, &pw);
        if (!dbCi)
            return dbCi.error();
        ClientRun run;
        Result<int> rc = 0;
        std::unique_ptr<pg::Connection> watcher;
        auto attachWatcher = [&] {
            // Progress on the target: its COPYs, once the database exists.
            auto ci = pg::conninfoForDatabase(m_o.conninfo, targetDb, &pw);
            auto w = ci ? pg::Connection::connect({*ci, pw, false, 5, QStringLiteral("pgarchivist restore-dump watch")}, &cancel)
                        : Result<std::unique_ptr<pg::Connection>>(ci.error());
            if (w)
                watcher = std::move(*w);
        };
        if (plain) {
            StoredReader feed(catalog.filePath(m->id, d->files.first().path), d->files.first());
            if (Status s = feed.open(); !s)
                return s.error();
            auto head = feed.next();
            if (!head)
                return head.error();
            if (createOwn && targetDb != targetDefaultDb) {
                Status created = createDatabase(targetDb);
                if (!created && created.error().message.contains(QLatin1String("already exists")))
                    result.warnings << QStringLiteral("%1: the database already exists; the script runs in it.").arg(targetDb);
                else if (!created)
                    return created.error();
            }
            auto ci = pg::conninfoForDatabase(m_o.conninfo, targetDb, &pw);
            if (!ci)
                return ci.error();
            attachWatcher();
            overall.startDatabase(targetDb, d->tables, watcher.get(), appName);
            // The first piece was read for the check; it goes first.
            QByteArray first = *head;
            rc = runClient(psqlTool->path, psqlArgs(*ci), [&]() -> Result<QByteArray> {
                if (!first.isEmpty())
                    return std::exchange(first, QByteArray());
                return feed.next();
            }, &overall, run);
        } else {
            QStringList args{QStringLiteral("--verbose"), QStringLiteral("--no-password")};
            args << QStringLiteral("--dbname=") + *dbCi;
            if (createOwn)
                args << QStringLiteral("--create");
            if (m_o.clean)
                args << QStringLiteral("--clean") << QStringLiteral("--if-exists");
            if (m_o.dataOnly)
                args << QStringLiteral("--data-only");
            if (m_o.schemaOnly)
                args << QStringLiteral("--schema-only");
            for (const QString &s : m_o.schemas)
                args << QStringLiteral("--schema=") + s;
            for (const QString &t : m_o.tables)
                args << QStringLiteral("--table=") + t;
            if (m_o.jobs > 1)
                args << QStringLiteral("--jobs=%1").arg(m_o.jobs);
            QString listFile = m_o.useListFile;
            if (!m_o.useList.isEmpty()) {
                listFile = scratch.filePath(QStringLiteral("restore.list"));
                QFile lf(listFile);
                if (!lf.open(QIODevice::WriteOnly) || lf.write(m_o.useList) != m_o.useList.size())
                    return Error(Error::Code::Io, QStringLiteral("Could not write %1.").arg(listFile));
            }
            if (!listFile.isEmpty())
                args << QStringLiteral("--use-list=") + listFile;
            std::unique_ptr<StoredReader> feed;
            if (m->format == QLatin1String("directory")) {
                const QString dir = scratch.filePath(d->name.isEmpty() ? QStringLiteral("db") : QStringLiteral("db-%1").arg(dbs.indexOf(d)));
                QDir().mkpath(dir);
                progress.info(QStringLiteral("Unpacking the directory dump of %1 into %2…").arg(d->name, dir));
                for (const repo::DumpFile &f : d->files) {
                    QString name = f.path.section(QLatin1Char('/'), -1);
                    name.chop(4);  // ".zst"
                    if (Status s = decompressTo(catalog.filePath(m->id, f.path), f, dir + QLatin1Char('/') + name, cancel); !s)
                        return s.error();
                }
                args << QStringLiteral("--format=directory") << dir;
            } else if (m_o.jobs > 1 || !listFile.isEmpty()) {
                // Parallel restore and an arbitrary list both seek in the archive: it cannot come through a pipe.
                const QString file = scratch.filePath(QStringLiteral("dump.custom"));
                progress.info(QStringLiteral("Unpacking the dump of %1 into %2 (parallel restore and lists need a seekable file)…").arg(d->name, file));
                if (Status s = decompressTo(catalog.filePath(m->id, d->files.first().path), d->files.first(), file, cancel); !s)
                    return s.error();
                args << QStringLiteral("--format=custom") << file;
            } else {
                feed = std::make_unique<StoredReader>(catalog.filePath(m->id, d->files.first().path), d->files.first());
                if (Status s = feed->open(); !s)
                    return s.error();
                args << QStringLiteral("--format=custom");
            }
            if (!createOwn)
                attachWatcher();
            overall.startDatabase(targetDb, d->tables, watcher.get(), appName);
            rc = runClient(restoreTool->path, args, feed ? Feed([&feed] { return feed->next(); }) : Feed(), &overall, run, [&] {
                // Not with --clean: a session of ours in the database would make pg_restore's DROP DATABASE fail.
                if (watcher || !createOwn || m_o.clean)
                    return;
                attachWatcher();
                overall.setWatcher(watcher.get());
            });
        }
        if (!rc)
            return rc.error();
        // pg_restore exits 1 both when it could not run and when it ran past errors ("errors ignored on restore: N").
        if (*rc != 0 && !(run.ignored > 0 && *rc == 1))
            return Error(Error::Code::Query, QStringLiteral("Restoring database %1 failed (exit %2): %3")
                                                 .arg(d->name)
                                                 .arg(*rc)
                                                 .arg(run.errors.isEmpty() ? QStringLiteral("see the log") : run.errors.first().section(QLatin1Char('\n'), 0, 0)),
                         run.errors.join(QLatin1Char('\n')));
        for (const QString &e : run.errors) {
            result.warnings << QStringLiteral("%1: %2").arg(targetDb, e.trimmed());
            progress.warning(QStringLiteral("%1: %2").arg(targetDb, e));
        }
        result.errorsIgnored += plain ? int(run.errors.size()) : run.ignored;
        overall.finishDatabase();
        result.databases << targetDb;
    }
    result.seconds = double(took.elapsed()) / 1000.0;
    progress.info(result.warnings.isEmpty() ? QStringLiteral("Restored %1 database(s) from dump %2.").arg(result.databases.size()).arg(m->id)
                                            : QStringLiteral("Restored %1 database(s) from dump %2 with %3 warning(s).")
                                                  .arg(result.databases.size())
                                                  .arg(m->id)
                                                  .arg(result.warnings.size()));
    return result;
}

QJsonObject restoreDumpJson(const RestoreDumpResult &r)
{
    return {{QStringLiteral("dump"), r.dumpId},
            {QStringLiteral("databases"), QJsonArray::fromStringList(r.databases)},
            {QStringLiteral("commands"), QJsonArray::fromStringList(r.commands)},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)},
            {QStringLiteral("errors_ignored"), r.errorsIgnored},
            {QStringLiteral("seconds"), r.seconds}};
}

} // namespace pga::engine
