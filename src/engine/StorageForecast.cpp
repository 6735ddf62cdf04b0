#include "StorageForecast.h"

#include "RepoInfo.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pga::engine {

StorageGrowth measureGrowth(const ServerArchiveSummary &s, const QList<WalHour> &wal, const QDateTime &nowUtc)
{
    StorageGrowth g;
    QList<double> later;
    QDateTime oldest, newest;
    for (int i = 0; i < s.backupList.size(); ++i) {
        const BackupListing &b = s.backupList[i];
        g.currentBytes += b.newBytes;
        if (i > 0)
            later << double(b.newBytes);
        if (b.startTimeUtc.isValid() && (!oldest.isValid() || b.startTimeUtc < oldest))
            oldest = b.startTimeUtc;
        if (b.startTimeUtc.isValid() && (!newest.isValid() || b.startTimeUtc > newest))
            newest = b.startTimeUtc;
    }
    if (!later.isEmpty()) {
        std::sort(later.begin(), later.end());
        const qsizetype n = later.size();
        g.newBytesPerBackup = n % 2 ? later[n / 2] : (later[n / 2 - 1] + later[n / 2]) / 2;
    }
    if (oldest.isValid()) {
        g.coveredDays = std::max(0.0, oldest.secsTo(nowUtc) / 86400.0);
        // n backups are n - 1 intervals from the first to the last; a single one says at most "one so far".
        const double span = oldest.secsTo(newest) / 86400.0;
        int dated = 0;
        for (const BackupListing &b : s.backupList)
            dated += b.startTimeUtc.isValid() ? 1 : 0;
        g.backupsPerDay = dated >= 2 && span > 0 ? (dated - 1) / span : 1.0 / std::max(g.coveredDays, 1.0);
    }
    qint64 recent = 0;
    QDateTime first;
    const QDateTime from = nowUtc.addDays(-30);
    for (const WalHour &h : wal) {
        g.currentBytes += h.storedBytes;
        if (h.hourUtc >= from) {
            recent += h.storedBytes;
            if (!first.isValid())
                first = h.hourUtc;
        }
    }
    if (first.isValid())
        g.walStoredBytesPerDay = recent / std::max(1.0, first.secsTo(nowUtc) / 86400.0);
    return g;
}

double retentionWindowDays(const StorageGrowth &g, const RetentionPolicy &p)
{
    if (!p.isSet())
        return std::numeric_limits<double>::infinity();
    double w = 0;
    if (p.retainFull >= 1)
        w = g.backupsPerDay > 0 ? p.retainFull / g.backupsPerDay : std::numeric_limits<double>::infinity();
    if (p.retainDays >= 0)  // and the newest backup before the horizon: one backup interval more
        w = std::max(w, p.retainDays + (g.backupsPerDay > 0 ? 1.0 / g.backupsPerDay : 0.0));
    return w;
}

qint64 forecastBytes(const StorageGrowth &g, const RetentionPolicy &p, double days)
{
    const double rate = g.dailyGrowth();
    const double base = std::max(0.0, double(g.currentBytes) - rate * g.coveredDays);
    const double window = retentionWindowDays(g, p);
    return qint64(std::llround(base + rate * std::min(g.coveredDays + days, window)));
}

QList<ForecastPoint> forecast(const StorageGrowth &g, const RetentionPolicy &p, double pricePerGiBMonth, const QList<int> &days)
{
    QList<ForecastPoint> out;
    for (int d : days) {
        ForecastPoint f;
        f.days = d;
        f.bytes = forecastBytes(g, p, d);
        f.monthlyCost = double(f.bytes) / double(1LL << 30) * pricePerGiBMonth;
        out << f;
    }
    return out;
}

} // namespace pga::engine
