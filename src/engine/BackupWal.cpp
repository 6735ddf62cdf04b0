#include "BackupWal.h"

#include "core/WalName.h"

#include <QMap>

namespace pga::engine {

WalReach walReach(const QList<repo::WalFileMeta> &files, quint32 timeline, Lsn start, Lsn stop)
{
    WalReach r;
    quint64 segSize = 16u << 20;
    for (const repo::WalFileMeta &m : files)
        if (m.segmentSize) {
            segSize = m.segmentSize;
            break;
        }
    QMap<quint64, const repo::WalFileMeta *> segs;
    for (const repo::WalFileMeta &m : files) {
        if (m.timeline > timeline && m.kind != QLatin1String("history"))
            r.laterTimelines = true;
        if (m.timeline != timeline || m.kind != QLatin1String("segment"))
            continue;
        segs.insert(m.startLsn.value() / segSize, &m);
    }
    const quint64 first = start.value() / segSize;
    const quint64 last = stop.isValid() ? (stop.value() - 1) / segSize : first;
    quint64 n = first;
    for (;; ++n) {
        auto it = segs.constFind(n);
        if (it == segs.constEnd())
            break;
        r.endLsn = (*it)->endLsn.isValid() ? (*it)->endLsn : Lsn((n + 1) * segSize);
        if ((*it)->lastXactTimeUs && (!r.lastXactTimeUs || *(*it)->lastXactTimeUs > *r.lastXactTimeUs))
            r.lastXactTimeUs = (*it)->lastXactTimeUs;
    }
    r.consistent = n > last;
    if (!r.consistent)
        r.firstMissing = WalName::segmentName(timeline, n, segSize);
    return r;
}

} // namespace pga::engine
