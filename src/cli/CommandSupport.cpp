#include "CommandSupport.h"

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

} // namespace pga::cli
