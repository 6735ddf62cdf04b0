#pragma once

#include "Lsn.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace pga {

// One archived WAL segment as the catalog knows it (pure data; the repository fills it in).
struct ArchivedSegment {
    quint32 timeline = 0;
    quint64 segNo = 0;
    QString name;
    bool partial = false;
    Lsn startLsn;
    Lsn endLsn;
    std::optional<qint64> firstXactTimeUs;   // microseconds since the Unix epoch
    std::optional<qint64> lastXactTimeUs;
    QDateTime arrivedUtc;
    qint64 size = 0;                          // original size
    qint64 storedSize = 0;                    // compressed size in the repository
};

// A base backup as far as the window is concerned: consistent from stopLsn onwards.
struct BackupPoint {
    QString id;
    quint32 timeline = 0;
    Lsn startLsn;
    Lsn stopLsn;
    QDateTime stopTimeUtc;
};

// A run of missing segments [firstSegNo, lastSegNo] on a timeline.
struct SegmentGap {
    quint64 firstSegNo = 0;
    quint64 lastSegNo = 0;
    QString firstName;
    QString lastName;
    quint64 count() const { return lastSegNo - firstSegNo + 1; }
};

// Where recovery can go on one timeline: from the earliest backup's consistency point to the end of
// the unbroken WAL that follows it. Times come from commit timestamps found in the WAL (and the
// backup's stop time), so they are wall-clock moments a DBA can name as a recovery target.
struct RecoverableWindow {
    QString backupId;
    Lsn fromLsn;
    Lsn toLsn;
    QDateTime fromTimeUtc;
    QDateTime toTimeUtc;
    std::optional<qint64> toTimeUs;  // the last commit's time to the µs (toTimeUtc keeps only ms)
};

struct TimelineSummary {
    quint32 timeline = 0;
    quint32 parentTimeline = 0;               // 0 when unknown or timeline 1
    QString firstSegment;
    QString lastSegment;
    quint64 segmentCount = 0;
    qint64 bytes = 0;
    qint64 storedBytes = 0;
    Lsn firstLsn;
    Lsn lastLsn;                              // end of the last archived segment
    QDateTime lastArrivalUtc;                 // newest arrival on this timeline
    QString lastArrivedSegment;
    std::optional<qint64> firstXactTimeUs;
    std::optional<qint64> lastXactTimeUs;
    QList<SegmentGap> gaps;
    std::optional<RecoverableWindow> window;  // empty without a usable base backup
};

// Groups segments by timeline, finds gaps and computes each timeline's recoverable window from the
// given base backups. Segments may come in any order; segmentSize is the cluster's WAL segment size.
QList<TimelineSummary> summarizeArchive(QList<ArchivedSegment> segments, const QList<BackupPoint> &backups,
                                        quint64 segmentSize);

} // namespace pga
