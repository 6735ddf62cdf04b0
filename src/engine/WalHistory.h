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

// One archived segment as the history needs it.
struct WalSegmentArrival {
    quint32 timeline = 0;
    quint64 segNo = 0;
    QDateTime arrivedUtc;
    qint64 walBytes = 0;
    qint64 storedBytes = 0;
};

struct WalHistory {
    QList<WalHour> hours;        // oldest first; hours in which nothing arrived are left out
    QList<QDateTime> gapTimes;   // per missing stretch of a timeline: when the segment after it arrived
};

WalHistory walHistoryOf(QList<WalSegmentArrival> segments);
Result<WalHistory> readWalHistory(const repo::WalArchive &archive, const CancelToken &cancel);
inline Result<QList<WalHour>> walPerHour(const repo::WalArchive &archive, const CancelToken &cancel)
{
    auto h = readWalHistory(archive, cancel);
    if (!h)
        return h.error();
    return h->hours;
}

} // namespace pga::engine
