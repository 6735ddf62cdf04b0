#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pga::engine {

// A restore drill: proof that a backup restores, replays and holds sound data, without touching the source.
struct DrillOptions {
    QString repoDir;
    QString server;
    QString backupId;        // empty: the newest
    QString scratchDir;      // where the copy goes (must not exist); removed afterwards
    QString owner;           // as root: who owns and runs the copy (default postgres)
    QString sourceConninfo;  // where reachable, the largest tables' row counts are compared with the source's
    QString sourcePassword;
    int largestTables = 5;   // per database
    int timeoutSec = 0;      // for replay; 0: none
    QString keptLogDir;      // a failed drill's server log is copied here before the copy is removed
};

struct TableRowCount {
    QString database;
    QString table;                  // schema.name
    qint64 restored = 0;
    std::optional<qint64> source;   // absent when the source could not be asked
};

struct DrillResult {
    QString backup;
    qint64 restoredBytes = 0;
    double restoreSeconds = 0;
    double replaySeconds = 0;
    qint64 replayedWalBytes = 0;
    bool amcheckOk = false;
    QStringList amcheckFailures;    // pg_amcheck's findings, one per line
    QList<TableRowCount> rowCounts;
    QString sourceNote;             // why the source was not compared, when it was not
    QString outcome;                // "passed" | "failed" | "cancelled"
    QString failedStep;             // restore | start | amcheck | row-counts | cleanup (empty when passed)
    QString failure;                // what failed, for a person
    QString keptLog;                // the failed drill's server log, copied out of the removed copy
    bool passed() const { return outcome == QLatin1String("passed"); }
};

// Restores the backup into scratchDir, starts it (private: socket in the data directory, local trust only, no
// archiving), replays to the end of the archived WAL and promotes, runs pg_amcheck --all (heap and btree), counts
// the largest tables' rows (and the source's, where it answers), stops the copy and removes it. Every step's
// failure is a result with outcome "failed" (never an Err), so a scheduled drill records what failed; Err only for
// options that cannot start a drill at all.
Result<DrillResult> runDrill(const DrillOptions &options, ProgressSink &progress, const CancelToken &cancel);

// `drill --json` (docs/cli.md): backup, restore_seconds, replay_seconds, amcheck ("ok" or the failures), row_counts,
// outcome, and more. The job history keeps the same text.
QJsonObject drillJson(const DrillResult &r);
// "Drill passed: backup B restored in 3.1 s, replayed 16.0 MiB in 1.2 s; pg_amcheck: no corruption."
QString drillSummary(const DrillResult &r);

} // namespace pga::engine
