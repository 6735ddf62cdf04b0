#include "Sandbox.h"

#include "pg/LocalCluster.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

namespace pga::engine {

namespace {

const QString kStateFile = QStringLiteral("sandbox.json");

pg::LocalCluster clusterFor(const SandboxInfo &info)
{
    pg::LocalCluster::Spec spec;
    spec.dataDir = info.dataDir;
    spec.socketDir = info.socketDir;
    spec.port = info.port;
    spec.logFile = info.baseDir + QStringLiteral("/server.log");
    return pg::LocalCluster(spec);
}

Status chownToServerUser(const QString &path)
{
    if (!pg::runningAsRoot())
        return {};
    pg::RunSpec s;
    s.program = QStringLiteral("chown");
    s.args = {QStringLiteral("-R"), QStringLiteral("postgres:postgres"), path};
    auto r = pg::runProcess(s);
    if (!r || r->exitCode != 0)
        return Error(Error::Code::Io, QStringLiteral("Cannot give %1 to the postgres user.").arg(path),
                     r ? QString::fromLocal8Bit(r->err) : r.error().toString());
    return {};
}

} // namespace

Sandbox::Sandbox(QString baseDir) : m_baseDir(QDir::cleanPath(QFileInfo(baseDir).absoluteFilePath())) {}

QString Sandbox::defaultBaseDir()
{
    if (pg::runningAsRoot())
        return QStringLiteral("/var/lib/pgarchivist/sandbox");
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return base + QStringLiteral("/pgarchivist/sandbox");
}

QString Sandbox::findCli()
{
    const QString appDir = QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString();
    QStringList candidates;
    if (!appDir.isEmpty())
        candidates << appDir + QStringLiteral("/pgarchivist-cli") << appDir + QStringLiteral("/../cli/pgarchivist-cli")
                   << appDir + QStringLiteral("/../../bin/pgarchivist-cli");  // from libexec/pgarchivist/pgarchivist-cli-full
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("pgarchivist-cli"));
    if (!onPath.isEmpty())
        candidates << onPath;
    for (const QString &c : candidates)
        if (QFileInfo(c).isExecutable())
            return QFileInfo(c).canonicalFilePath();
    return {};
}

Result<SandboxInfo> Sandbox::load() const
{
    SandboxInfo info;
    info.baseDir = m_baseDir;
    auto data = repo::readWholeFile(m_baseDir + QLatin1Char('/') + kStateFile, 1 << 20);
    if (!data) {
        if (data.error().code == Error::Code::NotFound)
            return info;  // exists == false
        return data.error();
    }
    const QJsonObject o = QJsonDocument::fromJson(*data).object();
    info.port = o.value(QStringLiteral("port")).toInt();
    if (info.port <= 0)
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The sandbox state file %1/%2 is damaged. Destroy the sandbox and create it again.")
                         .arg(m_baseDir, kStateFile));
    info.dataDir = m_baseDir + QStringLiteral("/data");
    info.socketDir = m_baseDir + QStringLiteral("/run");
    info.repoDir = m_baseDir + QStringLiteral("/repo");
    info.exists = QFileInfo::exists(info.dataDir + QStringLiteral("/PG_VERSION"));
    info.conninfo = clusterFor(info).conninfo();
    return info;
}

Result<SandboxInfo> Sandbox::status() const
{
    auto info = load();
    if (info && info->exists)
        info->running = clusterFor(*info).isRunning();
    return info;
}

Result<SandboxInfo> Sandbox::create(ProgressSink &progress, const CancelToken &cancel)
{
    auto existing = load();
    if (existing && existing->exists)
        return Error(Error::Code::Conflict,
                     QStringLiteral("A sandbox already exists in %1. Start it, or destroy it first.").arg(m_baseDir));
    if (pg::runningAsRoot() && !::getpwnam("postgres"))
        return Error(Error::Code::NotFound,
                     QStringLiteral("Running as root, the sandbox server must run as the 'postgres' user, which does not "
                                    "exist. Install postgresql-15 (it creates the user)."));
    auto bin = pg::ClientTools::binDir();
    if (!bin)
        return bin.error();

    progress.info(QStringLiteral("Creating the sandbox in %1").arg(m_baseDir));
    SandboxInfo info;
    info.baseDir = m_baseDir;
    info.dataDir = m_baseDir + QStringLiteral("/data");
    info.socketDir = m_baseDir + QStringLiteral("/run");
    info.repoDir = m_baseDir + QStringLiteral("/repo");
    info.port = pg::pickFreePort();
    for (const QString &d : {m_baseDir, info.socketDir})
        if (Status s = repo::makeDirectoryDurably(d); !s)
            return s.error();
    if (auto r = repo::Repository::init(info.repoDir, {pg::runningAsRoot() ? QStringLiteral("postgres") : QString(), {}});
        !r && r.error().code != Error::Code::Conflict)
        return r.error();
    if (Status s = chownToServerUser(m_baseDir); !s)
        return s.error();
    if (pg::runningAsRoot()) {
        // The server's user must be able to traverse every parent of its data directory.
        QFile::setPermissions(QFileInfo(m_baseDir).absolutePath(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                  | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                  | QFileDevice::ExeOther);
    }
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));

    pg::LocalCluster cluster = clusterFor(info);
    progress.progress(1, 4);
    progress.info(QStringLiteral("Running initdb (PostgreSQL in %1)").arg(*bin));
    if (Status s = cluster.initdb({QStringLiteral("--data-checksums")}); !s)
        return s.error();
    QStringList conf{QStringLiteral("wal_level = replica"), QStringLiteral("archive_mode = on"),
                     QStringLiteral("archive_timeout = 300"), QStringLiteral("max_wal_senders = 10"),
                     QStringLiteral("log_timezone = 'UTC'")};
    const QString cli = findCli();
    if (!cli.isEmpty())
        conf << QStringLiteral("archive_command = '%1 archive-push --repo %2 --server sandbox %p'").arg(cli, info.repoDir);
    else
        progress.warning(QStringLiteral("pgarchivist-cli was not found, so archive_command is left empty; set it later."));
    if (Status s = cluster.appendConf(conf); !s)
        return s.error();
    if (cancel.isCancelled())
        return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    progress.progress(2, 4);
    const QJsonObject state{{QStringLiteral("port"), info.port},
                            {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    if (Status s = repo::writeFileDurably(m_baseDir + QLatin1Char('/') + kStateFile, QJsonDocument(state).toJson()); !s)
        return s.error();
    progress.info(QStringLiteral("Starting the server on 127.0.0.1:%1").arg(info.port));
    if (Status s = cluster.start(); !s)
        return s.error();
    progress.progress(4, 4);
    info.exists = true;
    info.running = true;
    info.conninfo = cluster.conninfo();
    progress.info(QStringLiteral("Sandbox ready: %1").arg(info.conninfo));
    return info;
}

Result<SandboxInfo> Sandbox::start()
{
    auto info = load();
    if (!info)
        return info;
    if (!info->exists)
        return Error(Error::Code::NotFound,
                     QStringLiteral("There is no sandbox in %1. Create one with 'pgarchivist-cli sandbox create'.").arg(m_baseDir));
    pg::LocalCluster cluster = clusterFor(*info);
    if (!cluster.isRunning())
        if (Status s = cluster.start(); !s)
            return s.error();
    info->running = true;
    return info;
}

Result<SandboxInfo> Sandbox::stop()
{
    auto info = load();
    if (!info)
        return info;
    if (!info->exists)
        return Error(Error::Code::NotFound, QStringLiteral("There is no sandbox in %1.").arg(m_baseDir));
    pg::LocalCluster cluster = clusterFor(*info);
    if (cluster.isRunning())
        if (Status s = cluster.stop(); !s)
            return s.error();
    info->running = false;
    return info;
}

Status Sandbox::destroy()
{
    auto info = load();
    if (!info)
        return info.error();
    if (!QFileInfo::exists(m_baseDir))
        return Error(Error::Code::NotFound, QStringLiteral("There is no sandbox in %1.").arg(m_baseDir));
    if (info->exists) {
        pg::LocalCluster cluster = clusterFor(*info);
        if (cluster.isRunning())
            if (Status s = cluster.stop(QStringLiteral("immediate")); !s)
                return s;
    }
    if (!QFileInfo::exists(m_baseDir + QLatin1Char('/') + kStateFile) && !info->exists)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("%1 does not look like a sandbox (no %2); refusing to delete it.").arg(m_baseDir, kStateFile));
    if (!QDir(m_baseDir).removeRecursively())
        return Error(Error::Code::Io, QStringLiteral("Could not remove everything in %1.").arg(m_baseDir));
    return {};
}

} // namespace pga::engine
