#include "TestCluster.h"

#include "CliRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>

#include <pwd.h>
#include <unistd.h>

namespace pga::test {

namespace {

bool chownTo(const QString &path, const char *user)
{
    const passwd *pw = ::getpwnam(user);
    if (!pw)
        return false;
    return ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

} // namespace

QString queryRestored(const QString &dataDir, const QString &socketDir, const QString &sql, bool expectPromote)
{
    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    spec.socketDir = socketDir;
    spec.port = pg::pickFreePort();
    spec.logFile = dataDir + QStringLiteral(".log");
    pg::LocalCluster restored(spec);
    if (!restored.appendConf({QStringLiteral("port = %1").arg(spec.port), QStringLiteral("archive_mode = off")}))
        return QStringLiteral("appendConf failed");
    if (!restored.start(60000))
        return QStringLiteral("start failed: ") + restored.logTail();
    QString value = QStringLiteral("timeout: ");
    for (int i = 0; i < 300; ++i) {
        if (auto conn = pg::Connection::connect({restored.conninfo()})) {
            auto rec = (*conn)->exec(QStringLiteral("SELECT pg_is_in_recovery()"));
            if (rec && (!expectPromote || rec->value(0, 0) == QLatin1String("f"))) {
                auto r = (*conn)->exec(sql);
                value = r ? r->value(0, 0) : QStringLiteral("ERROR: ") + r.error().message;
                break;
            }
        }
        QThread::msleep(100);
    }
    if (value.startsWith(QLatin1String("timeout")))
        value += restored.logTail(20);
    (void)restored.stop(QStringLiteral("immediate"), 30000);
    return value;
}

void giveToServerUser(const QString &path)
{
    if (!pg::runningAsRoot())
        return;
    pg::RunSpec s;
    s.program = QStringLiteral("chown");
    s.args = {QStringLiteral("-R"), QStringLiteral("postgres:postgres"), path};
    (void)pg::runProcess(s);
}

std::unique_ptr<TestCluster> TestCluster::create(const Options &options, QString *why)
{
    auto fail = [&](const QString &reason) {
        if (why)
            *why = reason;
        return std::unique_ptr<TestCluster>();
    };
    auto bin = pg::ClientTools::binDir();
    if (!bin)
        return fail(QStringLiteral("PostgreSQL is not installed: ") + bin.error().message);
    if (pg::runningAsRoot() && !::getpwnam("postgres"))
        return fail(QStringLiteral("running as root but there is no 'postgres' OS user to run the server as"));

    std::unique_ptr<TestCluster> t(new TestCluster);
    t->m_options = options;
    // Under /tmp (not the test's private HOME) so the postgres user can traverse every parent.
    QByteArray tmpl = QFile::encodeName(QDir::tempPath() + QStringLiteral("/pga-cluster.XXXXXX"));
    if (!::mkdtemp(tmpl.data()))
        return fail(QStringLiteral("cannot create a temporary directory"));
    t->m_baseDir = QFile::decodeName(tmpl);
    QFile::setPermissions(t->m_baseDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                            | QFileDevice::ExeOther);
    if (pg::runningAsRoot())
        chownTo(t->m_baseDir, "postgres");

    pg::LocalCluster::Spec spec;
    spec.dataDir = t->m_baseDir + QStringLiteral("/data");
    spec.socketDir = t->m_baseDir;
    spec.port = pg::pickFreePort();
    t->m_cluster = std::make_unique<pg::LocalCluster>(spec);

    if (Status s = t->m_cluster->initdb(options.initdbArgs, options.timeoutMs); !s)
        return fail(QStringLiteral("initdb failed: ") + s.error().toString());
    QStringList conf{QStringLiteral("fsync = %1").arg(options.fsync ? QStringLiteral("on") : QStringLiteral("off")),
                     QStringLiteral("log_timezone = 'UTC'"), QStringLiteral("max_connections = 40"),
                     QStringLiteral("shared_buffers = 32MB")};
    if (options.archiveToDir) {
        t->makeServerWritableDir(QStringLiteral("archive"));
        conf << QStringLiteral("archive_mode = on")
             << QStringLiteral("archive_command = 'test ! -f %1/%f && cp %p %1/%f'").arg(t->archiveDir());
    }
    if (!options.archiveToRepo.isEmpty()) {
        QByteArray err;
        QStringList init{QStringLiteral("repo-init"), QStringLiteral("--repo"), t->repoDir()};
        if (pg::runningAsRoot())
            init << QStringLiteral("--owner") << QStringLiteral("postgres");  // the user archive_command runs as
        if (!options.repoGroup.isEmpty())
            init << QStringLiteral("--group") << options.repoGroup;
        init << options.repoInitArgs;
        if (runCli(init, nullptr, &err) != 0)
            return fail(QStringLiteral("repo-init failed: ") + QString::fromLocal8Bit(err));
        conf << QStringLiteral("wal_level = replica") << QStringLiteral("archive_mode = on")
             << QStringLiteral("archive_command = '%1 archive-push --repo %2 --server %3 %4%p'")
                    .arg(cliPath(), t->repoDir(), options.archiveToRepo,
                         options.archivePushArgs.isEmpty() ? QString() : options.archivePushArgs.join(QLatin1Char(' ')) + QLatin1Char(' '))
             << QStringLiteral("max_wal_senders = 4");
    }
    conf << options.conf;
    if (Status s = t->appendConf(conf); !s)
        return fail(s.error().toString());
    if (options.start) {
        if (Status s = t->start(); !s)
            return fail(QStringLiteral("the server did not start: ") + s.error().toString());
    }
    return t;
}

TestCluster::~TestCluster()
{
    m_conn.reset();
    if (m_cluster && m_cluster->isRunning())
        (void)m_cluster->stop(QStringLiteral("immediate"), 30000);
    if (!m_baseDir.isEmpty() && qEnvironmentVariableIsEmpty("PGA_KEEP_CLUSTERS"))
        QDir(m_baseDir).removeRecursively();
}

QString TestCluster::makeServerWritableDir(const QString &name)
{
    const QString path = m_baseDir + QLatin1Char('/') + name;
    QDir().mkpath(path);
    if (pg::runningAsRoot())
        chownTo(path, "postgres");
    return path;
}

Result<pg::QueryResult> TestCluster::query(const QString &sql, const QStringList &params)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!m_conn) {
            auto c = pg::Connection::connect({conninfo(), {}, false, 10});
            if (!c)
                return c.error();
            m_conn = std::move(*c);
        }
        auto r = m_conn->exec(sql, params, nullptr, m_options.timeoutMs);
        if (r || r.error().code != Error::Code::Connection)
            return r;
        m_conn.reset();  // the server restarted under us; reconnect once
    }
    return Error(Error::Code::Connection, QStringLiteral("lost the connection to the test cluster"));
}

QString TestCluster::scalar(const QString &sql)
{
    auto r = query(sql);
    if (!r || r->rowCount() == 0 || r->columnCount() == 0)
        return {};
    return r->value(0, 0);
}

QString TestCluster::scalarAt(const QString &conninfo, const QString &sql)
{
    auto conn = pg::Connection::connect({conninfo});
    if (!conn)
        return QStringLiteral("ERROR: ") + conn.error().message;
    auto r = (*conn)->exec(sql);
    if (!r)
        return QStringLiteral("ERROR: ") + r.error().message;
    return r->rowCount() && r->columnCount() ? r->value(0, 0) : QString();
}

Status TestCluster::createRole(const QString &name, const QString &password, const QString &attributes)
{
    auto r = query(QStringLiteral("CREATE ROLE \"%1\" %2 PASSWORD '%3'").arg(name, attributes, password));
    if (!r)
        return r.error();
    return {};
}

QString TestCluster::switchWal()
{
    return scalar(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
}

bool TestCluster::waitForArchived(const QString &walName, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QString last;
    while (t.elapsed() < timeoutMs) {
        last = scalar(QStringLiteral("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"));
        // Segment names of one timeline sort by position; compare the 24-char name only.
        if (!last.isEmpty() && last.left(24) >= walName.left(24))
            return true;
        QThread::msleep(100);
    }
    qWarning("waitForArchived(%s): pg_stat_archiver still says %s", qPrintable(walName), qPrintable(last));
    return false;
}

bool TestCluster::waitForArchiverIdle(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (scalar(QStringLiteral("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")) == QLatin1String("0"))
            return true;
        QThread::msleep(100);
    }
    return false;
}

} // namespace pga::test
