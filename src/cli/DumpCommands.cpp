#include "Command.h"
#include "CommandSupport.h"
#include "Commands.h"
#include "engine/Dump.h"
#include "engine/RestoreDump.h"

#include <QFile>
#include <QJsonArray>
#include <QTextStream>

namespace pga::cli {

// `pgarchivist-cli dump --repo DIR --server NAME --conninfo CONNINFO [--database DB ... | --all]
//  [--format custom|directory|plain] [--jobs N] [--schema S] [--table T] [--exclude-table T] [--label TEXT] [--json]`
int runDump(const QStringList &args)
{
    CommandParser p(QStringLiteral("dump"),
                    QStringLiteral("Dump databases with pg_dump (the client matched to the server) into the repository, with the roles "
                                   "and tablespaces (pg_dumpall --globals-only); compressed with zstd as it streams, SHA-256 per file."));
    addRepoServer(p);
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("libpq connection string of the server (password: $PGPASSWORD or ~/.pgpass)."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("database"), QStringLiteral("A database to dump (repeatable; default: the conninfo's)."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("all"), QStringLiteral("Every database that accepts connections (templates excepted).")});
    p.addOption({QStringLiteral("format"), QStringLiteral("custom (default), directory (with --jobs) or plain."), QStringLiteral("FORMAT"),
                 QStringLiteral("custom")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Parallel pg_dump workers (directory format; default 1)."), QStringLiteral("N"),
                 QStringLiteral("1")});
    p.addOption({QStringLiteral("schema"), QStringLiteral("Only this schema (pg_dump --schema; repeatable)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("table"), QStringLiteral("Only this table (pg_dump --table; repeatable)."), QStringLiteral("T")});
    p.addOption({QStringLiteral("exclude-table"), QStringLiteral("Leave out this table (repeatable)."), QStringLiteral("T")});
    p.addOption({QStringLiteral("no-globals"), QStringLiteral("Leave out the roles and tablespaces (pg_dumpall --globals-only).")});
    p.addOption({QStringLiteral("compress-level"), QStringLiteral("zstd level 1-19 (default 1)."), QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("label"), QStringLiteral("Dump label."), QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::DumpOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "dump"))
        return ExitUsage;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    if (o.conninfo.isEmpty()) {
        printError(QStringLiteral("dump needs --conninfo CONNINFO."));
        return ExitUsage;
    }
    o.databases = p.values(QStringLiteral("database"));
    o.all = p.isSet(QStringLiteral("all"));
    if (o.all && !o.databases.isEmpty()) {
        printError(QStringLiteral("Give --all or --database, not both."));
        return ExitUsage;
    }
    o.format = p.value(QStringLiteral("format"));
    if (!QStringList{QStringLiteral("custom"), QStringLiteral("directory"), QStringLiteral("plain")}.contains(o.format)) {
        printError(QStringLiteral("--format must be custom, directory or plain."));
        return ExitUsage;
    }
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs) || !intOption(p, QStringLiteral("compress-level"), 1, 19, &o.compressLevel))
        return ExitUsage;
    if (o.jobs > 1 && o.format != QLatin1String("directory")) {
        printError(QStringLiteral("--jobs needs --format directory (pg_dump dumps in parallel only into a directory)."));
        return ExitUsage;
    }
    o.schemas = p.values(QStringLiteral("schema"));
    o.tables = p.values(QStringLiteral("table"));
    o.excludeTables = p.values(QStringLiteral("exclude-table"));
    o.globals = !p.isSet(QStringLiteral("no-globals"));
    o.label = p.value(QStringLiteral("label"));
    const bool json = p.isSet(QStringLiteral("json"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(json);
    auto r = engine::Dump(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json) {
        printJson(engine::dumpJson(*r));
        return ExitOk;
    }
    const double secs = std::max(0.001, double(r->startTimeUtc.msecsTo(r->stopTimeUtc)) / 1000.0);
    out() << "Dump " << r->id << " complete: " << r->databases.size() << " database(s)" << (r->hasGlobals ? " with roles and tablespaces" : "")
          << ", " << mib(r->rawBytes()) << " dumped, " << mib(r->storedBytes()) << " stored, " << QString::number(secs, 'f', 1) << " s.\n";
    for (const repo::DumpDatabase &d : r->databases)
        out() << "  " << d.name << ": " << d.tables.size() << " tables, " << QString::number(d.seconds, 'f', 1) << " s\n";
    out().flush();
    return ExitOk;
}

// `pgarchivist-cli restore-dump --repo DIR --server NAME --dump ID --conninfo CONNINFO [--database DB] [--into NEWDB] [--create]
//  [--clean] [--jobs N] [--list] [--use-list FILE] [--schema S] [--table T] [--data-only|--schema-only] [--json]`
int runRestoreDump(const QStringList &args)
{
    CommandParser p(QStringLiteral("restore-dump"),
                    QStringLiteral("Restore a dump from the repository with pg_restore (psql for plain dumps), the client matched to the "
                                   "target; every file's SHA-256 is checked first. --list prints the table of contents as JSON."));
    addRepoServer(p);
    p.addOption({QStringLiteral("dump"), QStringLiteral("The dump's ID (see 'info')."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The target server (its database is where a single database goes by default)."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("database"), QStringLiteral("Which database of the dump (default: its only one, or all of them with their "
                                                            "roles, each created under its own name)."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("into"), QStringLiteral("Restore into this new database (created)."), QStringLiteral("NEWDB")});
    p.addOption({QStringLiteral("create"), QStringLiteral("Create the database under its own name (pg_restore --create).")});
    p.addOption({QStringLiteral("clean"), QStringLiteral("Drop the dumped objects before recreating them (--clean --if-exists).")});
    p.addOption({QStringLiteral("globals"), QStringLiteral("Also restore the roles and tablespaces.")});
    p.addOption({QStringLiteral("jobs"), QStringLiteral("Parallel pg_restore workers (default 1)."), QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("list"), QStringLiteral("Print the table of contents as JSON and restore nothing.")});
    p.addOption({QStringLiteral("use-list"), QStringLiteral("Restore only the uncommented entries of this pg_restore list."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("schema"), QStringLiteral("Only this schema (repeatable)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("table"), QStringLiteral("Only this table (repeatable)."), QStringLiteral("T")});
    p.addOption({QStringLiteral("data-only"), QStringLiteral("Only the data.")});
    p.addOption({QStringLiteral("schema-only"), QStringLiteral("Only the definitions.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::RestoreDumpOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "restore-dump"))
        return ExitUsage;
    o.dumpId = p.value(QStringLiteral("dump"));
    o.conninfo = p.value(QStringLiteral("conninfo"));
    o.database = p.value(QStringLiteral("database"));
    const bool list = p.isSet(QStringLiteral("list"));
    if (o.dumpId.isEmpty() || (o.conninfo.isEmpty() && !list)) {
        printError(QStringLiteral("restore-dump needs --dump ID and --conninfo CONNINFO."));
        return ExitUsage;
    }
    if (list) {
        CancelToken cancel;
        SignalCancel onSignal(cancel);
        auto toc = engine::RestoreDump(o).toc(cancel);
        if (!toc) {
            printError(toc.error());
            return ExitFailure;
        }
        printJsonArray(tocJson(*toc));
        return ExitOk;
    }
    o.into = p.value(QStringLiteral("into"));
    o.create = p.isSet(QStringLiteral("create"));
    o.clean = p.isSet(QStringLiteral("clean"));
    o.globals = p.isSet(QStringLiteral("globals"));
    o.useListFile = p.value(QStringLiteral("use-list"));
    o.schemas = p.values(QStringLiteral("schema"));
    o.tables = p.values(QStringLiteral("table"));
    o.dataOnly = p.isSet(QStringLiteral("data-only"));
    o.schemaOnly = p.isSet(QStringLiteral("schema-only"));
    if (o.dataOnly && o.schemaOnly) {
        printError(QStringLiteral("--data-only and --schema-only exclude each other."));
        return ExitUsage;
    }
    if (!o.into.isEmpty() && o.create) {
        printError(QStringLiteral("--into creates the new database itself; leave out --create."));
        return ExitUsage;
    }
    if (!o.useListFile.isEmpty() && !QFile::exists(o.useListFile)) {
        printError(QStringLiteral("The list file %1 does not exist.").arg(o.useListFile));
        return ExitUsage;
    }
    if (!intOption(p, QStringLiteral("jobs"), 1, 64, &o.jobs))
        return ExitUsage;
    const bool json = p.isSet(QStringLiteral("json"));
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(json);
    auto r = engine::RestoreDump(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json) {
        printJson(engine::restoreDumpJson(*r));
        return ExitOk;
    }
    out() << "Restored dump " << r->dumpId << " into " << r->databases.join(QStringLiteral(", ")) << " in "
          << QString::number(r->seconds, 'f', 1) << " s.\n";
    if (!r->warnings.isEmpty()) {
        out() << r->warnings.size() << " warning(s) (errors the restore ran past):\n";
        for (const QString &w : r->warnings)
            out() << "  " << QString(w).replace(QLatin1Char('\n'), QStringLiteral("\n    ")) << '\n';
    }
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
