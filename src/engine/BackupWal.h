#pragma once

#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/WalArchive.h"

#include <QList>
#include <QString>

#include <optional>

namespace pga::engine {

// How far the archived WAL carries a backup: whether everything from its start to its stop position is
// there (consistency), and the end of the unbroken run of segments after it (the recoverable window).
struct WalReach {
    bool consistent = false;
    QString firstMissing;                 // the first segment missing before consistency
    Lsn endLsn;                           // end of the unbroken run
    std::optional<qint64> lastXactTimeUs; // last commit/abort time in the run
    bool laterTimelines = false;          // WAL exists on timelines after the backup's
};
WalReach walReach(const QList<repo::WalFileMeta> &files, quint32 timeline, Lsn start, Lsn stop);

// Waits until every segment from a backup's start to its stop position is in the archive (Timeout naming the missing one).
Status waitForWal(const repo::WalArchive &archive, quint32 tli, Lsn start, Lsn stop, quint64 segSize, int timeoutSec,
                  ProgressSink &progress, const CancelToken &cancel);

} // namespace pga::engine
