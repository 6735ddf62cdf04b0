#include "BackupService.h"
#include "RepositoryService.h"

#include "SecretStore.h"
#include "engine/ArchivingSetup.h"
#include "engine/BaseBackup.h"
#include "engine/RestoreStart.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent>

namespace pga::app {

BackupService::BackupService(SecretStore *secrets, JobRunner *jobs, QObject *parent)
    : QObject(parent), m_secrets(secrets), m_jobs(jobs)
{
}

QString BackupService::repoServerName(const ServerEntry &e) { return e.repoServer.isEmpty() ? e.name : e.repoServer; }

QString BackupService::backupCommand(const ServerEntry &e)
{
    return QStringLiteral("pgarchivist-cli backup --repo %1 --server %2 --conninfo %3")
               .arg(engine::shellQuote(e.repoDir), engine::shellQuote(repoServerName(e)), engine::shellQuote(e.conninfo))
           + RepositoryService::cliOptions(e);
}

QString BackupService::verifyCommand(const ServerEntry &e, const QString &backupId)
{
    return QStringLiteral("pgarchivist-cli verify --repo %1 --server %2%3")
               .arg(engine::shellQuote(e.repoDir), engine::shellQuote(repoServerName(e)),
                    backupId.isEmpty() ? QString() : QStringLiteral(" --backup ") + backupId)
           + RepositoryService::cliOptions(e);
}

QString BackupService::expireCommand(const engine::ExpireOptions &o)
{
    return QStringLiteral("pgarchivist-cli expire --repo %1 --server %2 --retain-full %3%4%5")
        .arg(engine::shellQuote(o.repoDir), engine::shellQuote(o.server))
        .arg(o.retainFull)
        .arg(o.retainDays > 0 ? QStringLiteral(" --retain-days %1").arg(o.retainDays) : QString(),
             o.dryRun ? QStringLiteral(" --dry-run") : QString());
}

engine::ExpireOptions BackupService::expireOptions(const ServerEntry &e, int retainFull, int retainDays, bool dryRun)
{
    engine::ExpireOptions o;
    o.repoDir = e.repoDir;
    o.server = repoServerName(e);
    o.retainFull = retainFull;
    o.retainDays = retainDays > 0 ? retainDays : -1;
    o.dryRun = dryRun;
    return o;
}

void BackupService::readCatalog(const ServerEntry &e, QObject *context, std::function<void(const Catalog &)> done)
{
    auto *watcher = new QFutureWatcher<Catalog>(context);
    connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([dir = e.repoDir, name = repoServerName(e)] { return engine::archiveSummary(dir, name); }));
}

void BackupService::backUp(const ServerEntry &e, QObject *context, std::function<void(const JobInfo &, const repo::BackupManifest &)> done,
                           qint64 scheduleId)
{
    m_secrets->readPassword(e.secretKey, context, [this, e, context, scheduleId, done = std::move(done)](Result<QString> pw) {
        engine::BaseBackupOptions o;
        o.repoDir = e.repoDir;
        o.server = repoServerName(e);
        o.conninfo = e.conninfo;
        o.password = pw.valueOr(QString());
        auto manifest = std::make_shared<repo::BackupManifest>();
        m_jobs->start(
            {QStringLiteral("backup"), tr("Back up %1").arg(e.name), e.id, true, scheduleId},
            [o, manifest](JobContext &ctx) -> Status {
                if (Status s = engine::ensureRepository(o.repoDir, ctx); !s)
                    return s;
                auto r = engine::BaseBackup(o).run(ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *manifest = *r;
                return {};
            },
            context, [manifest, done](const JobInfo &info) { done(info, *manifest); });
    });
}

void BackupService::verify(const ServerEntry &e, const QString &backupId, QObject *context,
                           std::function<void(const JobInfo &, const QList<engine::BackupCheck> &)> done, qint64 scheduleId)
{
    engine::VerifyOptions o;
    o.repoDir = e.repoDir;
    o.server = repoServerName(e);
    o.backupId = backupId;
    auto checks = std::make_shared<QList<engine::BackupCheck>>();
    m_jobs->start(
        {QStringLiteral("verify"), backupId.isEmpty() ? tr("Verify backups of %1").arg(e.name) : tr("Verify backup %1").arg(backupId), e.id,
         true, scheduleId},
        [o, checks](JobContext &ctx) -> Status {
            auto r = engine::Verify(o).run(ctx, ctx.cancelToken());
            if (!r)
                return r.error();
            *checks = *r;
            int damaged = 0;
            for (const engine::BackupCheck &c : std::as_const(*checks)) {
                damaged += c.ok() ? 0 : 1;
                for (const QString &p : c.problems)
                    ctx.log(ProgressSink::Level::Error, c.id + QStringLiteral(": ") + p);
            }
            if (damaged > 0)
                return Error(Error::Code::Corrupt, tr("Verify found problems in %n backup(s); see the log.", nullptr, damaged));
            return {};
        },
        context, [checks, done = std::move(done)](const JobInfo &info) { done(info, *checks); });
}

void BackupService::expire(const ServerEntry &e, const engine::ExpireOptions &o, QObject *context,
                           std::function<void(const JobInfo &, const engine::ExpireResult &)> done, qint64 scheduleId)
{
    auto result = std::make_shared<engine::ExpireResult>();
    m_jobs->start(
        {o.dryRun ? QStringLiteral("expire-preview") : QStringLiteral("expire"),
         o.dryRun ? tr("Expire preview for %1").arg(e.name) : tr("Expire backups of %1").arg(e.name), e.id, !o.dryRun, scheduleId},
        [o, result](JobContext &ctx) -> Status {
            auto r = engine::Expire(o).run(ctx, ctx.cancelToken());
            if (!r)
                return r.error();
            *result = *r;
            return {};
        },
        context, [result, done = std::move(done)](const JobInfo &info) { done(info, *result); });
}

QString BackupService::drillCommand(const ServerEntry &e, const QString &backupId)
{
    return QStringLiteral("pgarchivist-cli drill --repo %1 --server %2 --conninfo %3%4")
        .arg(engine::shellQuote(e.repoDir), engine::shellQuote(repoServerName(e)), engine::shellQuote(e.conninfo),
             backupId.isEmpty() ? QString() : QStringLiteral(" --backup ") + backupId);
}

engine::DrillOptions BackupService::drillOptions(const ServerEntry &e, const QString &backupId, const QDateTime &nowUtc)
{
    engine::DrillOptions o;
    o.repoDir = e.repoDir;
    o.server = repoServerName(e);
    o.backupId = backupId;
    o.sourceConninfo = e.conninfo;
    QString name = e.name;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    o.scratchDir = engine::scratchRoot() + QStringLiteral("/drill-%1-%2").arg(name, nowUtc.toString(QStringLiteral("yyyyMMddTHHmmss")));
    o.keptLogDir = QFileInfo(engine::scratchRoot()).absolutePath() + QStringLiteral("/drill-logs");
    return o;
}

void BackupService::drill(const ServerEntry &e, const QString &backupId, QObject *context,
                          std::function<void(const JobInfo &, const engine::DrillResult &)> done, qint64 scheduleId)
{
    m_secrets->readPassword(e.secretKey, context, [this, e, backupId, context, scheduleId, done = std::move(done)](Result<QString> pw) {
        engine::DrillOptions o = drillOptions(e, backupId, QDateTime::currentDateTimeUtc());
        o.sourcePassword = pw.valueOr(QString());
        auto result = std::make_shared<engine::DrillResult>();
        m_jobs->start(
            {QStringLiteral("drill"), tr("Restore drill of %1").arg(e.name), e.id, true, scheduleId},
            [o, result](JobContext &ctx) -> Status {
                auto r = engine::runDrill(o, ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *result = *r;
                if (r->passed())
                    ctx.info(engine::drillSummary(*r));
                if (r->outcome == QLatin1String("cancelled"))
                    return Error(Error::Code::Cancelled, tr("The drill was cancelled; its copy was removed."));
                if (!r->passed())
                    return Error(Error::Code::Corrupt, tr("The drill failed at %1: %2").arg(r->failedStep, r->failure),
                                 r->keptLog.isEmpty() ? QString() : tr("server log kept as %1").arg(r->keptLog));
                return {};
            },
            context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

} // namespace pga::app
