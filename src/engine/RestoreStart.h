#pragma once

#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>

#include <optional>

namespace pga::engine {

// Starting a restored data directory and following its replay to the recovery target: `restore --start`, the
// restore wizard's last step and drills.
struct StartOptions {
    QString dataDir;
    int port = 0;           // 0: a free loopback port
    QString osUser;         // as root: the user the server runs as (the restore's owner; default postgres)
    QString action;         // the recovery_target_action written: pause (also when empty), promote or shutdown
    pga::Lsn replayFrom;    // for the percentage: where replay starts ...
    pga::Lsn replayTo;      // ... and where it is expected to end
    int timeoutSec = 0;     // 0: no limit
};

struct StartResult {
    QString conninfo;       // how to reach the running server (empty after shutdown)
    QString state;          // promoted | paused | shut down
    pga::Lsn reachedLsn;    // the last WAL record replayed
    std::optional<qint64> reachedTimeUs;  // the last replayed transaction's commit time
    double replaySeconds = 0;
    qint64 replayedWalBytes = 0;
    QString logFile;
};

// Writes port, listen_addresses = 127.0.0.1, the data directory as its socket directory and archive_mode = off
// (a restored copy must not archive into the source's repository), starts it as osUser, and reports replay
// (LSN, percent, rate) until the target is reached: paused, promoted, or shut down. The server keeps running
// unless it shut down. On a failed start or recovery: the log's last lines, and the server is stopped.
Result<StartResult> startRestored(const StartOptions &options, ProgressSink &progress, const CancelToken &cancel);

// A scratch copy (drill, undo) answers only on its own socket (in its data directory, 0700), and there to anyone who
// can reach that: the source's pg_hba.conf may want passwords or peer users we do not have. Also covers Debian
// clusters whose configuration lives outside the data directory.
Status openLocalTrust(const QString &dataDir, const QString &owner);
// Stops a scratch copy (immediate) and removes its directory; leaves it in place, saying so, if it will not stop.
Status removeScratchCopy(const QString &dataDir, const QString &owner, ProgressSink &progress);

// Where scratch copies (the wizard's default, drills) go: /var/lib/pgarchivist/scratch as root, since the server's
// user must traverse every parent, else $XDG_DATA_HOME/pgarchivist/scratch.
QString scratchRoot();
// Creates targetDir's parent; as root, opens the /var/lib/pgarchivist chain to the server's user.
Status prepareTargetParent(const QString &targetDir);

} // namespace pga::engine
