#include "DumpService.h"

#include "BackupService.h"
#include "SecretStore.h"
#include "engine/ArchivingSetup.h"
#include "engine/Sandbox.h"
#include "pg/Connection.h"
#include "repo/Repository.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace pga::app {

namespace {

template <typename T, typename Fn>
void onWorker(QObject *context, Fn work, std::function<void(const T &)> done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

QString joinCommand(const QStringList &args)
{
    QStringList words{QStringLiteral("pgarchivist-cli")};
    for (const QString &a : args)
        words << engine::shellQuote(a);
    return words.join(QLatin1Char(' '));
}

} // namespace

DumpService::DumpService(SecretStore *secrets, JobRunner *jobs, QObject *parent) : QObject(parent), m_secrets(secrets), m_jobs(jobs) {}

engine::DumpOptions DumpService::dumpOptions(const ServerEntry &e)
{
    engine::DumpOptions o;
    o.repoDir = e.repoDir;
    o.server = BackupService::repoServerName(e);
    o.conninfo = e.conninfo;
    o.all = true;
    return o;
}

engine::RestoreDumpOptions DumpService::restoreOptions(const ServerEntry &e, const QString &dumpId)
{
    engine::RestoreDumpOptions o;
    o.repoDir = e.repoDir;
    o.server = BackupService::repoServerName(e);
    o.dumpId = dumpId;
    o.conninfo = e.conninfo;
    return o;
}

QString DumpService::dumpCommand(const engine::DumpOptions &o) { return joinCommand(engine::Dump::cliArgs(o)); }
QString DumpService::restoreCommand(const engine::RestoreDumpOptions &o) { return joinCommand(engine::RestoreDump::cliArgs(o)); }

QString DumpService::coldBackupCommand(const engine::ColdBackupOptions &o)
{
    QStringList a{QStringLiteral("cold-backup"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server,
                  QStringLiteral("--data-dir"), o.dataDir};
    if (!o.configDir.isEmpty())
        a << QStringLiteral("--config-dir") << o.configDir;
    return joinCommand(a);
}

QString DumpService::sandboxDataDir() { return engine::Sandbox::defaultBaseDir() + QStringLiteral("/data"); }

bool DumpService::isLocal(const ServerEntry &e)
{
    const QString host = pg::conninfoValue(e.conninfo, QStringLiteral("host"));
    return e.sandbox || host.isEmpty() || host.startsWith(QLatin1Char('/')) || host == QLatin1String("localhost")
        || host == QLatin1String("127.0.0.1") || host == QLatin1String("::1");
}

void DumpService::listDatabases(const ServerEntry &e, QObject *context, std::function<void(const Result<QList<engine::DatabaseSize>> &)> done)
{
    m_secrets->readPassword(e.secretKey, context, [e, context, done = std::move(done)](Result<QString> pw) mutable {
        const QString password = pw.valueOr(QString());
        onWorker<Result<QList<engine::DatabaseSize>>>(
            context, [conninfo = e.conninfo, password] { return engine::Dump::databases(conninfo, password, CancelToken()); }, std::move(done));
    });
}

void DumpService::readToc(const engine::RestoreDumpOptions &o, QObject *context, std::function<void(const Result<QList<TocEntry>> &)> done)
{
    onWorker<Result<QList<TocEntry>>>(context, [o] { return engine::RestoreDump(o).toc(CancelToken()); }, std::move(done));
}

void DumpService::readDump(const ServerEntry &e, const QString &dumpId, QObject *context, std::function<void(const Result<repo::DumpManifest> &)> done)
{
    onWorker<Result<repo::DumpManifest>>(
        context,
        [dir = e.repoDir, server = BackupService::repoServerName(e), dumpId]() -> Result<repo::DumpManifest> {
            auto repo = repo::Repository::open(dir);
            if (!repo)
                return repo.error();
            return repo::DumpCatalog(*repo, server).read(dumpId);
        },
        std::move(done));
}

void DumpService::dump(const ServerEntry &e, engine::DumpOptions o, QObject *context,
                       std::function<void(const JobInfo &, const repo::DumpManifest &)> done, qint64 scheduleId)
{
    m_secrets->readPassword(e.secretKey, context, [this, e, o, context, scheduleId, done = std::move(done)](Result<QString> pw) mutable {
        o.password = pw.valueOr(QString());
        auto manifest = std::make_shared<repo::DumpManifest>();
        m_jobs->start(
            {QStringLiteral("dump"), tr("Dump %1").arg(e.name), e.id, true, scheduleId},
            [o, manifest](JobContext &ctx) -> Status {
                if (Status s = engine::ensureRepository(o.repoDir, ctx); !s)
                    return s;
                auto r = engine::Dump(o).run(ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *manifest = *r;
                return {};
            },
            context, [manifest, done](const JobInfo &info) { done(info, *manifest); });
    });
}

void DumpService::restore(const ServerEntry &e, engine::RestoreDumpOptions o, QObject *context,
                          std::function<void(const JobInfo &, const engine::RestoreDumpResult &)> done)
{
    const bool ownServer = o.conninfo == e.conninfo;
    m_secrets->readPassword(e.secretKey, context, [this, e, o, ownServer, context, done = std::move(done)](Result<QString> pw) mutable {
        if (ownServer)
            o.password = pw.valueOr(QString());
        auto result = std::make_shared<engine::RestoreDumpResult>();
        m_jobs->start(
            {QStringLiteral("restore-dump"), tr("Restore dump %1").arg(o.dumpId), e.id, true, 0},
            [o, result](JobContext &ctx) -> Status {
                auto r = engine::RestoreDump(o).run(ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *result = *r;
                return {};
            },
            context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

void DumpService::coldBackup(const ServerEntry &e, const engine::ColdBackupOptions &o, QObject *context,
                             std::function<void(const JobInfo &, const repo::BackupManifest &)> done, qint64 scheduleId)
{
    auto manifest = std::make_shared<repo::BackupManifest>();
    m_jobs->start(
        {QStringLiteral("cold-backup"), tr("Cold backup of %1").arg(e.name), e.id, true, scheduleId},
        [o, manifest](JobContext &ctx) -> Status {
            if (Status s = engine::ensureRepository(o.repoDir, ctx); !s)
                return s;
            auto r = engine::ColdBackup(o).run(ctx, ctx.cancelToken());
            if (!r)
                return r.error();
            *manifest = *r;
            return {};
        },
        context, [manifest, done](const JobInfo &info) { done(info, *manifest); });
}

} // namespace pga::app
