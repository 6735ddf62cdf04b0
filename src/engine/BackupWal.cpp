#include "BackupWal.h"
#include <QThread>
#include <QElapsedTimer>

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

// Waits until every segment from the backup's start to its stop position is in the archive.
Status waitForWal(const repo::WalArchive &archive, quint32 tli, Lsn start, Lsn stop, quint64 segSize, int timeoutSec,
                  ProgressSink &progress, const CancelToken &cancel)
{
    const quint64 first = start.value() / segSize;
    const quint64 last = (stop.value() - 1) / segSize;
    QElapsedTimer t;
    t.start();
    quint64 next = first;
    bool told = false;
    for (;;) {
        while (next <= last) {
            const QString name = WalName::segmentName(tli, next, segSize);
            auto m = archive.meta(*WalName::parse(name));
            if (!m)
                break;
            ++next;
        }
        if (next > last)
            return {};
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled while waiting for WAL."));
        const QString missing = WalName::segmentName(tli, next, segSize);
        if (t.elapsed() > qint64(timeoutSec) * 1000)
            return Error(Error::Code::Timeout,
                         QStringLiteral("The WAL this backup needs to be consistent did not reach the archive within %1 s: %2 is "
                                        "missing (needed: %3 to %4). Check archive_command (it must be 'pgarchivist-cli "
                                        "archive-push --repo %5 --server %6 %p') and pg_stat_archiver on the server; the backup "
                                        "was not published.")
                             .arg(timeoutSec)
                             .arg(missing, WalName::segmentName(tli, first, segSize), WalName::segmentName(tli, last, segSize),
                                  archive.repository().root(), archive.server()));
        if (!told) {
            progress.info(QStringLiteral("Waiting for WAL %1 (needed for consistency)").arg(missing));
            told = true;
        }
        QThread::msleep(200);
    }
}

} // namespace pga::engine
