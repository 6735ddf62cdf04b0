#include "WalHistory.h"

#include "repo/WalArchive.h"

#include <QTimeZone>

#include <algorithm>
#include <map>

namespace pga::engine {

WalHistory walHistoryOf(QList<WalSegmentArrival> segments)
{
    WalHistory out;
    std::map<qint64, WalHour> hours;  // by hour start, seconds since the epoch
    for (const WalSegmentArrival &a : std::as_const(segments)) {
        if (!a.arrivedUtc.isValid())
            continue;
        const qint64 hour = a.arrivedUtc.toSecsSinceEpoch() / 3600 * 3600;
        WalHour &h = hours[hour];
        h.hourUtc = QDateTime::fromSecsSinceEpoch(hour, QTimeZone::utc());
        h.walBytes += a.walBytes;
        h.storedBytes += a.storedBytes;
        ++h.files;
    }
    for (const auto &[_, h] : hours)
        out.hours << h;
    std::sort(segments.begin(), segments.end(), [](const WalSegmentArrival &x, const WalSegmentArrival &y) {
        return x.timeline != y.timeline ? x.timeline < y.timeline : x.segNo < y.segNo;
    });
    for (qsizetype i = 1; i < segments.size(); ++i)
        if (segments[i].timeline == segments[i - 1].timeline && segments[i].segNo > segments[i - 1].segNo + 1 && segments[i].arrivedUtc.isValid())
            out.gapTimes << segments[i].arrivedUtc;
    std::sort(out.gapTimes.begin(), out.gapTimes.end());
    return out;
}

Result<WalHistory> readWalHistory(const repo::WalArchive &archive, const CancelToken &cancel)
{
    QList<WalSegmentArrival> segments;
    Status s = archive.forEachMeta([&](const repo::WalFileMeta &m) -> Status {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        if (m.kind != QLatin1String("segment") && m.kind != QLatin1String("partial"))
            return {};
        WalSegmentArrival a;
        a.timeline = m.timeline;
        a.segNo = m.segmentSize > 0 && m.startLsn.isValid() ? m.startLsn.value() / m.segmentSize : 0;
        a.arrivedUtc = m.arrivedUtc;
        const bool ranged = m.startLsn.isValid() && m.endLsn.isValid() && m.endLsn.value() > m.startLsn.value();
        a.walBytes = ranged ? qint64(m.endLsn.value() - m.startLsn.value()) : m.size;  // a switched segment holds less
        a.storedBytes = m.storedSize;
        segments << a;
        return {};
    });
    if (!s)
        return s.error();
    return walHistoryOf(std::move(segments));
}

} // namespace pga::engine
