#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace pga {

// The name of a file PostgreSQL archives: a WAL segment ("000000010000000A000000FF"), a timeline
// history file ("00000002.history"), a partial segment ("...FF.partial", left by a promotion) or a
// backup history file ("...FF.00000028.backup").
struct WalName {
    enum class Kind { Segment, Partial, History, Backup };

    Kind kind = Kind::Segment;
    quint32 timeline = 0;
    quint32 logId = 0;    // the high 32 bits of the segment's position ("xlogid")
    quint32 segId = 0;    // the segment within logId
    QString name;         // as given

    static std::optional<WalName> parse(const QString &name);

    bool hasSegment() const { return kind != Kind::History; }
    // The segment number, given the cluster's segment size (16 MiB by default).
    quint64 segNo(quint64 segmentSize) const { return quint64(logId) * segmentsPerXLogId(segmentSize) + segId; }
    // The 24-character segment part ("000000010000000A000000FF"); empty for a history file.
    QString segmentPart() const { return hasSegment() ? name.left(24) : QString(); }

    static quint64 segmentsPerXLogId(quint64 segmentSize) { return 0x100000000ull / segmentSize; }
    static QString segmentName(quint32 timeline, quint64 segNo, quint64 segmentSize);
    static QString historyName(quint32 timeline);
    static bool isValidSegmentSize(quint64 size) { return size >= (1u << 20) && size <= (1u << 30) && (size & (size - 1)) == 0; }
};

} // namespace pga
