// pgarchivist-cli-full: every command. pgarchivist-cli (main.cpp) runs archive-push/archive-get itself and
// starts this for the rest, so `pgarchivist-cli COMMAND` is the one name users and scripts see.
#include "Command.h"
#include "Commands.h"
#include "repo/DurableFile.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>
#include <cstring>

using namespace pga::cli;

namespace {

const Command kCommands[] = {
    {"archive-get", "Restore one WAL file (restore_command)", runArchiveGet},
    {"archive-push", "Archive one WAL file (archive_command)", runArchivePush},
    {"backup", "Take a base backup into the repository", runBackup},
    {"blunders", "Find DROP, TRUNCATE and mass DELETE/UPDATE in the archived WAL", runBlunders},
    {"catalog-snapshot", "Record a server's table names for blunders", runCatalogSnapshot},
    {"check", "Audit the archive configuration and say what to fix", runCheck},
    {"connect", "Connect to a server and print what it is", runConnect},
    {"cold-backup", "Copy a stopped local cluster's files into the repository", runColdBackup},
    {"drill", "Test-restore a backup, check it with pg_amcheck and remove it", runDrill},
    {"dump", "Dump databases (pg_dump, with roles) into the repository", runDump},
    {"expire", "Remove backups, WAL and chunks beyond retention", runExpire},
    {"forecast", "Forecast a server's repository size and cost under a retention", runForecast},
    {"info", "Show servers, archived WAL, gaps and the recoverable window", runInfo},
    {"promote", "Promote a standby, after checking it is not far behind", runPromote},
    {"restore-points", "List the restore points in the archived WAL", runRestorePoints},
    {"repo-init", "Create an empty repository", runRepoInit},
    {"repo-rekey", "Change the passphrase or key file of an encrypted repository", runRepoRekey},
    {"restore-dump", "Restore a dump (pg_restore/psql) into a server", runRestoreDump},
    {"restore", "Restore a backup into a data directory for recovery to a target", runRestore},
    {"estimate", "Estimate how long a restore to a target would take (RTO)", runEstimate},
    {"schedule", "List, add and run scheduled backups, verifies, expiries and drills", runSchedule},
    {"rewind", "Switch back: pg_rewind an old primary and make it a standby", runRewind},
    {"sandbox", "Create, start, stop or destroy a local sandbox server", runSandbox},
    {"standby", "Standbys from the repository: create, status, stop-before", runStandby},
    {"undo", "Bring back what a transaction dropped or deleted, into new tables", runUndo},
    {"verify", "Check a backup's chunks and WAL", runVerify},
    {"version", "Print the version", runVersion},
    {"wal-receive", "Stream WAL into the repository as the server writes it", runWalReceive},
};

void usage()
{
    out() << "Usage: pgarchivist-cli COMMAND [OPTIONS]\n\n"
             "PostgreSQL backup and point-in-time recovery, headless.\n\nCommands:\n";
    for (const Command &c : kCommands)
        out() << "  " << QString::fromLatin1(c.name).leftJustified(16) << c.summary << '\n';
    out() << "\nRun 'pgarchivist-cli COMMAND --help' for a command's options.\n";
    out().flush();
}

} // namespace

namespace pga::cli {
int runVersion(const QStringList &)
{
    out() << "pgarchivist-cli " << PGA_VERSION << '\n';
    out().flush();
    return ExitOk;
}
} // namespace pga::cli

int main(int argc, char **argv)
{
    // A file size limit (ulimit -f) must fail a write with EFBIG, reported like a full disk, not kill us.
    std::signal(SIGXFSZ, SIG_IGN);
    pga::repo::useRepositoryUmask();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pgarchivist"));
    QCoreApplication::setOrganizationName(QStringLiteral("pgarchivist"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGA_VERSION));
    // Our debug lines are for developers; QT_LOGGING_RULES turns them on.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pgarchivist.*.debug=false"));
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        usage();
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    if (args.first() == QLatin1String("--version"))
        return runVersion({});
    const QString name = args.takeFirst();
    if (!takeS3Options(args))
        return ExitUsage;
    for (const Command &c : kCommands)
        if (name == QLatin1String(c.name))
            return c.run(args);
    printError(QStringLiteral("unknown command '%1'. Run 'pgarchivist-cli --help' for the list.").arg(name));
    return ExitUsage;
}
