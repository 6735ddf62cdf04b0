#include "Command.h"
#include "Commands.h"
#include "ServerOption.h"
#include "pg/ServerFacts.h"

#include <QJsonObject>

namespace pga::cli {

// `pgarchivist-cli connect --conninfo C | --server NAME [--json]`: can we reach this server, and what is it?
int runConnect(const QStringList &args)
{
    CommandParser p(QStringLiteral("connect"),
                    QStringLiteral("Connect to a server and print its facts. The password comes from PGPASSWORD, "
                                   "~/.pgpass or pg_service.conf, as for psql; never from the command line."));
    addConnectionOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    auto conninfo = connectionFromOptions(p);
    if (!conninfo) {
        printError(conninfo.error());
        return conninfo.error().code == Error::Code::InvalidArgument ? ExitUsage : ExitFailure;
    }
    pg::ConnectOptions o;
    o.conninfo = *conninfo;
    auto conn = pg::Connection::connect(o);
    if (!conn) {
        printError(conn.error());
        return 3;
    }
    auto facts = pg::readServerFacts(**conn);
    if (!facts) {
        printError(facts.error());
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{QStringLiteral("version"), facts->versionString},
                   {QStringLiteral("version_num"), facts->versionNum},
                   {QStringLiteral("system_identifier"), QString::number(facts->systemIdentifier)},
                   {QStringLiteral("in_recovery"), facts->inRecovery},
                   {QStringLiteral("data_checksums"), facts->dataChecksums},
                   {QStringLiteral("current_lsn"), facts->currentLsn.toString()},
                   {QStringLiteral("timeline"), facts->timeline}});
    } else {
        out() << "Connected to " << (*conn)->host() << ':' << (*conn)->port() << " as " << facts->user << "\n"
              << "  " << facts->versionString << "\n"
              << "  system identifier " << facts->systemIdentifier << ", timeline " << facts->timeline
              << ", WAL at " << facts->currentLsn.toString() << "\n"
              << "  " << (facts->inRecovery ? "in recovery (standby)" : "primary") << ", data checksums "
              << (facts->dataChecksums ? "on" : "off") << "\n";
        out().flush();
    }
    return ExitOk;
}

} // namespace pga::cli
