#include "CommandSupport.h"
#include "Commands.h"
#include "engine/ArchivingSetup.h"
#include "engine/WalReceive.h"
#include "pg/Connection.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace pga::cli {

namespace {

// One ExecStart= word: double-quoted, with systemd's specifiers (%) and variables ($) kept literal.
QString unitWord(const QString &arg)
{
    QString q = arg;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""))
        .replace(QLatin1Char('%'), QStringLiteral("%%"))
        .replace(QLatin1Char('$'), QStringLiteral("$$"));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString selfProgram()
{
    // The name users call (pgarchivist-cli), next to us in a build tree or in bin/ when installed.
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &c : QStringList{dir + QStringLiteral("/pgarchivist-cli"), dir + QStringLiteral("/../../bin/pgarchivist-cli")})
        if (QFileInfo(c).isExecutable())
            return QFileInfo(c).canonicalFilePath();
    return QStringLiteral("/usr/bin/pgarchivist-cli");
}

int installUnit(const engine::WalReceiveOptions &o, const QString &unitDir, int statusInterval)
{
    if (!pg::conninfoValue(o.conninfo, QStringLiteral("password")).isEmpty()) {
        printError(QStringLiteral("The conninfo holds a password, which must not go into a unit file. Put it in the service "
                                  "user's ~/.pgpass (or a passfile= the conninfo names) and leave it out of --conninfo."));
        return ExitUsage;
    }
    auto repo = repo::Repository::open(o.repoDir);
    if (!repo) {
        printError(repo.error());
        return ExitFailure;
    }
    QStringList words{selfProgram(), QStringLiteral("wal-receive"), QStringLiteral("--repo"), engine::repoLocation(o.repoDir),
                      QStringLiteral("--server"), o.server, QStringLiteral("--conninfo"), o.conninfo};
    if (!o.slot.isEmpty())
        words << QStringLiteral("--slot") << o.slot;
    if (o.createSlot)
        words << QStringLiteral("--create-slot");
    if (o.synchronous)
        words << QStringLiteral("--synchronous");
    words << QStringLiteral("--status-interval") << QString::number(statusInterval);
    QStringList quoted;
    for (const QString &w : words)
        quoted << unitWord(w);
    const QString unitName = QStringLiteral("pgarchivist-wal-receive-%1.service").arg(o.server);
    const QString text = QStringLiteral(
                             "# Written by pgarchivist-cli wal-receive install-unit.\n"
                             "[Unit]\n"
                             "Description=pgArchivist WAL receiver for %1\n"
                             "Wants=network-online.target\n"
                             "After=network-online.target\n\n"
                             "[Service]\n"
                             "Type=simple\n"
                             "User=%2\n"
                             "ExecStart=%3\n"
                             "# SIGTERM makes it sync, acknowledge and stop; it resumes from the repository.\n"
                             "Restart=always\n"
                             "RestartSec=5\n"
                             "TimeoutStopSec=30\n\n"
                             "[Install]\n"
                             "WantedBy=multi-user.target\n")
                             .arg(o.server, repo->ownerName(), quoted.join(QLatin1Char(' ')));
    const QString path = QDir(unitDir).absoluteFilePath(unitName);
    if (Status s = repo::writeFileDurably(path, text.toUtf8()); !s) {
        printError(s.error());
        return ExitFailure;
    }
    out() << "Wrote " << path << ".\nStart it with: systemctl daemon-reload && systemctl enable --now " << unitName << '\n';
    out().flush();
    return ExitOk;
}

} // namespace

// `pgarchivist-cli wal-receive --repo DIR --server NAME --conninfo CONNINFO [--slot NAME [--create-slot]] [--synchronous]
// [--status-interval S] [install-unit [--unit-dir DIR]]`
int runWalReceive(const QStringList &args)
{
    CommandParser p(QStringLiteral("wal-receive"),
                    QStringLiteral("Stream WAL into the repository as the server writes it (START_REPLICATION), so the archive lags "
                                   "by seconds, not by a segment. Runs until stopped (SIGTERM/SIGINT); 'install-unit' writes a "
                                   "systemd service that runs it instead."));
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Server name in the repository (default: $PGARCHIVIST_SERVER)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("The server to stream from (libpq; the password from ~/.pgpass or PGPASSFILE)."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("slot"), QStringLiteral("Physical replication slot, so the server keeps WAL until it is archived."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("create-slot"), QStringLiteral("Create the slot when the server has none of that name.")});
    p.addOption({QStringLiteral("synchronous"), QStringLiteral("Acknowledge each flush at once, so the receiver can be a synchronous "
                                                               "standby (synchronous_standby_names = 'pgarchivist_receiver').")});
    p.addOption({QStringLiteral("status-interval"), QStringLiteral("Seconds between status reports to the server (default 10)."),
                 QStringLiteral("S")});
    p.addOption({QStringLiteral("unit-dir"), QStringLiteral("install-unit: where to write the unit (default /etc/systemd/system)."),
                 QStringLiteral("DIR")});
    p.addPositionalArgument(QStringLiteral("install-unit"), QStringLiteral("Write a systemd service for this receiver instead of running it."),
                            QStringLiteral("[install-unit]"));
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    engine::WalReceiveOptions o;
    o.repoDir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    o.server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    o.conninfo = p.value(QStringLiteral("conninfo"));
    const QStringList pos = p.positionalArguments();
    const bool unit = pos == QStringList{QStringLiteral("install-unit")};
    if (o.repoDir.isEmpty() || o.server.isEmpty() || o.conninfo.isEmpty() || (!pos.isEmpty() && !unit)) {
        printError(QStringLiteral("wal-receive needs --repo DIR, --server NAME and --conninfo CONNINFO, and no other arguments than "
                                  "install-unit."));
        return ExitUsage;
    }
    if (Status s = pg::validateConninfo(o.conninfo); !s) {
        printError(s.error());
        return ExitUsage;
    }
    o.slot = p.value(QStringLiteral("slot"));
    o.createSlot = p.isSet(QStringLiteral("create-slot"));
    if (o.createSlot && o.slot.isEmpty()) {
        printError(QStringLiteral("--create-slot needs --slot NAME."));
        return ExitUsage;
    }
    o.synchronous = p.isSet(QStringLiteral("synchronous"));
    int interval = 10;
    if (!intOption(p, QStringLiteral("status-interval"), 1, 3600, &interval))
        return ExitUsage;
    o.statusIntervalSec = interval;
    if (unit)
        return installUnit(o, p.isSet(QStringLiteral("unit-dir")) ? p.value(QStringLiteral("unit-dir")) : QStringLiteral("/etc/systemd/system"),
                           interval);
    CancelToken cancel;
    SignalCancel onSignal(cancel);
    StderrProgress progress;
    auto r = engine::WalReceive(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    progress.info(QStringLiteral("Stopped at %1 on timeline %2; %3 segments archived from the stream.")
                      .arg(r->flushLsn.toString())
                      .arg(r->timeline)
                      .arg(r->segmentsArchived));
    return ExitOk;
}

} // namespace pga::cli
