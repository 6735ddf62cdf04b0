#include "Retention.h"

namespace pga::engine {

QSet<QString> keptBackups(const QList<BackupAge> &oldestFirst, const RetentionPolicy &p, const QDateTime &nowUtc)
{
    QSet<QString> keep;
    const int n = int(oldestFirst.size());
    if (!p.isSet()) {
        for (const BackupAge &b : oldestFirst)
            keep << b.id;
        return keep;
    }
    if (p.retainFull >= 1)
        for (int i = std::max(0, n - p.retainFull); i < n; ++i)
            keep << oldestFirst[i].id;
    if (p.retainDays >= 0) {
        const QDateTime horizon = nowUtc.addDays(-p.retainDays);
        // Everything that ended inside the horizon, and the newest one before it (recovery to the horizon starts there).
        for (int i = n - 1; i >= 0; --i) {
            keep << oldestFirst[i].id;
            if (oldestFirst[i].stopTimeUtc <= horizon)
                break;
        }
    }
    return keep;
}

} // namespace pga::engine
