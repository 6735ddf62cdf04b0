#include "engine/RepoInfo.h"
#include "engine/Retention.h"
#include "engine/StorageForecast.h"

#include <QtTest>

using namespace pga::engine;

namespace {
const QDateTime kNow = QDateTime(QDate(2027, 6, 1), QTime(12, 0), QTimeZone::utc());

// Four backups 30, 20, 10 and 0 days ago: the first 1000 bytes, then 100, 200, 300 new bytes; one archived hour
// a day for 30 days, 10 stored bytes each.
ServerArchiveSummary summary()
{
    ServerArchiveSummary s;
    const int ages[] = {30, 20, 10, 0};
    const qint64 news[] = {1000, 100, 200, 300};
    for (int i = 0; i < 4; ++i) {
        BackupListing b;
        b.id = QStringLiteral("b%1").arg(i);
        b.startTimeUtc = kNow.addDays(-ages[i]);
        b.stopTimeUtc = b.startTimeUtc.addSecs(60);
        b.newBytes = news[i];
        b.status = QStringLiteral("ok");
        s.backupList << b;
    }
    return s;
}
QList<WalHour> wal()
{
    QList<WalHour> out;
    for (int d = 30; d > 0; --d) {
        WalHour h;
        h.hourUtc = kNow.addDays(-d);
        h.storedBytes = 10;
        h.walBytes = 100;
        out << h;
    }
    return out;
}
} // namespace

// The storage forecast and the retention it assumes, with exact arithmetic: what the WAL view shows and what the
// calendar's expiry marks follow.
class TestForecast : public QObject {
    Q_OBJECT
private slots:
    void retentionKeepsWhatExpireKeeps()
    {
        QList<BackupAge> b;
        for (int days : {10, 6, 2, 0})
            b << BackupAge{QStringLiteral("%1d").arg(days), kNow.addDays(-days)};
        QCOMPARE(keptBackups(b, {2, -1}, kNow), (QSet<QString>{QStringLiteral("2d"), QStringLiteral("0d")}));
        // The last 3 days: what ended since, and the newest before the horizon (recovery to it starts there).
        QCOMPARE(keptBackups(b, {-1, 3}, kNow), (QSet<QString>{QStringLiteral("6d"), QStringLiteral("2d"), QStringLiteral("0d")}));
        QCOMPARE(keptBackups(b, {1, 3}, kNow).size(), 3);  // both rules: the union (the count alone keeps one)
        QCOMPARE(keptBackups(b, {}, kNow).size(), 4);  // no rule: everything
        QCOMPARE(keptBackups({}, {2, 3}, kNow).size(), 0);
    }

    void growthIsMeasuredFromTheRepository()
    {
        const StorageGrowth g = measureGrowth(summary(), wal(), kNow);
        QCOMPARE(g.currentBytes, qint64(1000 + 100 + 200 + 300 + 300));
        QCOMPARE(g.newBytesPerBackup, 200.0);  // median of the backups after the first
        QCOMPARE(g.coveredDays, 30.0);
        QCOMPARE(g.backupsPerDay, 3.0 / 30.0);  // four backups are three intervals
        QCOMPARE(g.walStoredBytesPerDay, 10.0);
        QCOMPARE(g.dailyGrowth(), 200.0 * 0.1 + 10);
    }

    void forecastFollowsTheRetentionWindow()
    {
        const StorageGrowth g = measureGrowth(summary(), wal(), kNow);
        const double rate = 200.0 * 0.1 + 10;  // 30 bytes a day
        const double base = 1900 - rate * 30;  // 1000: the first full backup, which does not grow
        QCOMPARE(qRound(base), 1000);
        // Keep everything: it grows by the daily rate.
        QCOMPARE(forecastBytes(g, {}, 30), qint64(std::llround(base + rate * 60)));
        QCOMPARE(forecastBytes(g, {}, 365), qint64(std::llround(base + rate * 395)));
        // Keep 2 backups: a 20-day window, less than the 30 days there are: it shrinks to that at once and stays.
        QCOMPARE(retentionWindowDays(g, {2, -1}), 20.0);
        QCOMPARE(forecastBytes(g, {2, -1}, 30), qint64(std::llround(base + rate * 20)));
        QCOMPARE(forecastBytes(g, {2, -1}, 365), forecastBytes(g, {2, -1}, 30));
        // Keep 60 days (and the backup before): fills to 70 days, then flat.
        QCOMPARE(retentionWindowDays(g, {-1, 60}), 70.0);
        QCOMPARE(forecastBytes(g, {-1, 60}, 30), qint64(std::llround(base + rate * 60)));
        QCOMPARE(forecastBytes(g, {-1, 60}, 90), qint64(std::llround(base + rate * 70)));
        QCOMPARE(forecastBytes(g, {-1, 60}, 365), forecastBytes(g, {-1, 60}, 90));
        // Cost: GiB-months at the price.
        const QList<ForecastPoint> f = forecast(g, {-1, 60}, 0.023);
        QCOMPARE(f.size(), 3);
        QCOMPARE(f[2].days, 365);
        QCOMPARE(f[2].monthlyCost, double(f[2].bytes) / double(1LL << 30) * 0.023);
    }

    void anEmptyRepositoryForecastsNothing()
    {
        const StorageGrowth g = measureGrowth({}, {}, kNow);
        QCOMPARE(g.currentBytes, qint64(0));
        QCOMPARE(forecastBytes(g, {2, 7}, 365), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestForecast)
#include "tst_forecast.moc"
