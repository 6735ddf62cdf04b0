#include "RestoreService.h"

#include "BackupService.h"
#include "ServerRegistry.h"
#include "engine/ArchivingSetup.h"
#include "repo/FileAccess.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QtConcurrent>

#include <sys/stat.h>
#include <unistd.h>

namespace pga::app {

RestoreService::RestoreService(ServerRegistry *registry, JobRunner *jobs, QObject *parent)
    : QObject(parent), m_registry(registry), m_jobs(jobs)
{
}

QString RestoreService::scratchDir(const ServerEntry &source, const QDateTime &nowUtc)
{
    QString name = source.name;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return engine::scratchRoot() + QStringLiteral("/%1-%2").arg(name, nowUtc.toString(QStringLiteral("yyyyMMddTHHmmss")));
}

engine::RestoreOptions RestoreService::restoreOptions(const RestoreRequest &r)
{
    engine::RestoreOptions o;
    o.repoDir = r.source.repoDir;
    o.server = BackupService::repoServerName(r.source);
    o.targetDir = r.targetDir;
    o.backupId = r.backupId;
    o.target = r.target;
    o.owner = r.owner;
    o.tablespaceMap = r.tablespaceMap;
    return o;
}

QString RestoreService::restoreCommand(const RestoreRequest &r)
{
    using engine::shellQuote;
    const engine::RecoveryTarget &t = r.target;
    QStringList w{QStringLiteral("pgarchivist-cli restore"), QStringLiteral("--repo"), shellQuote(r.source.repoDir), QStringLiteral("--server"),
                  shellQuote(BackupService::repoServerName(r.source)), QStringLiteral("--target-dir"), shellQuote(r.targetDir)};
    if (!r.backupId.isEmpty())
        w << QStringLiteral("--backup") << r.backupId;
    switch (t.kind) {
    case engine::RecoveryTarget::Kind::Immediate:
        w << QStringLiteral("--target-immediate");
        break;
    case engine::RecoveryTarget::Kind::Time:
        w << QStringLiteral("--target-time") << shellQuote(engine::RecoveryTarget::formatTime(t.time, t.timeMicros));
        break;
    case engine::RecoveryTarget::Kind::Lsn:
        w << QStringLiteral("--target-lsn") << t.lsn.toString();
        break;
    case engine::RecoveryTarget::Kind::Xid:
        w << QStringLiteral("--target-xid") << t.text;
        break;
    case engine::RecoveryTarget::Kind::Name:
        w << QStringLiteral("--target-name") << shellQuote(t.text);
        break;
    default:
        break;
    }
    if (!t.timeline.isEmpty())
        w << QStringLiteral("--target-timeline") << t.timeline;
    if (t.exclusive)
        w << QStringLiteral("--target-exclusive");
    if (!t.action.isEmpty())
        w << QStringLiteral("--target-action") << t.action;
    for (const auto &[from, to] : r.tablespaceMap)
        w << QStringLiteral("--tablespace-map") << shellQuote(from + QLatin1Char('=') + to);
    if (!r.owner.isEmpty())
        w << QStringLiteral("--owner") << shellQuote(r.owner);
    if (r.start)
        w << QStringLiteral("--start");
    return w.join(QLatin1Char(' '));
}

void RestoreService::estimate(const RestoreRequest &r, QObject *context, std::function<void(const JobInfo &, const engine::RtoEstimate &)> done)
{
    auto result = std::make_shared<engine::RtoEstimate>();
    m_jobs->start(
        {QStringLiteral("restore-estimate"), tr("Plan a restore of %1").arg(r.source.name), r.source.id, false},
        [o = restoreOptions(r), result](JobContext &ctx) -> Status {
            engine::HostRates rates = engine::HostRates::load(engine::HostRates::defaultPath());
            auto e = engine::estimateRecovery(o, rates, ctx, ctx.cancelToken());
            if (!e)
                return e.error();
            if (e->calibratedNow)
                (void)rates.save(engine::HostRates::defaultPath());
            *result = *e;
            return {};
        },
        context, [result, done = std::move(done)](const JobInfo &info) { done(info, *result); });
}

int RestoreService::restore(const RestoreRequest &r, QObject *context, std::function<void(const JobInfo &, const RestoreOutcome &)> done)
{
    auto outcome = std::make_shared<RestoreOutcome>();
    RestoreRequest req = r;
    if (req.targetDir.isEmpty())
        req.targetDir = scratchDir(r.source);
    return m_jobs->start(
        {QStringLiteral("restore"), tr("Restore %1 into %2").arg(r.source.name, req.targetDir), r.source.id},
        [req, outcome](JobContext &ctx) -> Status {
            const engine::RestoreOptions o = restoreOptions(req);
            outcome->targetDir = o.targetDir;
            const bool existed = QFileInfo::exists(o.targetDir);
            if (!existed)
                if (Status s = engine::prepareTargetParent(o.targetDir); !s)
                    return s;
            QElapsedTimer timer;
            timer.start();
            engine::HostRates rates = engine::HostRates::load(engine::HostRates::defaultPath());
            auto restored = engine::Restore(o).run(ctx, ctx.cancelToken());
            if (!restored) {
                if (!existed && QFileInfo::exists(o.targetDir)) {
                    QDir(o.targetDir).removeRecursively();  // nothing half-written is left to be started by mistake
                    ctx.info(tr("Removed the incomplete %1.").arg(o.targetDir));
                }
                return restored.error();
            }
            outcome->restore = *restored;
            outcome->restoreSeconds = timer.elapsed() / 1000.0;
            rates.addRestore(restored->bytesWritten + restored->bytesReused, outcome->restoreSeconds);
            (void)rates.save(engine::HostRates::defaultPath());
            if (!req.start)
                return {};
            engine::StartOptions so;
            so.dataDir = QFileInfo(o.targetDir).absoluteFilePath();
            so.osUser = req.owner;
            so.action = req.target.action;
            so.replayFrom = restored->replayFrom;
            so.replayTo = restored->replayTo;
            auto started = engine::startRestored(so, ctx, ctx.cancelToken());
            if (!started)
                return started.error();
            outcome->started = *started;
            rates.addReplay(started->replayedWalBytes, started->replaySeconds);
            (void)rates.save(engine::HostRates::defaultPath());
            return {};
        },
        context, [outcome, done = std::move(done)](const JobInfo &info) { done(info, *outcome); });
}

void RestoreService::readRestorePoints(const ServerEntry &source, QObject *context,
                                       std::function<void(const Result<QList<engine::ArchivedRestorePoint>> &)> done)
{
    using Points = Result<QList<engine::ArchivedRestorePoint>>;
    auto *watcher = new QFutureWatcher<Points>(context);
    connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([dir = source.repoDir, name = BackupService::repoServerName(source)]() -> Points {
        auto repo = repo::Repository::open(dir);
        if (!repo)
            return repo.error();
        return engine::listRestorePoints(repo::WalArchive(*repo, name));
    }));
}

void RestoreService::readHostRates(QObject *context, std::function<void(const engine::HostRates &)> done)
{
    auto *watcher = new QFutureWatcher<engine::HostRates>(context);
    connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([] { return engine::HostRates::load(engine::HostRates::defaultPath()); }));
}

std::optional<engine::RtoEstimate> RestoreService::rtoToEndOfWal(const engine::ServerArchiveSummary &s, const engine::HostRates &rates)
{
    const auto restoreRate = rates.restoreRate();
    if (!restoreRate)
        return std::nullopt;
    const double replayRate = rates.replayRate().value_or(engine::kAssumedReplayBytesPerSec);
    const engine::BackupListing *newest = nullptr;
    for (const engine::BackupListing &b : s.backupList)
        if (b.status == QLatin1String("ok") && b.kind == QLatin1String("base"))
            newest = &b;
    if (!newest)
        return std::nullopt;
    Lsn end = newest->stopLsn;
    for (const TimelineSummary &t : s.timelines)
        if (t.window && t.window->toLsn > end)
            end = t.window->toLsn;
    engine::RtoEstimate e;
    e.backup = newest->id;
    e.restoreBytes = newest->logicalBytes;
    e.replayWalBytes = std::max<qint64>(0, qint64(end.value()) - qint64(newest->startLsn.value()));
    e.restoreSeconds = double(e.restoreBytes) / *restoreRate;
    e.replaySeconds = double(e.replayWalBytes) / replayRate;
    e.basis = rates.replayRate() ? tr("speeds measured on this host") : tr("restore speed measured on this host, replay assumed");
    return e;
}

Result<ServerEntry> RestoreService::addRestoredServer(const RestoreRequest &r, const RestoreOutcome &outcome)
{
    if (!outcome.started || outcome.started->conninfo.isEmpty())
        return Error(Error::Code::InvalidArgument, tr("The restored instance is not running, so there is nothing to connect to."));
    ServerEntry e;
    e.name = QStringLiteral("%1 restored %2").arg(r.source.name, QFileInfo(outcome.targetDir).fileName());
    for (int n = 2; m_registry->serverByName(e.name); ++n)
        e.name = QStringLiteral("%1 restored %2 (%3)").arg(r.source.name, QFileInfo(outcome.targetDir).fileName()).arg(n);
    e.group = QStringLiteral("Restored");
    e.conninfo = outcome.started->conninfo;
    return m_registry->save(e);
}

} // namespace pga::app
