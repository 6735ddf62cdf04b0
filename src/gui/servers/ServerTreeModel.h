#pragma once

#include "app/ServerEntry.h"

#include <QAbstractItemModel>
#include <QHash>

namespace pga::app {
class AuditService;
class Scheduler;
class ServerRegistry;
class ServerStatusService;
}

namespace pga::gui {

// Groups, and the servers in them (servers without a group sit at the top level after the groups).
// Columns: name (with the status badge), status, PostgreSQL version, audit (the latest configuration
// audit's worst severity as a badge; WorstSeverityRole is -1 without an audit or findings).
class ServerTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StatusColumn, VersionColumn, AuditColumn, ColumnCount };
    enum Role { ServerIdRole = Qt::UserRole + 1, IsGroupRole, StatusStateRole, WorstSeverityRole, FailedTaskRole };

    ServerTreeModel(app::ServerRegistry *registry, app::ServerStatusService *status, QObject *parent = nullptr)
        : ServerTreeModel(registry, status, nullptr, parent)
    {
    }
    ServerTreeModel(app::ServerRegistry *registry, app::ServerStatusService *status, app::AuditService *audits,
                    QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    qint64 serverId(const QModelIndex &index) const;
    QModelIndex indexOfServer(qint64 id, int column = NameColumn) const;
    QStringList groups() const;
    // A server whose scheduled task failed gets a red badge and says what failed (FailedTaskRole, tooltip).
    void setScheduler(app::Scheduler *scheduler);

public slots:
    void reload();

private:
    struct Group {
        QString name;
        QList<app::ServerEntry> servers;
    };
    const app::ServerEntry *entryAt(const QModelIndex &index) const;
    QVariant serverData(const app::ServerEntry &e, int column, int role) const;
    QVariant groupData(const Group &g, int column, int role) const;
    void statusChanged(qint64 id);
    void updateFailedTasks();

    app::ServerRegistry *m_registry;
    app::ServerStatusService *m_status;
    app::AuditService *m_audits;
    QList<Group> m_groups;
    QList<app::ServerEntry> m_ungrouped;
    app::Scheduler *m_scheduler = nullptr;
    QHash<qint64, QString> m_failedTasks;
};

} // namespace pga::gui
