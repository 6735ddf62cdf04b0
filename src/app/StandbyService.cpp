#include "StandbyService.h"

#include "BackupService.h"
#include "SecretStore.h"
#include "engine/ClientRun.h"
#include "engine/RestoreStart.h"
#include "engine/WalLandmarks.h"

#include <QRegularExpression>
#include "pg/Connection.h"

namespace pga::app {

StandbyService::StandbyService(SecretStore *secrets, JobRunner *jobs, QObject *parent) : QObject(parent), m_secrets(secrets), m_jobs(jobs) {}

engine::StandbyCreateOptions StandbyService::createOptions(const ServerEntry &primary)
{
    engine::StandbyCreateOptions o;
    o.repoDir = primary.repoDir;
    o.server = BackupService::repoServerName(primary);
    o.primaryConninfo = primary.conninfo;
    return o;
}

QString StandbyService::createCommand(const engine::StandbyCreateOptions &o)
{
    QStringList args{QStringLiteral("standby"), QStringLiteral("create"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server,
                     QStringLiteral("--target-dir"), o.targetDir};
    if (!o.primaryConninfo.isEmpty())
        args << QStringLiteral("--primary-conninfo") << o.primaryConninfo;
    if (!o.slot.isEmpty())
        args << QStringLiteral("--slot") << o.slot;
    if (!o.delay.isEmpty())
        args << QStringLiteral("--delay") << o.delay;
    if (!o.hot)
        args << QStringLiteral("--warm");
    if (o.port > 0)
        args << QStringLiteral("--port") << QString::number(o.port);
    if (!o.backupId.isEmpty())
        args << QStringLiteral("--backup") << o.backupId;
    if (o.start)
        args << QStringLiteral("--start");
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

QString StandbyService::promoteCommand(const engine::PromoteOptions &o)
{
    QStringList args{QStringLiteral("promote"), QStringLiteral("--conninfo"), o.conninfo};
    if (!o.repoDir.isEmpty())
        args << QStringLiteral("--repo") << o.repoDir << QStringLiteral("--server") << o.server;
    if (o.force)
        args << QStringLiteral("--force");
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

QString StandbyService::rewindCommand(const engine::RewindOptions &o)
{
    QStringList args{QStringLiteral("rewind"), QStringLiteral("--target-dir"), o.targetDir, QStringLiteral("--source-conninfo"), o.sourceConninfo};
    if (!o.repoDir.isEmpty())
        args << QStringLiteral("--repo") << o.repoDir << QStringLiteral("--server") << o.server;
    if (!o.slot.isEmpty())
        args << QStringLiteral("--slot") << o.slot;
    if (!o.configureStandby)
        args << QStringLiteral("--no-standby");
    if (o.start)
        args << QStringLiteral("--start");
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

QString StandbyService::stopBeforeCommand(const QString &conninfo, const engine::RecoveryTarget &t, const QString &timeText)
{
    QStringList args{QStringLiteral("standby"), QStringLiteral("stop-before"), QStringLiteral("--conninfo"), conninfo};
    if (t.kind == engine::RecoveryTarget::Kind::Time)
        args << QStringLiteral("--target-time") << timeText;
    else if (t.kind == engine::RecoveryTarget::Kind::Xid)
        args << QStringLiteral("--target-xid") << t.text;
    else if (t.kind == engine::RecoveryTarget::Kind::Lsn)
        args << QStringLiteral("--target-lsn") << t.lsn.toString();
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

bool StandbyService::isTransactionId(const QString &text) { return engine::parseTargetXid(text).has_value(); }

QString StandbyService::defaultStandbyDir(const ServerEntry &primary)
{
    QString name = BackupService::repoServerName(primary);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return engine::scratchRoot() + QStringLiteral("/standby-") + name;
}

void StandbyService::create(const ServerEntry &primary, engine::StandbyCreateOptions o, QObject *context,
                            std::function<void(const JobInfo &, const engine::StandbyCreateResult &)> done)
{
    m_secrets->readPassword(primary.secretKey, context, [this, primary, o, context, done = std::move(done)](Result<QString> pw) mutable {
        if (o.primaryConninfo == primary.conninfo)
            o.primaryPassword = pw.valueOr(QString());  // for the checks on the primary only; never written
        auto result = std::make_shared<engine::StandbyCreateResult>();
        m_jobs->start({QStringLiteral("standby"), tr("Create a standby of %1").arg(primary.name), primary.id, true, 0},
                      [o, result](JobContext &ctx) -> Status {
                          auto r = engine::createStandby(o, ctx, ctx.cancelToken());
                          if (!r)
                              return r.error();
                          *result = *r;
                          return {};
                      },
                      context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

void StandbyService::promote(const ServerEntry &standby, engine::PromoteOptions o, QObject *context,
                             std::function<void(const JobInfo &, const engine::PromoteResult &)> done)
{
    m_secrets->readPassword(standby.secretKey, context, [this, standby, o, context, done = std::move(done)](Result<QString> pw) mutable {
        if (o.conninfo == standby.conninfo)
            o.password = pw.valueOr(QString());
        auto result = std::make_shared<engine::PromoteResult>();
        m_jobs->start({QStringLiteral("promote"), o.checkOnly ? tr("Check %1 before promoting").arg(standby.name) : tr("Promote %1").arg(standby.name),
                       standby.id, !o.checkOnly, 0},
                      [o, result](JobContext &ctx) -> Status {
                          auto r = engine::promoteStandby(o, ctx, ctx.cancelToken());
                          if (!r)
                              return r.error();
                          *result = *r;
                          return {};
                      },
                      context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

void StandbyService::rewind(const ServerEntry &newPrimary, engine::RewindOptions o, QObject *context,
                            std::function<void(const JobInfo &, const engine::RewindResult &)> done)
{
    auto result = std::make_shared<engine::RewindResult>();
    m_jobs->start({QStringLiteral("rewind"), tr("Switch back onto %1").arg(newPrimary.name), newPrimary.id, true, 0},
                  [o, result](JobContext &ctx) -> Status {
                      auto r = engine::rewindOldPrimary(o, ctx, ctx.cancelToken());
                      if (!r)
                          return r.error();
                      *result = *r;
                      return {};
                  },
                  context, [result, done](const JobInfo &info) { done(info, *result); });
}

void StandbyService::stopBefore(const ServerEntry &standby, engine::StopBeforeOptions o, const engine::RecoveryTarget &target, QObject *context,
                                std::function<void(const JobInfo &, const engine::StopBeforeResult &)> done)
{
    m_secrets->readPassword(standby.secretKey, context, [this, standby, o, target, context, done = std::move(done)](Result<QString> pw) mutable {
        if (o.conninfo == standby.conninfo)
            o.password = pw.valueOr(QString());
        auto result = std::make_shared<engine::StopBeforeResult>();
        m_jobs->start({QStringLiteral("stop-before"), tr("Stop %1 before %2").arg(standby.name, target.describe()), standby.id, true, 0},
                      [o, target, result](JobContext &ctx) -> Status {
                          auto r = engine::stopStandbyBefore(o, target, ctx, ctx.cancelToken());
                          if (!r)
                              return r.error();
                          *result = *r;
                          return {};
                      },
                      context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

} // namespace pga::app
