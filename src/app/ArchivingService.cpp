#include "ArchivingService.h"
#include "RepositoryService.h"

#include "BackupService.h"
#include "SecretStore.h"

namespace pga::app {

ArchivingService::ArchivingService(SecretStore *secrets, JobRunner *jobs, QObject *parent)
    : QObject(parent), m_secrets(secrets), m_jobs(jobs)
{
}

void ArchivingService::plan(const ServerEntry &e, QObject *context, std::function<void(const JobInfo &, const engine::ArchivingPlan &)> done)
{
    QString cli = engine::Sandbox::findCli();
    if (cli.isEmpty())
        cli = QStringLiteral("pgarchivist-cli");
    m_secrets->readPassword(e.secretKey, context, [this, e, cli, context, done = std::move(done)](Result<QString> pw) {
        pg::ConnectOptions options{e.conninfo, pw.valueOr(QString())};
        auto plan = std::make_shared<engine::ArchivingPlan>();
        m_jobs->start(
            {QStringLiteral("archiving-plan"), tr("Read archive settings of %1").arg(e.name), e.id, false},
            [options, cli, plan, repoDir = e.repoDir, name = BackupService::repoServerName(e),
             repoOptions = RepositoryService::cliOptionWords(e)](JobContext &ctx) -> Status {
                if (Status s = engine::ensureRepository(repoDir, ctx); !s)
                    return s;
                auto conn = pg::Connection::connect(options, &ctx.cancelToken());
                if (!conn)
                    return conn.error();
                auto p = engine::planArchiving(**conn, cli, repoDir, name, &ctx.cancelToken(), repoOptions);
                if (!p)
                    return p.error();
                *plan = *p;
                return {};
            },
            context, [plan, done](const JobInfo &info) { done(info, *plan); });
    });
}

void ArchivingService::apply(const ServerEntry &e, const engine::ArchivingPlan &plan, QObject *context,
                             std::function<void(const JobInfo &, const engine::ArchivingOutcome &)> done)
{
    m_secrets->readPassword(e.secretKey, context, [this, e, plan, context, done = std::move(done)](Result<QString> pw) {
        pg::ConnectOptions options{e.conninfo, pw.valueOr(QString())};
        auto outcome = std::make_shared<engine::ArchivingOutcome>();
        m_jobs->start(
            {QStringLiteral("archiving-apply"), tr("Configure archiving of %1").arg(e.name), e.id},
            [options, plan, outcome](JobContext &ctx) -> Status {
                auto conn = pg::Connection::connect(options, &ctx.cancelToken());
                if (!conn)
                    return conn.error();
                auto o = engine::applyArchiving(**conn, plan, &ctx.cancelToken());
                if (!o)
                    return o.error();
                *outcome = *o;
                ctx.info(o->restartNeeded ? tr("Applied; restart the server for it to take effect.") : tr("Applied and reloaded."));
                return {};
            },
            context, [outcome, done](const JobInfo &info) { done(info, *outcome); });
    });
}

void ArchivingService::createOrStartSandbox(const QString &baseDir, QObject *context,
                                            std::function<void(const JobInfo &, const engine::SandboxInfo &)> done)
{
    auto info = std::make_shared<engine::SandboxInfo>();
    m_jobs->start(
        {QStringLiteral("sandbox-create"), tr("Create sandbox server"), 0},
        [baseDir, info](JobContext &ctx) -> Status {
            engine::Sandbox sandbox(baseDir);
            auto st = sandbox.status();
            if (st && st->exists) {
                ctx.info(tr("A sandbox already exists in %1; using it.").arg(baseDir));
                auto started = st->running ? st : sandbox.start();
                if (!started)
                    return started.error();
                *info = *started;
                return {};
            }
            auto created = sandbox.create(ctx, ctx.cancelToken());
            if (!created)
                return created.error();
            *info = *created;
            return {};
        },
        context, [info, done = std::move(done)](const JobInfo &job) { done(job, *info); });
}

void ArchivingService::startSandboxIfStopped(const QString &baseDir, QObject *context, std::function<void(const JobInfo &)> done)
{
    m_jobs->start({QStringLiteral("sandbox-start"), tr("Start sandbox server"), 0, false},
                  [baseDir](JobContext &ctx) -> Status {
                      engine::Sandbox sandbox(baseDir);
                      auto st = sandbox.status();
                      if (!st)
                          return st.error();
                      if (!st->exists || st->running)
                          return {};
                      ctx.info(tr("Starting the sandbox server"));
                      auto started = sandbox.start();
                      return started ? Status() : Status(started.error());
                  },
                  context, std::move(done));
}

} // namespace pga::app
