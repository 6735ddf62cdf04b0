#include "Command.h"
#include "Commands.h"
#include "ServerOption.h"
#include "core/AuditJson.h"
#include "engine/AuditCollector.h"

#include <QTextStream>

namespace pga::cli {

namespace {

// check's own exit codes (docs/cli.md).
enum CheckExit {
    CheckClean = 0, // nothing worse than info
    CheckWarnings = 1, // warnings, no critical finding
    CheckCritical = 2, // at least one critical finding
    CheckUnreachable = 3, // the server could not be reached or read
};

int exitCodeFor(const QList<audit::Finding> &findings)
{
    audit::Severity worst;
    if (!audit::worstSeverity(findings, &worst) || worst == audit::Severity::Info)
        return CheckClean;
    return worst == audit::Severity::Critical ? CheckCritical : CheckWarnings;
}

QString shorten(const QString &s, int width)
{
    return s.size() <= width ? s : s.left(width - 1) + QChar(0x2026);
}

void printTable(const pg::Connection &conn, const audit::AuditSnapshot &s, const QList<audit::Finding> &findings)
{
    QTextStream &o = out();
    o << "Audit of " << conn.host() << ':' << conn.port() << " as " << s.role.name << "\n  "
      << s.versionString.section(QLatin1Char(' '), 0, 1) << ", " << (s.inRecovery ? "standby" : "primary")
      << ", archive_mode " << s.value(QStringLiteral("archive_mode"), QStringLiteral("unknown"));
    if (s.archiverReadable)
        o << ", last archived "
          << (s.archiver.lastArchivedWal.isEmpty() ? QStringLiteral("never") : s.archiver.lastArchivedWal);
    o << ", " << (s.archiveReadyCount < 0 ? QStringLiteral("unknown") : QString::number(s.archiveReadyCount))
      << " segments waiting\n\n";
    if (findings.isEmpty()) {
        o << "No findings: the archive configuration looks right.\n";
        o.flush();
        return;
    }
    o << QStringLiteral("SEVERITY").leftJustified(10) << QStringLiteral("ID").leftJustified(29) << "FINDING\n";
    int counts[3] = {0, 0, 0};
    for (const audit::Finding &f : findings) {
        ++counts[int(f.severity)];
        o << audit::severityName(f.severity).leftJustified(10) << f.id.leftJustified(29) << f.title << '\n';
        const QString indent(39, QLatin1Char(' '));
        if (!f.current.isEmpty() || !f.recommended.isEmpty())
            o << indent << "now: " << shorten(f.current, 60) << "  ->  " << shorten(f.recommended, 60) << '\n';
        if (!f.fixSql.isEmpty())
            o << indent << "fix: " << f.fixSql
              << (f.needs == audit::Needs::None ? QString()
                                                : QStringLiteral("  (then %1)").arg(audit::needsName(f.needs)))
              << '\n';
        else if (f.needs == audit::Needs::Restart)
            o << indent << "fix: restart the server\n";
    }
    o << '\n'
      << counts[int(audit::Severity::Critical)] << " critical, " << counts[int(audit::Severity::Warning)]
      << " warning(s), " << counts[int(audit::Severity::Info)]
      << " info. Run with --json for why each finding matters.\n";
    o.flush();
}

} // namespace

// `pgarchivist-cli check --conninfo C | --server NAME [--json]`: is this server's archive configuration right?
int runCheck(const QStringList &args)
{
    CommandParser p(QStringLiteral("check"),
                    QStringLiteral("Audit a server's WAL archiving and backup configuration and print findings with "
                                   "fixes. Exit 0: nothing worse than info; 1: warnings; 2: critical findings; "
                                   "3: the server cannot be reached."));
    addConnectionOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON: {\"server\": {...}, \"findings\": [...]}.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (!p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("check takes no arguments besides options. Run 'pgarchivist-cli check --help'."));
        return ExitUsage;
    }

    auto conninfo = connectionFromOptions(p);
    if (!conninfo) {
        printError(conninfo.error());
        return conninfo.error().code == Error::Code::InvalidArgument ? int(ExitUsage) : int(ExitFailure);
    }
    pg::ConnectOptions o;
    o.conninfo = *conninfo;
    auto conn = pg::Connection::connect(o);
    if (!conn) {
        printError(conn.error());
        return conn.error().code == Error::Code::InvalidArgument ? int(ExitUsage) : int(CheckUnreachable);
    }
    NullProgressSink progress;
    CancelToken cancel;
    auto result = engine::AuditOperation(o).run(**conn, progress, cancel);
    if (!result) {
        printError(result.error());
        return CheckUnreachable;
    }
    if (p.isSet(QStringLiteral("json")))
        printJson(audit::auditReportToJson(result->snapshot, result->findings));
    else
        printTable(**conn, result->snapshot, result->findings);
    return exitCodeFor(result->findings);
}

} // namespace pga::cli
