#include "CommandSupport.h"
#include "Commands.h"
#include "engine/RepoInfo.h"
#include "engine/StorageForecast.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace pga::cli {

// `pgarchivist-cli forecast --repo DIR --server NAME [--retain-full N] [--retain-days D] [--price P] [--json]`:
// the WAL view's storage and cost forecast, with the same what-if retention.
int runForecast(const QStringList &args)
{
    CommandParser p(QStringLiteral("forecast"),
                    QStringLiteral("Forecast the repository's size for a server at +30, +90 and +365 days from its measured growth, under a "
                                   "retention (a what-if: nothing is applied), and what it costs at a price per GiB-month."));
    addRepoServer(p);
    p.addOption({QStringLiteral("retain-full"), QStringLiteral("What if expire kept the newest N backups."), QStringLiteral("N")});
    p.addOption({QStringLiteral("retain-days"), QStringLiteral("What if expire kept what the last D days need."), QStringLiteral("D")});
    p.addOption({QStringLiteral("price"), QStringLiteral("Price per GiB-month (default 0.023)."), QStringLiteral("P"), QStringLiteral("0.023")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    QString repoDir, server;
    if (!repoServer(p, &repoDir, &server, "forecast"))
        return ExitUsage;
    engine::RetentionPolicy policy;
    if (!intOption(p, QStringLiteral("retain-full"), 1, 100000, &policy.retainFull) || !intOption(p, QStringLiteral("retain-days"), 0, 100000, &policy.retainDays))
        return ExitUsage;
    bool ok = false;
    const double price = p.value(QStringLiteral("price")).toDouble(&ok);
    if (!ok || price < 0) {
        printError(QStringLiteral("--price must be a number of at least 0."));
        return ExitUsage;
    }
    auto summary = engine::archiveSummary(repoDir, server);
    if (!summary) {
        printError(summary.error());
        return ExitFailure;
    }
    auto repo = repo::Repository::open(repoDir);
    if (!repo) {
        printError(repo.error());
        return ExitFailure;
    }
    CancelToken never;
    auto wal = engine::walPerHour(repo::WalArchive(*repo, server), never);
    if (!wal) {
        printError(wal.error());
        return ExitFailure;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const engine::StorageGrowth g = engine::measureGrowth(summary->first(), *wal, now);
    const QList<engine::ForecastPoint> points = engine::forecast(g, policy, price);
    const double window = engine::retentionWindowDays(g, policy);
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const engine::ForecastPoint &f : points)
            arr.append(QJsonObject{{QStringLiteral("days"), f.days}, {QStringLiteral("bytes"), f.bytes}, {QStringLiteral("monthly_cost"), f.monthlyCost}});
        printJson({{QStringLiteral("current_bytes"), g.currentBytes},
                   {QStringLiteral("new_bytes_per_backup"), g.newBytesPerBackup},
                   {QStringLiteral("backups_per_day"), g.backupsPerDay},
                   {QStringLiteral("wal_stored_bytes_per_day"), g.walStoredBytesPerDay},
                   {QStringLiteral("daily_growth_bytes"), g.dailyGrowth()},
                   {QStringLiteral("window_days"), std::isinf(window) ? QJsonValue() : QJsonValue(window)},
                   {QStringLiteral("price_per_gib_month"), price},
                   {QStringLiteral("points"), arr}});
        return ExitOk;
    }
    out() << "Now " << mib(g.currentBytes) << "; growing " << mib(qint64(g.dailyGrowth())) << " a day ("
          << QString::number(g.backupsPerDay, 'f', 2) << " backups a day of " << mib(qint64(g.newBytesPerBackup)) << " new data, "
          << mib(qint64(g.walStoredBytesPerDay)) << " of archived WAL)\n"
          << (std::isinf(window) ? QStringLiteral("Kept: everything (no retention given)\n")
                                 : QStringLiteral("Kept: %1 days of history\n").arg(window, 0, 'f', 1));
    for (const engine::ForecastPoint &f : points)
        out() << "  in " << f.days << " days: " << mib(f.bytes) << ", " << QString::number(f.monthlyCost, 'f', 2) << " a month\n";
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
