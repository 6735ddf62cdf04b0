#pragma once

#include "core/BlunderFinder.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace pga::engine {

struct BlunderScanOptions {
    QString repoDir;
    QString server;
    BlunderFilter filter;
};

struct BlunderScan {
    QList<BlunderEvent> events;     // newest first
    int segments = 0;               // archived segments (and partials) read
    int fromCache = 0;              // of which from the WAL scan cache
    qint64 walBytes = 0;            // WAL bytes decoded now (not from the cache)
    int snapshots = 0;              // catalog snapshots the names came from
    QDateTime newestSnapshotUtc;
    QStringList warnings;           // damaged files skipped, databases never snapshotted
};

// Every archived segment of the server, in WAL order, through the WAL scan cache, and the catalog snapshots:
// the blunders committed in the filter's window (docs/blunders.md). Memory holds one segment's activity at a time.
Result<BlunderScan> scanBlunders(const BlunderScanOptions &o, ProgressSink &progress, const CancelToken &cancel);

// `blunders --json` entries (docs/cli.md): kind, xid, commit_lsn, commit_time, database, objects, rows, timeline,
// and the transaction's other changes.
QJsonObject blunderJson(const BlunderEvent &e);
// "DROP TABLE public.orders (12000 rows)" for lists and logs.
QString blunderSummary(const BlunderEvent &e);
QString blunderObjectText(const BlunderObject &o);

} // namespace pga::engine
