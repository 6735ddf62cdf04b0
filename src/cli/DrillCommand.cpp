#include "CommandSupport.h"
#include "Commands.h"
#include "engine/Drill.h"
#include "engine/RestoreStart.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>

namespace pga::cli {

// `pgarchivist-cli drill --repo DIR --server NAME [--backup ID] [--conninfo C] [--json]`: exit 0 when the drill
// passed, 1 when a step failed (the JSON still says which), 64 on a bad command line.
int runDrill(const QStringList &args)
{
    CommandParser p(QStringLiteral("drill"),
                    QStringLiteral("Test a restore: restore a backup into a scratch directory, start it, replay to the end of the "
                                   "archived WAL, check it with pg_amcheck --all, count the largest tables, then remove it."));
    addRepoServer(p);
    p.addOption({QStringLiteral("backup"), QStringLiteral("The backup to drill (default: the newest)."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The source server, to compare row counts with (password: $PGPASSWORD or "
                                                            "~/.pgpass)."), QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("scratch"), QStringLiteral("Where the copy goes (must not exist; default: a new directory under %1).")
                                                .arg(engine::scratchRoot()), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("owner"), QStringLiteral("As root: the user who owns and runs the copy (default postgres)."), QStringLiteral("USER")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Give up replay after S seconds (default: no limit)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::DrillOptions o;
    if (!repoServer(p, &o.repoDir, &o.server, "drill"))
        return ExitUsage;
    o.backupId = p.value(QStringLiteral("backup"));
    o.sourceConninfo = p.value(QStringLiteral("conninfo"));
    o.owner = p.value(QStringLiteral("owner"));
    if (!intOption(p, QStringLiteral("timeout"), 1, 7 * 24 * 3600, &o.timeoutSec))
        return ExitUsage;
    QString name = o.server;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    o.scratchDir = p.isSet(QStringLiteral("scratch"))
        ? p.value(QStringLiteral("scratch"))
        : engine::scratchRoot() + QStringLiteral("/drill-%1-%2").arg(name, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss")));
    o.keptLogDir = QFileInfo(engine::scratchRoot()).absolutePath() + QStringLiteral("/drill-logs");
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress(p.isSet(QStringLiteral("json")));
    auto r = engine::runDrill(o, progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson(engine::drillJson(*r));
    } else {
        out() << engine::drillSummary(*r) << '\n';
        for (const engine::TableRowCount &c : r->rowCounts)
            out() << "  " << c.database << ' ' << c.table << ": " << c.restored << " rows"
                  << (c.source ? QStringLiteral(" (source now: %1)").arg(*c.source) : QString()) << '\n';
        if (!r->sourceNote.isEmpty())
            out() << "  " << r->sourceNote << '\n';
        if (!r->keptLog.isEmpty())
            out() << "  The copy's server log was kept as " << r->keptLog << '\n';
    }
    out().flush();
    return r->passed() ? ExitOk : ExitFailure;
}

} // namespace pga::cli
