#include "WalHistory.h"

#include "repo/WalArchive.h"

#include <QTimeZone>

#include <map>

namespace pga::engine {

Result<QList<WalHour>> walPerHour(const repo::WalArchive &archive, const CancelToken &cancel)
{
    std::map<qint64, WalHour> hours;  // by hour start, seconds since the epoch
    Status s = archive.forEachMeta([&](const repo::WalFileMeta &m) -> Status {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        if ((m.kind != QLatin1String("segment") && m.kind != QLatin1String("partial")) || !m.arrivedUtc.isValid())
            return {};
        const qint64 hour = m.arrivedUtc.toSecsSinceEpoch() / 3600 * 3600;
        WalHour &h = hours[hour];
        h.hourUtc = QDateTime::fromSecsSinceEpoch(hour, QTimeZone::utc());
        const bool ranged = m.startLsn.isValid() && m.endLsn.isValid() && m.endLsn.value() > m.startLsn.value();
        h.walBytes += ranged ? qint64(m.endLsn.value() - m.startLsn.value()) : m.size;
        h.storedBytes += m.storedSize;
        ++h.files;
        return {};
    });
    if (!s)
        return s.error();
    QList<WalHour> out;
    for (const auto &[_, h] : hours)
        out << h;
    return out;
}

} // namespace pga::engine
