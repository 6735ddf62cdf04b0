#pragma once

#include "app/ScheduleStore.h"

#include <QAbstractTableModel>
#include <QTimeZone>

namespace pga::app {
class ServerRegistry;
}

namespace pga::gui {

// One server's scheduled tasks: what, when, the next run (in the task's zone and in local time), how the last
// one went, and a check box that switches a task on or off (written to the registry at once).
class ScheduleModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TaskColumn, CalendarColumn, NextColumn, NextLocalColumn, LastColumn, EnabledColumn, ColumnCount };
    enum Role { TaskIdRole = Qt::UserRole + 1, FailedRole };

    ScheduleModel(app::ServerRegistry &registry, qint64 serverId, QObject *parent = nullptr);

    void reload();
    app::ScheduledTask task(int row) const { return m_tasks.value(row); }
    int rowOf(qint64 taskId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString kindText(const QString &kind);
    static QString taskText(const app::ScheduledTask &t);

signals:
    void errorOccurred(const QString &message);

private:
    app::ServerRegistry &m_registry;
    qint64 m_serverId;
    void computeNext(int row);
    QList<app::ScheduledTask> m_tasks;
    // Per row, the next run and the task's zone, worked out on reload: data() runs on every paint.
    QList<QDateTime> m_next;
    QList<QTimeZone> m_zones;
    QHash<qint64, app::JobRecord> m_lastRuns;
};

} // namespace pga::gui
