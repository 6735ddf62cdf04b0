#pragma once

#include "Retention.h"
#include "WalHistory.h"

#include <QDateTime>
#include <QList>

namespace pga::engine {

struct ServerArchiveSummary;

// How one server's repository grows, measured from what it holds: the basis of the storage and cost forecast.
struct StorageGrowth {
    qint64 currentBytes = 0;          // stored now: every backup's new chunks and the archived WAL
    double newBytesPerBackup = 0;     // median of the backups after the first (the first holds everything)
    double backupsPerDay = 0;         // (n - 1) intervals from the first backup to the last
    double walStoredBytesPerDay = 0;  // over the last 30 days of the archive
    double coveredDays = 0;           // from the oldest backup to now
    double dailyGrowth() const { return newBytesPerBackup * backupsPerDay + walStoredBytesPerDay; }
};

struct ForecastPoint {
    int days = 0;
    qint64 bytes = 0;
    double monthlyCost = 0;           // bytes in GiB times the price per GiB-month
};

StorageGrowth measureGrowth(const ServerArchiveSummary &summary, const QList<WalHour> &wal, const QDateTime &nowUtc);
// How many days of history a policy keeps at this backup rate (infinite: no rule).
double retentionWindowDays(const StorageGrowth &g, const RetentionPolicy &p);
// The repository's size `days` from now: what does not grow (the first full backup), plus daily growth over the
// window the policy keeps, once it has filled (a policy that keeps less than is there now shrinks it at once).
qint64 forecastBytes(const StorageGrowth &g, const RetentionPolicy &p, double days);
QList<ForecastPoint> forecast(const StorageGrowth &g, const RetentionPolicy &p, double pricePerGiBMonth,
                              const QList<int> &days = {30, 90, 365});

} // namespace pga::engine
