#include "CommandSupport.h"
#include "engine/Restore.h"
#include "engine/WalLandmarks.h"

#include <QLocale>
#include <QTextStream>

#include <csignal>
#include <pthread.h>

namespace pga::cli {

void StderrProgress::progress(int64_t done, int64_t total)
{
    std::lock_guard l(m_mutex);
    if (m_quiet || m_timer.elapsed() - m_last < 2000)
        return;
    m_last = m_timer.elapsed();
    QTextStream err(stderr);
    if (total > 0)
        err << "  " << QString::number(100.0 * double(done) / double(total), 'f', 0) << "% (" << done / (1 << 20) << " of "
            << total / (1 << 20) << " MiB)\n";
    else
        err << "  " << done / (1 << 20) << " MiB\n";
}

void StderrProgress::log(Level level, const QString &line)
{
    std::lock_guard l(m_mutex);
    if (m_quiet && level < Level::Warning)
        return;
    QTextStream err(stderr);
    err << (level >= Level::Warning ? "pgarchivist-cli: " : "") << line << '\n';
}

SignalCancel::SignalCancel(CancelToken &token)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    m_thread = std::thread([set, &token] {
        int sig = 0;
        for (;;) {
            sigwait(&set, &sig);
            if (sig == SIGUSR2)
                return;
            token.cancel();
        }
    });
}

SignalCancel::~SignalCancel()
{
    pthread_kill(m_thread.native_handle(), SIGUSR2);
    m_thread.join();
}

void addRepoServer(CommandParser &p)
{
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Server name in the repository (default: $PGARCHIVIST_SERVER)."),
                 QStringLiteral("NAME")});
}

bool repoServer(const CommandParser &p, QString *repo, QString *server, const char *command)
{
    *repo = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    *server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    if (repo->isEmpty() || server->isEmpty() || !p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("%1 needs --repo DIR and --server NAME (or PGARCHIVIST_REPO and PGARCHIVIST_SERVER), and no "
                                  "other arguments.")
                       .arg(QLatin1String(command)));
        return false;
    }
    return true;
}

bool intOption(const CommandParser &p, const QString &name, int lo, int hi, int *value)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < lo || v > hi) {
        printError(QStringLiteral("--%1 must be a number from %2 to %3.").arg(name).arg(lo).arg(hi));
        return false;
    }
    *value = v;
    return true;
}

QString mib(qint64 b) { return QLocale::c().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }


bool parseTimeLsnXidTarget(const QCommandLineParser &p, engine::RecoveryTarget &t, int *targets)
{
    if (p.isSet(QStringLiteral("target-time"))) {
        ++*targets;
        t.kind = engine::RecoveryTarget::Kind::Time;
        t.time = engine::RecoveryTarget::parseTime(p.value(QStringLiteral("target-time")), &t.timeMicros);
        if (!t.time.isValid()) {
            printError(QStringLiteral("--target-time '%1' is not a time; write it like '2026-11-24 14:03:00+01'.").arg(p.value(QStringLiteral("target-time"))));
            return false;
        }
    }
    if (p.isSet(QStringLiteral("target-lsn"))) {
        ++*targets;
        t.kind = engine::RecoveryTarget::Kind::Lsn;
        auto l = Lsn::parse(p.value(QStringLiteral("target-lsn")));
        if (!l) {
            printError(QStringLiteral("--target-lsn '%1' is not an LSN (like 0/3000060).").arg(p.value(QStringLiteral("target-lsn"))));
            return false;
        }
        t.lsn = *l;
    }
    if (p.isSet(QStringLiteral("target-xid"))) {
        ++*targets;
        t.kind = engine::RecoveryTarget::Kind::Xid;
        t.text = p.value(QStringLiteral("target-xid"));
        if (!engine::parseTargetXid(t.text)) {
            printError(QStringLiteral("--target-xid must be a transaction ID: a number of 3 or more, or pg_current_xact_id()'s "
                                      "form with the epoch (e.g. 4294967296 + xid)."));
            return false;
        }
    }
    return true;
}

} // namespace pga::cli
