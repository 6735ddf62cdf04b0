#include "ArchiveSummary.h"
#include "WalName.h"
#include "WalParser.h"

#include <QMap>

#include <algorithm>

namespace pga {

namespace {

std::optional<RecoverableWindow> windowFor(const QList<ArchivedSegment> &segs, const QList<BackupPoint> &backups,
                                           quint32 timeline, quint64 segmentSize)
{
    // The earliest backup on this timeline whose WAL, from its start to its stop, is all archived; the
    // window then runs to the end of the unbroken run of segments that follows.
    QList<BackupPoint> candidates;
    for (const BackupPoint &b : backups)
        if (b.timeline == timeline && b.stopLsn.isValid())
            candidates << b;
    std::sort(candidates.begin(), candidates.end(),
              [](const BackupPoint &a, const BackupPoint &b) { return a.stopLsn < b.stopLsn; });
    for (const BackupPoint &b : candidates) {
        const quint64 startSeg = b.startLsn.value() / segmentSize;
        const quint64 stopSeg = (b.stopLsn.value() - 1) / segmentSize;  // stop LSN may sit at a boundary
        auto it = std::find_if(segs.begin(), segs.end(), [&](const ArchivedSegment &s) { return s.segNo == startSeg; });
        if (it == segs.end())
            continue;
        quint64 expect = startSeg;
        Lsn toLsn;
        std::optional<qint64> toUs;
        bool reachedStop = false;
        for (; it != segs.end() && it->segNo == expect; ++it, ++expect) {
            if (it->segNo >= stopSeg)
                reachedStop = true;
            toLsn = it->endLsn.isValid() ? it->endLsn : Lsn((it->segNo + 1) * segmentSize);
            if (it->lastXactTimeUs && (!toUs || *it->lastXactTimeUs > *toUs))
                toUs = it->lastXactTimeUs;
        }
        if (!reachedStop || toLsn < b.stopLsn)
            continue;
        RecoverableWindow w;
        w.backupId = b.id;
        w.fromLsn = b.stopLsn;
        w.toLsn = toLsn;
        w.fromTimeUtc = b.stopTimeUtc;
        w.toTimeUtc = toUs ? wal::timeFromUs(*toUs) : b.stopTimeUtc;
        w.toTimeUs = toUs;
        if (w.toTimeUtc < w.fromTimeUtc) {
            w.toTimeUtc = w.fromTimeUtc;
            w.toTimeUs.reset();
        }
        return w;
    }
    return std::nullopt;
}

} // namespace

QList<TimelineSummary> summarizeArchive(QList<ArchivedSegment> segments, const QList<BackupPoint> &backups,
                                        quint64 segmentSize)
{
    if (!WalName::isValidSegmentSize(segmentSize))
        segmentSize = 16u << 20;
    QMap<quint32, QList<ArchivedSegment>> byTimeline;
    for (ArchivedSegment &s : segments)
        byTimeline[s.timeline] << std::move(s);
    QList<TimelineSummary> out;
    for (auto it = byTimeline.begin(); it != byTimeline.end(); ++it) {
        QList<ArchivedSegment> &segs = it.value();
        // Full segments first for a segment number; a .partial of the same number adds nothing.
        std::sort(segs.begin(), segs.end(), [](const ArchivedSegment &a, const ArchivedSegment &b) {
            return a.segNo != b.segNo ? a.segNo < b.segNo : (!a.partial && b.partial);
        });
        segs.erase(std::unique(segs.begin(), segs.end(),
                               [](const ArchivedSegment &a, const ArchivedSegment &b) { return a.segNo == b.segNo; }),
                   segs.end());
        TimelineSummary t;
        t.timeline = it.key();
        if (segs.isEmpty()) {
            out << t;
            continue;
        }
        t.firstSegment = segs.first().name;
        t.lastSegment = segs.last().name;
        t.segmentCount = quint64(segs.size());
        t.firstLsn = segs.first().startLsn.isValid() ? segs.first().startLsn : Lsn(segs.first().segNo * segmentSize);
        t.lastLsn = segs.last().endLsn.isValid() ? segs.last().endLsn : Lsn((segs.last().segNo + 1) * segmentSize);
        for (qsizetype i = 0; i < segs.size(); ++i) {
            const ArchivedSegment &s = segs[i];
            t.bytes += s.size;
            t.storedBytes += s.storedSize;
            if (s.arrivedUtc.isValid() && (!t.lastArrivalUtc.isValid() || s.arrivedUtc >= t.lastArrivalUtc)) {
                t.lastArrivalUtc = s.arrivedUtc;
                t.lastArrivedSegment = s.name;
            }
            if (s.firstXactTimeUs && (!t.firstXactTimeUs || *s.firstXactTimeUs < *t.firstXactTimeUs))
                t.firstXactTimeUs = s.firstXactTimeUs;
            if (s.lastXactTimeUs && (!t.lastXactTimeUs || *s.lastXactTimeUs > *t.lastXactTimeUs))
                t.lastXactTimeUs = s.lastXactTimeUs;
            if (i > 0 && s.segNo > segs[i - 1].segNo + 1) {
                SegmentGap g;
                g.firstSegNo = segs[i - 1].segNo + 1;
                g.lastSegNo = s.segNo - 1;
                g.firstName = WalName::segmentName(t.timeline, g.firstSegNo, segmentSize);
                g.lastName = WalName::segmentName(t.timeline, g.lastSegNo, segmentSize);
                t.gaps << g;
            }
        }
        t.window = windowFor(segs, backups, t.timeline, segmentSize);
        out << t;
    }
    return out;
}

} // namespace pga
