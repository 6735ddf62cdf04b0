#pragma once

#include "core/CancelToken.h"
#include "core/Result.h"

#include <QDateTime>
#include <QList>

namespace pga::repo {
class WalArchive;
}

namespace pga::engine {

// WAL the server wrote, per hour, for the whole archive: each archived segment's arrival time and LSN range
// (recorded by archive-push), so the history reaches back before the app first sampled the server.
struct WalHour {
    QDateTime hourUtc;       // start of the hour
    qint64 walBytes = 0;     // WAL written (a switched segment counts only what it holds)
    qint64 storedBytes = 0;  // what the archive keeps of it (compressed)
    int files = 0;
};

// Oldest first; hours in which nothing arrived are left out.
Result<QList<WalHour>> walPerHour(const repo::WalArchive &archive, const CancelToken &cancel);

} // namespace pga::engine
