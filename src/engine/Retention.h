#pragma once

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

namespace pga::engine {

// Which backups a retention keeps: expire removes the others, and the calendar and the storage forecast show the
// same answer before anything is applied (a what-if). Backups are given oldest first.
struct RetentionPolicy {
    int retainFull = -1;  // keep the newest N (-1: no count rule)
    int retainDays = -1;  // keep what recovery to any moment of the last D days needs (-1: no age rule)
    bool isSet() const { return retainFull >= 1 || retainDays >= 0; }
};

struct BackupAge {
    QString id;
    QDateTime stopTimeUtc;
};

// Everything when the policy keeps all (neither rule set).
QSet<QString> keptBackups(const QList<BackupAge> &oldestFirst, const RetentionPolicy &policy, const QDateTime &nowUtc);

} // namespace pga::engine
