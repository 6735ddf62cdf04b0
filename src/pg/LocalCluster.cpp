#include "LocalCluster.h"
#include "Connection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pga::pg {

LocalCluster::LocalCluster(Spec spec) : m_spec(std::move(spec))
{
    if (m_spec.osUser.isEmpty() && runningAsRoot())
        m_spec.osUser = QStringLiteral("postgres");
    if (m_spec.socketDir.isEmpty())
        m_spec.socketDir = m_spec.dataDir;
    auto bin = ClientTools::binDir(m_spec.majorVersion);
    if (bin)
        m_binDir = *bin;
    else
        m_binDirError = bin.error();
}

Status LocalCluster::ensureBinDir()
{
    if (m_binDir.isEmpty())
        return m_binDirError;
    return {};
}

QString LocalCluster::logFile() const
{
    if (!m_spec.logFile.isEmpty())
        return m_spec.logFile;
    return QFileInfo(m_spec.dataDir).absolutePath() + QStringLiteral("/server.log");
}

QString LocalCluster::effectiveOsUser() const { return runningAsRoot() ? m_spec.osUser : QString(); }

QString LocalCluster::conninfo(const QString &dbname) const
{
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
        .arg(conninfoQuote(m_spec.socketDir))
        .arg(m_spec.port)
        .arg(conninfoQuote(m_spec.superuser), conninfoQuote(dbname));
}

QString LocalCluster::tcpConninfo(const QString &user, const QString &dbname) const
{
    return QStringLiteral("host=127.0.0.1 port=%1 user=%2 dbname=%3")
        .arg(m_spec.port)
        .arg(conninfoQuote(user), conninfoQuote(dbname));
}

bool LocalCluster::exists() const { return QFileInfo::exists(m_spec.dataDir + QStringLiteral("/PG_VERSION")); }

Result<ProcessResult> LocalCluster::runTool(const QString &tool, const QStringList &args, int timeoutMs) const
{
    if (m_binDir.isEmpty())
        return m_binDirError;
    RunSpec spec;
    spec.program = m_binDir + QLatin1Char('/') + tool;
    spec.args = args;
    spec.runAsUser = effectiveOsUser();
    spec.timeoutMs = timeoutMs;
    spec.workingDir = QDir::tempPath();  // the server's user may not be able to enter our cwd
    spec.extraEnv << QStringLiteral("LC_ALL=C") << QStringLiteral("PGTZ=UTC");
    return runProcess(spec);
}

static Status toolFailed(const QString &what, const Result<ProcessResult> &r, const QString &hint = {})
{
    if (!r)
        return r.error();
    if (r->timedOut)
        return Error(Error::Code::Timeout, QStringLiteral("%1 did not finish in time.%2").arg(what, hint),
                     QString::fromLocal8Bit(r->err + r->out).trimmed());
    if (r->exitCode != 0 || r->crashed)
        return Error(Error::Code::Internal, QStringLiteral("%1 failed.%2").arg(what, hint),
                     QString::fromLocal8Bit(r->err + r->out).trimmed());
    return {};
}

Status LocalCluster::initdb(const QStringList &extraArgs, int timeoutMs)
{
    if (Status s = ensureBinDir(); !s)
        return s;
    if (exists())
        return Error(Error::Code::Conflict, QStringLiteral("A cluster already exists in %1.").arg(m_spec.dataDir));
    QStringList args{QStringLiteral("-D"), m_spec.dataDir, QStringLiteral("-U"), m_spec.superuser,
                     QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"),
                     QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C")};
    args << extraArgs;
    auto r = runTool(QStringLiteral("initdb"), args, timeoutMs);
    if (Status s = toolFailed(QStringLiteral("initdb"), r); !s)
        return s;
    return appendConf({QStringLiteral("port = %1").arg(m_spec.port),
                       QStringLiteral("unix_socket_directories = %1").arg(conninfoQuote(m_spec.socketDir)),
                       QStringLiteral("listen_addresses = '127.0.0.1'")});
}

Status LocalCluster::appendConf(const QStringList &lines)
{
    QFile f(m_spec.dataDir + QStringLiteral("/postgresql.conf"));
    // Appending keeps the file's owner; we are either its owner or root.
    if (!f.open(QIODevice::Append | QIODevice::Text))
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(f.fileName()), f.errorString());
    for (const QString &l : lines)
        f.write(l.toUtf8() + '\n');
    if (!f.flush())
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(f.fileName()), f.errorString());
    return {};
}

Status LocalCluster::start(int timeoutMs)
{
    const int secs = std::max(1, timeoutMs / 1000);
    auto r = runTool(QStringLiteral("pg_ctl"),
                     {QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"), QString::number(secs),
                      QStringLiteral("-D"), m_spec.dataDir, QStringLiteral("-l"), logFile()},
                     timeoutMs + 5000);
    if (Status s = toolFailed(QStringLiteral("Starting the server in %1").arg(m_spec.dataDir), r); !s)
        return Error(s.error().code, s.error().message + QStringLiteral(" Server log:\n") + logTail(), s.error().detail);
    return {};
}

Status LocalCluster::stop(const QString &mode, int timeoutMs)
{
    const int secs = std::max(1, timeoutMs / 1000);
    auto r = runTool(QStringLiteral("pg_ctl"),
                     {QStringLiteral("stop"), QStringLiteral("-w"), QStringLiteral("-t"), QString::number(secs),
                      QStringLiteral("-m"), mode, QStringLiteral("-D"), m_spec.dataDir},
                     timeoutMs + 5000);
    return toolFailed(QStringLiteral("Stopping the server in %1").arg(m_spec.dataDir), r);
}

Status LocalCluster::restart(int timeoutMs)
{
    if (isRunning())
        if (Status s = stop(QStringLiteral("fast"), timeoutMs); !s)
            return s;
    return start(timeoutMs);
}

Status LocalCluster::reload()
{
    auto r = runTool(QStringLiteral("pg_ctl"), {QStringLiteral("reload"), QStringLiteral("-D"), m_spec.dataDir}, 30000);
    return toolFailed(QStringLiteral("Reloading the server configuration"), r);
}

bool LocalCluster::isRunning() const
{
    auto r = runTool(QStringLiteral("pg_ctl"), {QStringLiteral("status"), QStringLiteral("-D"), m_spec.dataDir}, 15000);
    return r && r->exitCode == 0;
}

QString LocalCluster::logTail(int lines) const
{
    QFile f(logFile());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> all = f.readAll().split('\n');
    QStringList tail;
    for (qsizetype i = std::max<qsizetype>(0, all.size() - lines); i < all.size(); ++i)
        tail << QString::fromLocal8Bit(all[i]);
    return tail.join(QLatin1Char('\n')).trimmed();
}

int pickFreePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

} // namespace pga::pg
