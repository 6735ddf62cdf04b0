#include "Dump.h"

#include "ClientRun.h"
#include "DumpProgress.h"
#include "core/Zstd.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace pga::engine {

namespace {

using repo::DumpFile;

// Compresses a stream into a repository file as it arrives: the stored bytes' SHA-256 and size come out.
class CompressedFile {
public:
    static Result<std::unique_ptr<CompressedFile>> create(const QString &path, const QString &relative, const repo::FileOwner &owner, int level)
    {
        auto w = repo::HashingFileWriter::create(path, owner);
        if (!w)
            return w.error();
        std::unique_ptr<CompressedFile> f(new CompressedFile(std::move(*w), level));
        f->m_file.path = relative;
        return f;
    }
    Status add(const char *p, size_t n)
    {
        m_file.rawBytes += qint64(n);
        m_out.clear();
        if (Status s = m_zstd.add(p, n, m_out); !s)
            return s;
        return m_out.isEmpty() ? Status() : m_w->write(m_out);
    }
    Result<DumpFile> finish()
    {
        m_out.clear();
        if (Status s = m_zstd.finish(m_out); !s)
            return s.error();
        if (Status s = m_w->write(m_out); !s)
            return s.error();
        auto sha = m_w->finish();
        if (!sha)
            return sha.error();
        m_file.sha256 = *sha;
        m_file.bytes = m_w->bytes();
        return m_file;
    }

private:
    CompressedFile(std::unique_ptr<repo::HashingFileWriter> w, int level) : m_w(std::move(w)), m_zstd(level, 1) {}
    std::unique_ptr<repo::HashingFileWriter> m_w;
    zstd::StreamCompressor m_zstd;
    QByteArray m_out;
    DumpFile m_file;
};

Result<std::unique_ptr<pg::Connection>> connectTo(const QString &conninfo, const QString &password, const QString &db, const CancelToken &cancel)
{
    QString pw = password;
    auto ci = pg::conninfoForDatabase(conninfo, db, &pw);
    if (!ci)
        return ci.error();
    return pg::Connection::connect({*ci, pw, false, 10, QStringLiteral("pgarchivist dump")}, &cancel);
}

Result<QList<repo::DumpTable>> tablesOf(pg::Connection &c, const CancelToken &cancel)
{
    // pg_table_size waits behind any lock on a table; when one is held (pg_dump itself would wait there), the sizes
    // come from the statistics in pg_class instead, which take no lock but lag until the next VACUUM/ANALYZE.
    const QString from = QStringLiteral(" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid "
                                        "WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' ORDER BY 1, 2");
    (void)c.exec(QStringLiteral("SET lock_timeout = '2s'"), {}, &cancel, 5000);
    auto r = c.exec(QStringLiteral("SELECT n.nspname, c.relname, pg_table_size(c.oid), c.reltuples::bigint") + from, {}, &cancel, 60000);
    if (!r && r.error().code != Error::Code::Cancelled)
        r = c.exec(QStringLiteral("SELECT n.nspname, c.relname, (c.relpages::bigint + coalesce(t.relpages, 0)) * current_setting('block_size')::bigint, "
                                  "c.reltuples::bigint") + from, {}, &cancel, 60000);
    if (!r)
        return r.error();
    QList<repo::DumpTable> out;
    for (int i = 0; i < r->rowCount(); ++i)
        out << repo::DumpTable{r->value(i, 0), r->value(i, 1), r->value(i, 2).toLongLong(), r->value(i, 3).toLongLong()};
    return out;
}

// Last error lines of a client, for the failure message.
QString lastErrors(const QStringList &errors)
{
    return errors.isEmpty() ? QString() : errors.mid(std::max<qsizetype>(0, errors.size() - 5)).join(QLatin1Char('\n'));
}

} // namespace

namespace {
Result<QList<DatabaseSize>> databasesOn(pg::Connection &c, const CancelToken &cancel)
{
    auto r = c.exec(QStringLiteral("SELECT datname, pg_database_size(oid) FROM pg_database WHERE datallowconn AND NOT datistemplate "
                                       "AND has_database_privilege(datname, 'CONNECT') ORDER BY datname"),
                        {}, &cancel, 60000);
    if (!r)
        return r.error();
    QList<DatabaseSize> out;
    for (int i = 0; i < r->rowCount(); ++i)
        out << DatabaseSize{r->value(i, 0), r->value(i, 1).toLongLong()};
    return out;
}
} // namespace

Result<QList<DatabaseSize>> Dump::databases(const QString &conninfo, const QString &password, const CancelToken &cancel)
{
    auto c = connectTo(conninfo, password, QString(), cancel);
    if (!c)
        return c.error();
    return databasesOn(**c, cancel);
}

QStringList Dump::cliArgs(const DumpOptions &o)
{
    QStringList a{QStringLiteral("dump"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server,
                  QStringLiteral("--conninfo"), o.conninfo};
    if (o.all)
        a << QStringLiteral("--all");
    for (const QString &d : o.databases)
        a << QStringLiteral("--database") << d;
    if (o.format != QLatin1String("custom"))
        a << QStringLiteral("--format") << o.format;
    if (o.jobs > 1)
        a << QStringLiteral("--jobs") << QString::number(o.jobs);
    for (const QString &s : o.schemas)
        a << QStringLiteral("--schema") << s;
    for (const QString &t : o.tables)
        a << QStringLiteral("--table") << t;
    for (const QString &t : o.excludeTables)
        a << QStringLiteral("--exclude-table") << t;
    if (!o.globals)
        a << QStringLiteral("--no-globals");
    if (!o.label.isEmpty())
        a << QStringLiteral("--label") << o.label;
    return a;
}

Result<repo::DumpManifest> Dump::run(ProgressSink &progress, const CancelToken &cancel)
{
    static const QStringList formats{QStringLiteral("custom"), QStringLiteral("directory"), QStringLiteral("plain")};
    if (!formats.contains(m_o.format))
        return Error(Error::Code::InvalidArgument, QStringLiteral("--format must be custom, directory or plain."));
    if (m_o.jobs > 1 && m_o.format != QLatin1String("directory"))
        return Error(Error::Code::InvalidArgument, QStringLiteral("--jobs needs --format directory (pg_dump dumps in parallel only into a directory)."));
    auto repo = repo::Repository::open(m_o.repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();
    if (repo->onObjectStorage() && m_o.format == QLatin1String("directory"))  // pg_dump writes it into a local directory
        return Error(Error::Code::Unsupported,
                     QStringLiteral("--format directory needs a repository on a file system (pg_dump writes its files into the dump's "
                                    "directory); on object storage use --format custom or plain."));
    if (repo->encrypted() && m_o.format == QLatin1String("directory"))  // pg_dump's staging files would be plain
        return Error(Error::Code::Unsupported,
                     QStringLiteral("--format directory cannot write into an encrypted repository (pg_dump writes its files "
                                    "unencrypted before they are stored); use --format custom or plain."));
    if (Status s = repo::Repository::validateServerName(m_o.server); !s)
        return s.error();

    auto conn = connectTo(m_o.conninfo, m_o.password, QString(), cancel);
    if (!conn)
        return conn.error();
    pg::Connection &c = **conn;
    // The detection seam: tests fake a newer server here (PGA_TEST_SERVER_VERSION_NUM), PostgreSQL itself stays real.
    const int fakeVersion = qEnvironmentVariableIntValue("PGA_TEST_SERVER_VERSION_NUM");
    const int serverVersion = fakeVersion > 0 ? fakeVersion : c.serverVersionNum();
    // The cluster's identity ties the dump to the server name like a base backup (pg_control_system is readable
    // by everyone on PostgreSQL 15).
    auto ident = c.exec(QStringLiteral("SELECT system_identifier FROM pg_control_system()"), {}, &cancel, 10000);
    const quint64 sysid = ident && ident->rowCount() == 1 ? ident->value(0, 0).toULongLong() : 0;
    if (sysid) {
        auto rec = repo->ensureServer(m_o.server, sysid, serverVersion);
        if (!rec)
            return rec.error();
    }

    // Client programs fit for this server, chosen before anything starts.
    auto dumpTool = pg::ClientTools::matchedClient(QStringLiteral("pg_dump"), serverVersion);
    if (!dumpTool)
        return dumpTool.error();
    Result<pg::ClientTools::Match> dumpallTool = pg::ClientTools::Match{};
    if (m_o.globals) {
        dumpallTool = pg::ClientTools::matchedClient(QStringLiteral("pg_dumpall"), serverVersion);
        if (!dumpallTool)
            return dumpallTool.error();
    }

    QStringList dbNames = m_o.databases;
    QList<DatabaseSize> sizes;
    {
        auto all = databasesOn(c, cancel);  // on the connection we have
        if (!all)
            return all.error();
        sizes = *all;
    }
    if (m_o.all) {
        dbNames.clear();
        for (const DatabaseSize &d : sizes)
            dbNames << d.name;
    } else if (dbNames.isEmpty()) {
        dbNames << c.database();
    }
    for (const QString &d : dbNames) {
        const bool known = std::any_of(sizes.begin(), sizes.end(), [&](const DatabaseSize &s) { return s.name == d; });
        if (!known)
            return Error(Error::Code::NotFound, QStringLiteral("The server has no database \"%1\" that this role may connect to (it has: %2).")
                                                    .arg(d, [&] {
                                                        QStringList n;
                                                        for (const DatabaseSize &s : sizes)
                                                            n << s.name;
                                                        return n.join(QStringLiteral(", "));
                                                    }()));
    }

    auto serverLock = repo->lock(m_o.server, repo::Repository::LockMode::Shared, 30000);
    if (!serverLock)
        return serverLock.error();

    repo::DumpManifest m;
    m.startTimeUtc = QDateTime::currentDateTimeUtc();
    m.id = repo::DumpCatalog::makeId(m.startTimeUtc);
    const repo::DumpCatalog catalog(*repo, m_o.server);
    while (QFileInfo::exists(catalog.dir(m.id))) {  // IDs are to the second
        QThread::msleep(250);
        m.startTimeUtc = QDateTime::currentDateTimeUtc();
        m.id = repo::DumpCatalog::makeId(m.startTimeUtc);
    }
    m.label = m_o.label.isEmpty() ? QStringLiteral("pgarchivist dump %1").arg(m.id) : m_o.label;
    m.server = m_o.server;
    m.format = m_o.format;
    m.systemIdentifier = sysid;
    m.serverVersionNum = serverVersion;
    m.dumpProgram = dumpTool->path;
    m.dumpVersionNum = dumpTool->versionNum;
    for (const QString &s : m_o.schemas)
        m.filters << QStringLiteral("--schema=") + s;
    for (const QString &t : m_o.tables)
        m.filters << QStringLiteral("--table=") + t;
    for (const QString &t : m_o.excludeTables)
        m.filters << QStringLiteral("--exclude-table=") + t;

    if (Status s = repo::makeDirectoryDurably(catalog.root(), repo->writeAs()); !s)
        return s.error();
    if (Status s = catalog.begin(m.id); !s)
        return s.error();
    // Anything but a published dump is removed on the way out: cancel and failure leave nothing behind.
    bool published = false;
    struct Cleanup {
        const repo::DumpCatalog &catalog;
        const QString id;
        bool &published;
        ~Cleanup()
        {
            if (!published)
                (void)catalog.remove(id);
        }
    } cleanup{catalog, m.id, published};

    QString pw = m_o.password;
    auto baseConninfo = pg::conninfoForDatabase(m_o.conninfo, QString(), &pw);
    if (!baseConninfo)
        return baseConninfo.error();
    auto passFile = PassFile::create(pw);
    if (!passFile)
        return passFile.error();
    const QString appName = QStringLiteral("pgarchivist dump ") + m.id;
    QStringList env = (*passFile)->env();
    env << QStringLiteral("PGAPPNAME=") + appName;

    progress.info(QStringLiteral("Server %1 (PostgreSQL %2); pg_dump: %3 (%4).")
                      .arg(m_o.server, pg::versionText(serverVersion), dumpTool->path, pg::versionText(dumpTool->versionNum)));

    // Tables and their sizes per database, so progress is a fraction of the whole dump.
    QList<QList<repo::DumpTable>> tables;
    qint64 totalBytes = 0;
    for (const QString &d : dbNames) {
        auto dc = connectTo(m_o.conninfo, m_o.password, d, cancel);
        if (!dc)
            return dc.error();
        auto t = tablesOf(**dc, cancel);
        if (!t)
            return t.error();
        tables << *t;
        for (const repo::DumpTable &x : *t)
            totalBytes += x.bytes;
    }
    DumpProgress overall(progress, totalBytes);

    if (m_o.globals) {
        m.dumpallProgram = dumpallTool->path;
        m.dumpallVersionNum = dumpallTool->versionNum;
        QStringList args{QStringLiteral("--globals-only"), QStringLiteral("--dbname=") + *baseConninfo};
        QStringList errors;
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto out = CompressedFile::create(catalog.filePath(m.id, QStringLiteral("globals.sql.zst")), QStringLiteral("globals.sql.zst"),
                                              repo->writeAs(), m_o.compressLevel);
            if (!out)
                return out.error();
            progress.info(QStringLiteral("Roles and tablespaces: %1").arg(shellJoin(dumpallTool->path, args)));
            auto child = pg::ChildProcess::start({dumpallTool->path, args, env, false, QString()});
            if (!child)
                return child.error();
            errors.clear();
            pg::ChildProcess::Handlers h;
            h.out = [&](const char *p, size_t n) { return (*out)->add(p, n); };
            h.errLine = [&](const QString &l) {
                if (classifyClientLine(l) == ClientLineKind::Error)
                    errors << l;
                progress.log(ProgressSink::Level::Debug, l);
            };
            auto rc = (*child)->pump(h, cancel);
            if (!rc)
                return rc.error();
            if (*rc == 0) {
                auto f = (*out)->finish();
                if (!f)
                    return f.error();
                m.hasGlobals = true;
                m.globals = *f;
                m.globalsCommand = shellJoin(dumpallTool->path, args);
                break;
            }
            // Without superuser pg_authid is closed: roles are still worth having, without their passwords.
            if (attempt == 0 && errors.join(QLatin1Char(' ')).contains(QLatin1String("pg_authid"))) {
                progress.warning(QStringLiteral("This role may not read role passwords (pg_authid); the roles are dumped without them."));
                args.prepend(QStringLiteral("--no-role-passwords"));
                continue;
            }
            return Error(Error::Code::Query, QStringLiteral("pg_dumpall --globals-only failed (exit %1).").arg(*rc), lastErrors(errors));
        }
    }

    for (int i = 0; i < dbNames.size(); ++i) {
        const QString &dbName = dbNames[i];
        repo::DumpDatabase db;
        db.name = dbName;
        for (const DatabaseSize &s : sizes)
            if (s.name == dbName)
                db.sizeBytes = s.bytes;
        db.tables = tables[i];
        QElapsedTimer took;
        took.start();
        auto ci = pg::conninfoForDatabase(m_o.conninfo, dbName, &pw);
        if (!ci)
            return ci.error();
        const QString stem = QStringLiteral("db%1").arg(i + 1);
        QStringList args{QStringLiteral("--verbose"), QStringLiteral("--dbname=") + *ci};
        const bool directory = m_o.format == QLatin1String("directory");
        const QString staging = catalog.filePath(m.id, stem + QStringLiteral(".staging"));
        if (m_o.format == QLatin1String("custom"))
            args << QStringLiteral("--format=custom") << QStringLiteral("--compress=0");
        else if (m_o.format == QLatin1String("plain"))
            args << QStringLiteral("--format=plain");
        else
            args << QStringLiteral("--format=directory") << QStringLiteral("--compress=0") << QStringLiteral("--jobs=%1").arg(m_o.jobs)
                 << QStringLiteral("--file=") + staging;
        args << m.filters;
        db.command = shellJoin(dumpTool->path, args);
        progress.info(QStringLiteral("Database %1: %2").arg(dbName, db.command));

        const QString fileName = stem + (m_o.format == QLatin1String("plain") ? QStringLiteral(".sql.zst") : QStringLiteral(".dump.zst"));
        std::unique_ptr<CompressedFile> out;
        if (!directory) {
            auto f = CompressedFile::create(catalog.filePath(m.id, fileName), fileName, repo->writeAs(), m_o.compressLevel);
            if (!f)
                return f.error();
            out = std::move(*f);
        }
        auto watcher = connectTo(m_o.conninfo, m_o.password, dbName, cancel);
        if (!watcher)
            return watcher.error();
        overall.startDatabase(dbName, db.tables, watcher->get(), appName);
        auto child = pg::ChildProcess::start({dumpTool->path, args, env, false, QString()});
        if (!child)
            return child.error();
        QStringList errors;
        pg::ChildProcess::Handlers h;
        if (out)
            h.out = [&](const char *p, size_t n) { return out->add(p, n); };
        h.errLine = [&](const QString &l) {
            const ClientLineKind k = classifyClientLine(l);
            if (k == ClientLineKind::Error)
                errors << l;
            if (k == ClientLineKind::Warning)
                progress.warning(l);
            overall.verboseLine(l);
        };
        h.tick = [&] { overall.poll(cancel); };
        h.tickMs = 1000;
        auto rc = (*child)->pump(h, cancel);
        if (!rc)
            return rc.error();
        if (*rc != 0)
            return Error(Error::Code::Query, QStringLiteral("pg_dump of database %1 failed (exit %2): %3")
                                                  .arg(dbName)
                                                  .arg(*rc)
                                                  .arg(errors.isEmpty() ? QStringLiteral("see the log") : errors.last()),
                         lastErrors(errors));
        if (out) {
            auto f = out->finish();
            if (!f)
                return f.error();
            db.files << *f;
        } else {
            // pg_dump -Fd wrote uncompressed files beside us; each is compressed into place and the staging removed.
            QDirIterator it(staging, QDir::Files);
            QStringList names;
            while (it.hasNext())
                names << it.next().section(QLatin1Char('/'), -1);
            names.sort();
            if (Status s = repo::makeDirectoryDurably(catalog.filePath(m.id, stem), repo->writeAs()); !s)
                return s.error();
            for (const QString &n : names) {
                if (cancel.isCancelled())
                    return Error(Error::Code::Cancelled, QStringLiteral("The dump was cancelled."));
                const QString rel = stem + QLatin1Char('/') + n + QStringLiteral(".zst");
                auto f = CompressedFile::create(catalog.filePath(m.id, rel), rel, repo->writeAs(), m_o.compressLevel);
                if (!f)
                    return f.error();
                QFile in(staging + QLatin1Char('/') + n);
                if (!in.open(QIODevice::ReadOnly))
                    return Error(Error::Code::Io, QStringLiteral("Could not read %1: %2").arg(in.fileName(), in.errorString()));
                QByteArray buf(1 << 20, Qt::Uninitialized);
                for (;;) {
                    const qint64 r = in.read(buf.data(), buf.size());
                    if (r < 0)
                        return Error(Error::Code::Io, QStringLiteral("Could not read %1: %2").arg(in.fileName(), in.errorString()));
                    if (r == 0)
                        break;
                    if (Status s = (*f)->add(buf.constData(), size_t(r)); !s)
                        return s.error();
                }
                auto done = (*f)->finish();
                if (!done)
                    return done.error();
                db.files << *done;
                in.remove();
            }
            QDir(staging).removeRecursively();
        }
        overall.finishDatabase();
        db.seconds = double(took.elapsed()) / 1000.0;
        m.databases << db;
        progress.info(QStringLiteral("Database %1 done in %2 s.").arg(dbName).arg(db.seconds, 0, 'f', 1));
    }
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("The dump was cancelled."));
    m.stopTimeUtc = QDateTime::currentDateTimeUtc();
    if (Status s = catalog.publish(m); !s)
        return s.error();
    published = true;
    progress.info(QStringLiteral("Dump %1 published: %2 database(s).").arg(m.id).arg(m.databases.size()));
    return m;
}

} // namespace pga::engine
