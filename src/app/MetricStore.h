#pragma once

#include "core/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>

#include <optional>

namespace pga::app {

class ServerRegistry;

// What the app sampled of a server at one moment (or, after a week, the hour's last values: spanSeconds 3600).
struct MetricSample {
    qint64 serverId = 0;
    QDateTime takenAt;                    // UTC
    int spanSeconds = 0;                  // 0: one sample; 3600: an hour, downsampled
    std::optional<qint64> walLsn;         // pg_current_wal_lsn() as a byte position
    std::optional<qint64> walRecords, walFpi, walBytes;         // pg_stat_wal (cumulative)
    std::optional<qint64> archivedCount, failedCount;           // pg_stat_archiver (cumulative)
    std::optional<qint64> readyCount;     // .ready files waiting in pg_wal/archive_status
    std::optional<double> archiveLagSeconds;  // how long the archiver has had files waiting (0: none waiting)
    std::optional<qint64> repoBytes;      // the repository's size on disk
};

// metric_samples in the registry, with bounded retention: samples older than a week become one row per hour,
// and nothing is kept beyond 400 days.
class MetricStore {
    Q_DECLARE_TR_FUNCTIONS(MetricStore)
public:
    explicit MetricStore(ServerRegistry &registry) : m_registry(registry) {}

    Status add(const MetricSample &s);
    // Oldest first, in [from, to).
    QList<MetricSample> samples(qint64 serverId, const QDateTime &from, const QDateTime &to) const;
    // Downsamples and prunes relative to nowUtc; returns how many rows went.
    Result<int> compact(const QDateTime &nowUtc);

    static constexpr int kRawDays = 7;
    static constexpr int kKeepDays = 400;

private:
    ServerRegistry &m_registry;
};

} // namespace pga::app
