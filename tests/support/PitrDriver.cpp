#include "PitrDriver.h"
#include "TestCluster.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QThread>

namespace pga::test {

CliRun runCli(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    CliRun r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("timed out after %1 ms: ").arg(timeoutMs) + QString::fromLocal8Bit(p.readAllStandardError());
        return r;
    }
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    return r;
}

namespace {

QString sqlQuote(const QString &v) { return QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\''); }

bool isUnknownCommand(const CliRun &r) { return r.exitCode == 64 && r.err.contains(QLatin1String("unknown command")); }

class CliDriver final : public PitrDriver {
public:
    // PGA_PITR_BACKUP_CLI replaces the program for backup and restore only (tests/support/pitr-cli-shim.sh,
    // to check this driver before the real commands exist); archive-push/get stay ours.
    explicit CliDriver(PitrEnv env)
        : m_env(std::move(env)), m_program(qEnvironmentVariable("PGA_PITR_BACKUP_CLI", m_env.cli))
    {
    }
    QString name() const override { return QStringLiteral("cli"); }

    QString unavailable() override
    {
        const CliRun r = runCli(m_program, {QStringLiteral("backup"), QStringLiteral("--help")}, 30000);
        if (isUnknownCommand(r))
            return QStringLiteral("this build of pgarchivist-cli has no 'backup' command yet (exit 64: %1); the CLI "
                                  "backup/restore driver cannot run")
                .arg(r.err.trimmed());
        return {};
    }

    Status backup(const pg::LocalCluster &source) override
    {
        const CliRun r = runCli(m_program, {QStringLiteral("backup"), QStringLiteral("--repo"), m_env.repo, QStringLiteral("--server"),
                                            m_env.server, QStringLiteral("--conninfo"), source.conninfo(),
                                            QStringLiteral("--checkpoint"), QStringLiteral("fast"), QStringLiteral("--json")});
        // The source keeps archiving into the repository as its OS user.
        giveToServerUser(m_env.repo);
        if (r.exitCode != 0)
            return Error(Error::Code::Internal, QStringLiteral("pgarchivist-cli backup failed (exit %1)").arg(r.exitCode),
                         r.err + r.out);
        // The contract names no field for the id; take the usual ones, or let restore pick the only backup.
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const QJsonObject &obj : {o, o.value(QStringLiteral("backup")).toObject()})
            for (const char *key : {"id", "backup_id", "backupId", "label"})
                if (m_backupId.isEmpty() && obj.value(QLatin1String(key)).isString())
                    m_backupId = obj.value(QLatin1String(key)).toString();
        return {};
    }

    Status restore(const RecoveryTarget &t, const QString &targetDir, QString *unavailable) override
    {
        QStringList args{QStringLiteral("restore"), QStringLiteral("--repo"), m_env.repo, QStringLiteral("--server"), m_env.server,
                         QStringLiteral("--target-dir"), targetDir};
        if (!m_backupId.isEmpty())
            args << QStringLiteral("--backup") << m_backupId;
        switch (t.kind) {
        case RecoveryTarget::Kind::Time: args << QStringLiteral("--target-time") << t.value; break;
        case RecoveryTarget::Kind::Lsn: args << QStringLiteral("--target-lsn") << t.value; break;
        case RecoveryTarget::Kind::Xid: args << QStringLiteral("--target-xid") << t.value; break;
        case RecoveryTarget::Kind::Name: args << QStringLiteral("--target-name") << t.value; break;
        case RecoveryTarget::Kind::Immediate: args << QStringLiteral("--target-immediate"); break;
        }
        if (!t.timeline.isEmpty())
            args << QStringLiteral("--target-timeline") << t.timeline;
        args << QStringLiteral("--target-action") << t.action;
        if (t.exclusive)
            args << QStringLiteral("--target-exclusive");
        const CliRun r = runCli(m_program, args);
        if (isUnknownCommand(r)) {
            *unavailable = QStringLiteral("this build of pgarchivist-cli has no 'restore' command yet: ") + r.err.trimmed();
            return Error(Error::Code::NotFound, *unavailable);
        }
        if (r.exitCode != 0)
            return Error(Error::Code::Internal,
                         QStringLiteral("pgarchivist-cli %1 failed (exit %2)").arg(args.join(QLatin1Char(' '))).arg(r.exitCode),
                         r.err + r.out);
        return {};
    }

private:
    PitrEnv m_env;
    QString m_program;
    QString m_backupId;
};

class BaseBackupDriver final : public PitrDriver {
public:
    explicit BaseBackupDriver(PitrEnv env) : m_env(std::move(env)) {}
    QString name() const override { return QStringLiteral("pg_basebackup"); }
    QString unavailable() override { return {}; }

    Status backup(const pg::LocalCluster &source) override
    {
        // Without WAL (-X none): every segment a restore needs must come from the repository.
        m_backupDir = m_env.workDir + QStringLiteral("/basebackup");
        auto r = source.runTool(QStringLiteral("pg_basebackup"),
                                {QStringLiteral("-h"), source.spec().socketDir, QStringLiteral("-p"), QString::number(source.spec().port),
                                 QStringLiteral("-U"), source.spec().superuser, QStringLiteral("-D"), m_backupDir,
                                 QStringLiteral("-X"), QStringLiteral("none"), QStringLiteral("-c"), QStringLiteral("fast")},
                                120000);
        if (!r)
            return r.error();
        if (r->exitCode != 0)
            return Error(Error::Code::Internal, QStringLiteral("pg_basebackup failed"), QString::fromLocal8Bit(r->err));
        return {};
    }

    Status restore(const RecoveryTarget &t, const QString &targetDir, QString *) override
    {
        if (m_backupDir.isEmpty())
            return Error(Error::Code::NotFound, QStringLiteral("no base backup was taken"));
        if (QFileInfo::exists(targetDir))
            return Error(Error::Code::Conflict, QStringLiteral("%1 exists already").arg(targetDir));
        pg::RunSpec cp;
        cp.program = QStringLiteral("cp");
        cp.args = {QStringLiteral("-a"), m_backupDir, targetDir};  // keeps the postgres owner and 0700
        auto r = pg::runProcess(cp);
        if (!r || r->exitCode != 0)
            return Error(Error::Code::Io, QStringLiteral("copying the base backup failed"), r ? QString::fromLocal8Bit(r->err) : r.error().toString());

        QStringList conf{QStringLiteral("restore_command = %1")
                             .arg(sqlQuote(QStringLiteral("%1 archive-get --repo %2 --server %3 %f %p").arg(m_env.cli, m_env.repo, m_env.server)))};
        switch (t.kind) {
        case RecoveryTarget::Kind::Time: conf << QStringLiteral("recovery_target_time = ") + sqlQuote(t.value); break;
        case RecoveryTarget::Kind::Lsn: conf << QStringLiteral("recovery_target_lsn = ") + sqlQuote(t.value); break;
        case RecoveryTarget::Kind::Xid: conf << QStringLiteral("recovery_target_xid = ") + sqlQuote(t.value); break;
        case RecoveryTarget::Kind::Name: conf << QStringLiteral("recovery_target_name = ") + sqlQuote(t.value); break;
        case RecoveryTarget::Kind::Immediate: conf << QStringLiteral("recovery_target = 'immediate'"); break;
        }
        if (!t.timeline.isEmpty())
            conf << QStringLiteral("recovery_target_timeline = ") + sqlQuote(t.timeline);
        if (t.exclusive)
            conf << QStringLiteral("recovery_target_inclusive = off");
        conf << QStringLiteral("recovery_target_action = ") + sqlQuote(t.action);

        QFile f(targetDir + QStringLiteral("/postgresql.auto.conf"));
        if (!f.open(QIODevice::Append | QIODevice::Text))
            return Error(Error::Code::Io, QStringLiteral("cannot write %1").arg(f.fileName()), f.errorString());
        f.write(conf.join(QLatin1Char('\n')).toUtf8() + '\n');
        f.close();
        QFile signal(targetDir + QStringLiteral("/recovery.signal"));
        if (!signal.open(QIODevice::WriteOnly))
            return Error(Error::Code::Io, QStringLiteral("cannot write %1").arg(signal.fileName()), signal.errorString());
        signal.close();
        giveToServerUser(targetDir);
        return {};
    }

private:
    PitrEnv m_env;
    QString m_backupDir;
};

} // namespace

std::unique_ptr<PitrDriver> makeCliDriver(const PitrEnv &env) { return std::make_unique<CliDriver>(env); }
std::unique_ptr<PitrDriver> makeBaseBackupDriver(const PitrEnv &env) { return std::make_unique<BaseBackupDriver>(env); }

Result<std::unique_ptr<RestoredServer>> RestoredServer::start(const QString &dataDir, const QString &socketDir, bool keepArchiving)
{
    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    spec.socketDir = socketDir;
    spec.port = pg::pickFreePort();
    spec.logFile = dataDir + QStringLiteral(".log");
    std::unique_ptr<RestoredServer> s(new RestoredServer);
    s->m_cluster = std::make_unique<pg::LocalCluster>(spec);
    QStringList conf{QStringLiteral("port = %1").arg(spec.port), QStringLiteral("hot_standby = on")};
    if (!keepArchiving)
        conf << QStringLiteral("archive_mode = off");
    if (Status st = s->m_cluster->appendConf(conf); !st)
        return st.error();
    if (Status st = s->m_cluster->start(120000); !st)
        return st.error();
    return s;
}

RestoredServer::~RestoredServer()
{
    if (m_cluster && m_cluster->isRunning())
        (void)m_cluster->stop(QStringLiteral("immediate"), 30000);
}

Status RestoredServer::stop() { return m_cluster->stop(QStringLiteral("immediate"), 30000); }

Status RestoredServer::waitForTarget(const QString &action, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QString last;
    for (int i = 0; t.elapsed() < timeoutMs; ++i) {
        auto c = pg::Connection::connect({conninfo(), {}, false, 5});
        if (c) {
            auto r = (*c)->exec(QStringLiteral("SELECT CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() "
                                               "ELSE 'promoted' END"),
                                {}, nullptr, 10000);
            last = r ? r->value(0, 0) : r.error().toString();
            if (last == QLatin1String("paused") && action == QLatin1String("pause"))
                return {};
            if (last == QLatin1String("promoted")) {
                if (action == QLatin1String("promote"))
                    return {};
                return Error(Error::Code::Internal, QStringLiteral("the server left recovery although the action was %1").arg(action),
                             logTail());
            }
            if (last == QLatin1String("paused"))
                return Error(Error::Code::Internal, QStringLiteral("recovery paused although the action was %1").arg(action), logTail());
        } else {
            last = c.error().toString();
        }
        if (i % 10 == 9 && !m_cluster->isRunning())
            return Error(Error::Code::Internal, QStringLiteral("the restored server stopped before reaching its target"), logTail());
        QThread::msleep(100);
    }
    return Error(Error::Code::Timeout, QStringLiteral("recovery did not reach its target in time (last: %1)").arg(last), logTail());
}

} // namespace pga::test
