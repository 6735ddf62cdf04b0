#include "CommandSupport.h"
#include "Commands.h"
#include "core/TimeText.h"
#include "engine/Blunders.h"
#include "engine/CatalogCapture.h"
#include "engine/Restore.h"
#include "engine/RestoreStart.h"
#include "engine/Undo.h"
#include "engine/WalLandmarks.h"

#include <QJsonArray>

namespace pga::cli {

namespace {

bool timeOption(const CommandParser &p, const QString &name, std::optional<qint64> *us)
{
    if (!p.isSet(name))
        return true;
    int micros = 0;
    const QDateTime t = engine::RecoveryTarget::parseTime(p.value(name), &micros);
    if (!t.isValid()) {
        printError(QStringLiteral("--%1 '%2' is not a time; give it with its zone, e.g. '2026-12-01 14:03:00+01'.").arg(name, p.value(name)));
        return false;
    }
    *us = t.toMSecsSinceEpoch() * 1000 + micros;
    return true;
}

} // namespace

// `pgarchivist-cli blunders --repo DIR --server NAME [--since TS] [--until TS] [--min-rows N] [--json]`
int runBlunders(const QStringList &args)
{
    CommandParser p(QStringLiteral("blunders"),
                    QStringLiteral("Find DROP TABLE, TRUNCATE, DROP DATABASE and mass DELETE/UPDATE in the archived WAL, newest first, "
                                   "named from the catalog snapshots."));
    addRepoServer(p);
    p.addOption({QStringLiteral("since"), QStringLiteral("Only those committed at or after TS (with its zone)."), QStringLiteral("TS")});
    p.addOption({QStringLiteral("until"), QStringLiteral("Only those committed at or before TS."), QStringLiteral("TS")});
    p.addOption({QStringLiteral("min-rows"), QStringLiteral("A DELETE or UPDATE counts from N rows in one transaction (default 100)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::BlunderScanOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "blunders"))
        return ExitUsage;
    if (!timeOption(p, QStringLiteral("since"), &o.filter.sinceUs) || !timeOption(p, QStringLiteral("until"), &o.filter.untilUs))
        return ExitUsage;
    int minRows = 100;
    if (!intOption(p, QStringLiteral("min-rows"), 1, std::numeric_limits<int>::max(), &minRows))
        return ExitUsage;
    o.filter.minRows = minRows;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::scanBlunders(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    for (const QString &w : r->warnings)
        progress.warning(w);
    if (json) {
        QJsonArray events;
        for (const BlunderEvent &e : r->events)
            events.append(engine::blunderJson(e));
        printJsonArray(events);
        return ExitOk;
    }
    if (r->events.isEmpty())
        out() << "No blunders in " << r->segments << " archived WAL files of " << o.server << ".\n";
    for (const BlunderEvent &e : r->events)
        out() << localTimestampText(e.commitTimeUs) << "  xid " << e.xid << "  " << e.database << "  " << engine::blunderSummary(e)
              << "  (LSN " << e.commitLsn.toString() << ", timeline " << e.timeline << ")\n";
    out().flush();
    return ExitOk;
}

// `pgarchivist-cli undo --repo DIR --server NAME --xid XID --conninfo LIVE [--into-schema S | --as NAME] [--scratch-dir DIR]
//  [--keep-scratch] [--dry-run] [--json]`: exit 0 when everything was copied and matches, 1 on failure.
int runUndo(const QStringList &args)
{
    CommandParser p(QStringLiteral("undo"),
                    QStringLiteral("Bring back what a transaction dropped, truncated or deleted: restore the newest backup before it into a "
                                   "scratch copy that stops just before it, and copy the tables into the live server under new names."));
    addRepoServer(p);
    p.addOption({QStringLiteral("xid"), QStringLiteral("The transaction to undo (blunders lists them)."), QStringLiteral("XID")});
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The live server (password: $PGPASSWORD or ~/.pgpass)."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("into-schema"), QStringLiteral("Create the copies in schema S (created if missing) instead of the table's own."),
                 QStringLiteral("S")});
    p.addOption({QStringLiteral("as"), QStringLiteral("Recreate the one dropped table under NAME."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("scratch-dir"), QStringLiteral("Where the scratch copy goes (must not exist; default: under %1).")
                                                    .arg(engine::scratchRoot()), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("keep-scratch"), QStringLiteral("Leave the scratch copy running afterwards.")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Say what would be created where, and check the names, without restoring.")});
    p.addOption({QStringLiteral("owner"), QStringLiteral("As root: the user who owns and runs the scratch copy (default postgres)."), QStringLiteral("USER")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Give up replay after S seconds (default: no limit)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::UndoOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "undo"))
        return ExitUsage;
    const auto xid = engine::parseTargetXid(p.value(QStringLiteral("xid")));
    if (!xid) {
        printError(QStringLiteral("undo needs --xid XID, a transaction ID as blunders shows it."));
        return ExitUsage;
    }
    o.xid = *xid;
    o.conninfo = p.value(QStringLiteral("conninfo"));
    if (o.conninfo.isEmpty()) {
        printError(QStringLiteral("undo needs --conninfo: the live server the data goes back into."));
        return ExitUsage;
    }
    o.intoSchema = p.value(QStringLiteral("into-schema"));
    o.asName = p.value(QStringLiteral("as"));
    if (!o.intoSchema.isEmpty() && !o.asName.isEmpty()) {
        printError(QStringLiteral("Give --into-schema or --as, not both."));
        return ExitUsage;
    }
    o.scratchDir = p.value(QStringLiteral("scratch-dir"));
    o.keepScratch = p.isSet(QStringLiteral("keep-scratch"));
    o.dryRun = p.isSet(QStringLiteral("dry-run"));
    o.owner = p.value(QStringLiteral("owner"));
    if (!intOption(p, QStringLiteral("timeout"), 1, 7 * 24 * 3600, &o.timeoutSec))
        return ExitUsage;
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::runUndo(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json)
        printJson(engine::undoJson(*r));
    else
        for (const QString &line : engine::undoLines(*r))
            out() << line << '\n';
    out().flush();
    return r->dryRun || r->allMatch() ? ExitOk : ExitFailure;
}

// `pgarchivist-cli catalog-snapshot --repo DIR --server NAME --conninfo C [--json]`
int runCatalogSnapshot(const QStringList &args)
{
    CommandParser p(QStringLiteral("catalog-snapshot"),
                    QStringLiteral("Record the server's databases and relations in the repository, so blunders can name tables dropped "
                                   "later (a new file only when the catalog changed)."));
    addRepoServer(p);
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The server (password: $PGPASSWORD or ~/.pgpass)."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    QString repoDir, server;
    if (!repoServer(p, &repoDir, &server, "catalog-snapshot"))
        return ExitUsage;
    if (p.value(QStringLiteral("conninfo")).isEmpty()) {
        printError(QStringLiteral("catalog-snapshot needs --conninfo."));
        return ExitUsage;
    }
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    const bool json = p.isSet(QStringLiteral("json"));
    StderrProgress progress(json);
    auto r = engine::recordCatalogSnapshot(repoDir, server, p.value(QStringLiteral("conninfo")), QString(), progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (json)
        printJson(QJsonObject{{QStringLiteral("server"), server}, {QStringLiteral("written"), *r}});
    else
        out() << (*r ? "Catalog snapshot recorded.\n" : "The catalog has not changed since the last snapshot; nothing written.\n");
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
