#include "BlunderService.h"

#include "BackupService.h"
#include "SecretStore.h"
#include "engine/CatalogCapture.h"
#include "engine/ClientRun.h"
#include "core/TimeText.h"
#include "engine/RestoreStart.h"

#include <QRegularExpression>

namespace pga::app {

BlunderService::BlunderService(SecretStore *secrets, JobRunner *jobs, QObject *parent) : QObject(parent), m_secrets(secrets), m_jobs(jobs) {}

engine::BlunderScanOptions BlunderService::scanOptions(const ServerEntry &e, const BlunderFilter &filter)
{
    engine::BlunderScanOptions o;
    o.repoDir = e.repoDir;
    o.server = BackupService::repoServerName(e);
    o.filter = filter;
    return o;
}

engine::UndoOptions BlunderService::undoOptions(const ServerEntry &e, quint32 xid)
{
    engine::UndoOptions o;
    o.repoDir = e.repoDir;
    o.server = BackupService::repoServerName(e);
    o.xid = xid;
    o.conninfo = e.conninfo;
    return o;
}

QString BlunderService::defaultScratchDir(const ServerEntry &e, quint32 xid)
{
    QString name = BackupService::repoServerName(e);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return engine::scratchRoot() + QStringLiteral("/undo-%1-%2-%3").arg(name).arg(xid).arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss")));
}

QString BlunderService::scanCommand(const engine::BlunderScanOptions &o)
{
    QStringList args{QStringLiteral("blunders"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server};
    if (o.filter.minRows != 100)
        args << QStringLiteral("--min-rows") << QString::number(o.filter.minRows);
    if (o.filter.sinceUs)
        args << QStringLiteral("--since") << isoUtcUs(*o.filter.sinceUs);
    if (o.filter.untilUs)
        args << QStringLiteral("--until") << isoUtcUs(*o.filter.untilUs);
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

QString BlunderService::undoCommand(const engine::UndoOptions &o)
{
    QStringList args{QStringLiteral("undo"), QStringLiteral("--repo"), o.repoDir, QStringLiteral("--server"), o.server,
                     QStringLiteral("--xid"), QString::number(o.xid), QStringLiteral("--conninfo"), o.conninfo};
    if (!o.intoSchema.isEmpty())
        args << QStringLiteral("--into-schema") << o.intoSchema;
    if (!o.asName.isEmpty())
        args << QStringLiteral("--as") << o.asName;
    if (!o.scratchDir.isEmpty())
        args << QStringLiteral("--scratch-dir") << o.scratchDir;
    if (o.keepScratch)
        args << QStringLiteral("--keep-scratch");
    if (o.dryRun)
        args << QStringLiteral("--dry-run");
    return engine::shellJoin(QStringLiteral("pgarchivist-cli"), args);
}

void BlunderService::scan(const ServerEntry &e, const BlunderFilter &filter, QObject *context,
                          std::function<void(const JobInfo &, const engine::BlunderScan &)> done)
{
    m_secrets->readPassword(e.secretKey, context, [this, e, filter, context, done = std::move(done)](Result<QString> pw) mutable {
        auto result = std::make_shared<engine::BlunderScan>();
        const engine::BlunderScanOptions o = scanOptions(e, filter);
        m_jobs->start(
            {QStringLiteral("blunders"), tr("Find blunders of %1").arg(e.name), e.id, true, 0},
            [o, conninfo = e.conninfo, password = pw.valueOr(QString()), result](JobContext &ctx) -> Status {
                // An unreachable server still has its archive: the scan goes on with the snapshots there are.
                if (auto snap = engine::recordCatalogSnapshot(o.repoDir, o.server, conninfo, password, ctx, ctx.cancelToken()); !snap)
                    ctx.warning(QStringLiteral("No fresh catalog snapshot: %1").arg(snap.error().message));
                auto r = engine::scanBlunders(o, ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                for (const QString &w : r->warnings)
                    ctx.warning(w);
                *result = *r;
                return {};
            },
            context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

void BlunderService::undo(const ServerEntry &e, engine::UndoOptions o, QObject *context,
                          std::function<void(const JobInfo &, const engine::UndoResult &)> done)
{
    const bool ownServer = o.conninfo == e.conninfo;
    m_secrets->readPassword(e.secretKey, context, [this, e, o, ownServer, context, done = std::move(done)](Result<QString> pw) mutable {
        if (ownServer)
            o.password = pw.valueOr(QString());
        auto result = std::make_shared<engine::UndoResult>();
        m_jobs->start(
            {QStringLiteral("undo"), o.dryRun ? tr("Plan undo of transaction %1").arg(o.xid) : tr("Undo transaction %1").arg(o.xid), e.id, true, 0},
            [o, result](JobContext &ctx) -> Status {
                auto r = engine::runUndo(o, ctx, ctx.cancelToken());
                if (!r)
                    return r.error();
                *result = *r;
                for (const QString &line : engine::undoLines(*r))
                    ctx.info(line);
                return {};
            },
            context, [result, done](const JobInfo &info) { done(info, *result); });
    });
}

} // namespace pga::app
