#include "RtoEstimate.h"

#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <algorithm>
#include <unistd.h>

namespace pga::engine {

namespace {

constexpr int kKeep = 8;

std::optional<double> median(QList<double> v)
{
    if (v.isEmpty())
        return std::nullopt;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void addSample(QList<double> &list, qint64 bytes, double seconds)
{
    if (bytes <= 0 || seconds <= 0)
        return;
    list << double(bytes) / seconds;
    while (list.size() > kKeep)
        list.removeFirst();
}

QString mibPerSec(double r) { return QStringLiteral("%1 MiB/s").arg(r / (1 << 20), 0, 'f', 1); }

// Reads, checks and writes (fdatasync'ed) up to 64 MiB of the backup's chunks: restore's own work, in small.
Result<double> calibrateRestore(const repo::BackupCatalog &catalog, const repo::BackupManifest &m, const QString &chunksDir,
                                const CancelToken &cancel)
{
    const qint64 budget = qint64(64) << 20;
    QList<QPair<ChunkId, qint64>> chunks;
    qint64 planned = 0;
    Status listed = catalog.forEachFile(m, [&](repo::BackupFileEntry &e) -> Status {
        for (qsizetype i = 0; i < e.chunks.size() && planned < budget; ++i) {
            const qint64 raw = std::min<qint64>(m.chunkSize, e.size - qint64(i) * m.chunkSize);
            chunks << qMakePair(e.chunks[i], raw);
            planned += raw;
        }
        return planned < budget ? Status() : Status(Error(Error::Code::Cancelled, QString()));  // enough
    });
    if (!listed && listed.error().code != Error::Code::Cancelled)
        return listed.error();
    QTemporaryFile out(QDir::tempPath() + QStringLiteral("/pgarchivist-calibrate.XXXXXX"));
    if (!out.open())
        return Error(Error::Code::Io, QStringLiteral("Cannot create a file to calibrate in %1: %2").arg(QDir::tempPath(), out.errorString()));
    const repo::ChunkStore store(chunksDir);
    QByteArray buf;
    qint64 done = 0;
    QElapsedTimer t;
    t.start();
    for (const auto &[id, raw] : chunks) {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        buf.resize(qsizetype(raw));
        if (Status s = store.readInto(id.hex(), buf.data(), size_t(raw)); !s)
            return s.error();
        if (out.write(buf) != buf.size())
            return Error(Error::Code::Io, QStringLiteral("Writing the calibration file failed: %1").arg(out.errorString()));
        done += raw;
    }
    out.flush();
    ::fdatasync(int(out.handle()));
    const double secs = std::max(0.001, t.elapsed() / 1000.0);
    if (done == 0)
        return Error(Error::Code::NotFound, QStringLiteral("The backup has no data to calibrate with."));
    return double(done) / secs;
}

} // namespace

QString HostRates::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/pgarchivist/host-rates.json");
}

HostRates HostRates::load(const QString &path)
{
    HostRates r;
    auto data = repo::readWholeFile(path, 1 << 20);
    if (!data)
        return r;
    const QJsonObject o = QJsonDocument::fromJson(*data).object();
    for (const QJsonValue &v : o.value(QStringLiteral("restore_bytes_per_sec")).toArray())
        if (v.toDouble() > 0)
            r.restoreBytesPerSec << v.toDouble();
    for (const QJsonValue &v : o.value(QStringLiteral("replay_bytes_per_sec")).toArray())
        if (v.toDouble() > 0)
            r.replayBytesPerSec << v.toDouble();
    r.calibratedRestoreBytesPerSec = std::max(0.0, o.value(QStringLiteral("calibrated_restore_bytes_per_sec")).toDouble());
    return r;
}

Status HostRates::save(const QString &path) const
{
    QJsonArray restore, replay;
    for (double v : restoreBytesPerSec)
        restore.append(v);
    for (double v : replayBytesPerSec)
        replay.append(v);
    if (Status s = repo::makeDirectoryDurably(QFileInfo(path).absolutePath()); !s)
        return s;
    return repo::writeFileDurably(path, QJsonDocument(QJsonObject{{QStringLiteral("restore_bytes_per_sec"), restore},
                                                                  {QStringLiteral("replay_bytes_per_sec"), replay},
                                                                  {QStringLiteral("calibrated_restore_bytes_per_sec"), calibratedRestoreBytesPerSec}})
                                            .toJson());
}

void HostRates::addRestore(qint64 bytes, double seconds) { addSample(restoreBytesPerSec, bytes, seconds); }
void HostRates::addReplay(qint64 bytes, double seconds) { addSample(replayBytesPerSec, bytes, seconds); }
std::optional<double> HostRates::restoreRate() const { return median(restoreBytesPerSec); }
std::optional<double> HostRates::replayRate() const { return median(replayBytesPerSec); }

Result<RtoEstimate> estimateRecovery(const RestoreOptions &options, HostRates &rates, ProgressSink &progress, const CancelToken &cancel)
{
    auto plan = Restore(options).plan(progress, cancel);
    if (!plan)
        return plan.error();
    RtoEstimate e;
    e.backup = plan->backupId;
    e.restoreBytes = plan->manifest.logicalBytes;
    e.replayWalBytes = std::max<qint64>(0, qint64(plan->replayTo.value()) - qint64(plan->replayFrom.value()));
    QStringList basis;
    double restoreRate = 0;
    if (auto r = rates.restoreRate()) {
        restoreRate = *r;
        basis << QStringLiteral("restore at %1, the median of %2 restore(s) measured on this host").arg(mibPerSec(*r)).arg(rates.restoreBytesPerSec.size());
    } else if (rates.calibratedRestoreBytesPerSec > 0) {
        restoreRate = rates.calibratedRestoreBytesPerSec;
        basis << QStringLiteral("restore at %1, calibrated earlier on this host (no restore measured yet)").arg(mibPerSec(restoreRate));
    } else {
        auto repo = repo::Repository::open(options.repoDir);
        if (!repo)
            return repo.error();
        progress.info(QStringLiteral("No restore measured on this host yet: calibrating with up to 64 MiB of backup %1").arg(e.backup));
        auto c = calibrateRestore(repo::BackupCatalog(*repo, options.server), plan->manifest, repo->chunksDir(), cancel);
        if (!c)
            return c.error();
        restoreRate = *c;
        rates.calibratedRestoreBytesPerSec = *c;
        e.calibratedNow = true;
        basis << QStringLiteral("restore at %1, calibrated now (64 MiB of this backup's chunks read, checked and written)").arg(mibPerSec(*c));
    }
    double replayRate = kAssumedReplayBytesPerSec;
    if (auto r = rates.replayRate()) {
        replayRate = *r;
        basis << QStringLiteral("replay at %1, the median of %2 replay(s) measured on this host").arg(mibPerSec(*r)).arg(rates.replayBytesPerSec.size());
    } else {
        basis << QStringLiteral("replay at %1, assumed (no replay measured on this host yet; 'restore --start' measures one)").arg(mibPerSec(replayRate));
    }
    e.restoreSeconds = double(e.restoreBytes) / restoreRate;
    e.replaySeconds = double(e.replayWalBytes) / replayRate;
    e.basis = basis.join(QStringLiteral("; "));
    return e;
}

} // namespace pga::engine
