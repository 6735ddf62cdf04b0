// pgarchivist-cli: PostgreSQL runs archive_command and restore_command once per WAL file, so their start-up
// is paid thousands of times an hour. This executable links only what archive-push and archive-get need
// (QtCore and zstd; no libpq with its Kerberos/LDAP tree, no QtSql, no keychain) and hands every
// other command to pgarchivist-cli-full, which has the whole command set.
#include "Command.h"
#include "Commands.h"
#include "repo/DurableFile.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

std::string selfDir()
{
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    std::string p(buf, size_t(n));
    return p.substr(0, p.rfind('/'));
}

// Next to us in a build tree; under libexec when installed (bin/../libexec/pgarchivist/).
int execFull(char **argv)
{
    const std::string dir = selfDir();
    const std::string candidates[] = {dir + "/pgarchivist-cli-full", dir + "/../libexec/pgarchivist/pgarchivist-cli-full"};
    for (const std::string &c : candidates)
        if (::access(c.c_str(), X_OK) == 0) {
            ::execv(c.c_str(), argv);
            std::fprintf(stderr, "pgarchivist-cli: cannot run %s: %s\n", c.c_str(), std::strerror(errno));
            return 1;
        }
    std::fprintf(stderr,
                 "pgarchivist-cli: only archive-push and archive-get are available: pgarchivist-cli-full was not found "
                 "in %s or %s/../libexec/pgarchivist. Reinstall the pgarchivist-cli package.\n",
                 dir.c_str(), dir.c_str());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    const bool archiveCommand = argc >= 2 && (std::strcmp(argv[1], "archive-push") == 0 || std::strcmp(argv[1], "archive-get") == 0);
    if (!archiveCommand)
        return execFull(argv);
    // A file size limit (ulimit -f) must fail a write with EFBIG, reported like a full disk, not kill us.
    std::signal(SIGXFSZ, SIG_IGN);
    pga::repo::useRepositoryUmask();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pgarchivist"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PGA_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pgarchivist.*.debug=false"));
    QStringList args = app.arguments().mid(2);
    if (!pga::cli::takeS3Options(args))
        return pga::cli::ExitUsage;
    const int code = std::strcmp(argv[1], "archive-push") == 0 ? pga::cli::runArchivePush(args) : pga::cli::runArchiveGet(args);
    // Everything is durable or written by now; unmapping and freeing at exit is time PostgreSQL waits for.
    pga::cli::out().flush();
    std::fflush(nullptr);
    ::_exit(code);
}
