#include "ServerTreeModel.h"

#include "Icons.h"
#include "app/AuditService.h"
#include "app/Scheduler.h"
#include "app/ServerRegistry.h"
#include "config/AuditModels.h"
#include "app/ServerStatusService.h"

namespace pga::gui {

using app::ServerEntry;
using app::ServerStatus;

// internalId: 0 for top-level rows (groups, then ungrouped servers); g + 1 for servers in group g.

ServerTreeModel::ServerTreeModel(app::ServerRegistry *registry, app::ServerStatusService *status,
                                 app::AuditService *audits, QObject *parent)
    : QAbstractItemModel(parent), m_registry(registry), m_status(status), m_audits(audits)
{
    if (audits)
        connect(audits, &app::AuditService::auditFinished, this, &ServerTreeModel::statusChanged);
    connect(registry, &app::ServerRegistry::serverAdded, this, &ServerTreeModel::reload);
    connect(registry, &app::ServerRegistry::serverChanged, this, &ServerTreeModel::reload);
    connect(registry, &app::ServerRegistry::serverRemoved, this, &ServerTreeModel::reload);
    connect(status, &app::ServerStatusService::statusChanged, this, &ServerTreeModel::statusChanged);
    reload();
}

void ServerTreeModel::reload()
{
    beginResetModel();
    m_groups.clear();
    m_ungrouped.clear();
    const auto servers = m_registry->servers();
    for (const ServerEntry &e : servers) {
        if (e.group.isEmpty()) {
            m_ungrouped.append(e);
            continue;
        }
        auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group &g) { return g.name == e.group; });
        if (it == m_groups.end())
            m_groups.append({e.group, {e}});
        else
            it->servers.append(e);
    }
    endResetModel();
}

QModelIndex ServerTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ServerTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ServerTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size() + m_ungrouped.size());
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() >= m_groups.size())
        return 0;
    return int(m_groups[parent.row()].servers.size());
}

int ServerTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

const ServerEntry *ServerTreeModel::entryAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (index.internalId() == 0) {
        const int r = index.row() - int(m_groups.size());
        return r >= 0 && r < m_ungrouped.size() ? &m_ungrouped[r] : nullptr;
    }
    const auto &g = m_groups[int(index.internalId() - 1)];
    return index.row() < g.servers.size() ? &g.servers[index.row()] : nullptr;
}

qint64 ServerTreeModel::serverId(const QModelIndex &index) const
{
    const ServerEntry *e = entryAt(index);
    return e ? e->id : 0;
}

QModelIndex ServerTreeModel::indexOfServer(qint64 id, int column) const
{
    for (int g = 0; g < m_groups.size(); ++g)
        for (int r = 0; r < m_groups[g].servers.size(); ++r)
            if (m_groups[g].servers[r].id == id)
                return createIndex(r, column, quintptr(g + 1));
    for (int r = 0; r < m_ungrouped.size(); ++r)
        if (m_ungrouped[r].id == id)
            return createIndex(int(m_groups.size()) + r, column, quintptr(0));
    return {};
}

QStringList ServerTreeModel::groups() const
{
    QStringList out;
    for (const Group &g : m_groups)
        out << g.name;
    return out;
}

QVariant ServerTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (const ServerEntry *e = entryAt(index))
        return serverData(*e, index.column(), role);
    if (index.internalId() == 0 && index.row() < m_groups.size())
        return groupData(m_groups[index.row()], index.column(), role);
    return {};
}

static QString stateText(ServerStatus::State s)
{
    switch (s) {
    case ServerStatus::State::Online: return ServerTreeModel::tr("online");
    case ServerStatus::State::Unreachable: return ServerTreeModel::tr("unreachable");
    case ServerStatus::State::Checking: return ServerTreeModel::tr("checking…");
    case ServerStatus::State::Unknown: break;
    }
    return ServerTreeModel::tr("not checked");
}

QVariant ServerTreeModel::serverData(const ServerEntry &e, int column, int role) const
{
    const ServerStatus st = m_status->status(e.id);
    // The audit badge only where it shows: data() runs for every role of every cell on each paint.
    const bool wantsAudit = role == WorstSeverityRole || role == Qt::ToolTipRole
        || (column == AuditColumn && (role == Qt::DisplayRole || role == Qt::DecorationRole));
    audit::Severity worst = audit::Severity::Info;
    const bool hasWorst = wantsAudit && m_audits && m_audits->worstSeverity(e.id, &worst);
    switch (role) {
    case ServerIdRole: return e.id;
    case IsGroupRole: return false;
    case StatusStateRole: return int(st.state);
    case WorstSeverityRole: return hasWorst ? int(worst) : -1;
    case FailedTaskRole: return m_failedTasks.value(e.id);
    case Qt::DisplayRole:
        if (column == NameColumn)
            return e.name;
        if (column == StatusColumn)
            return st.state == ServerStatus::State::Unreachable && !st.reason.isEmpty()
                ? tr("unreachable: %1").arg(st.reason.section(QLatin1Char('\n'), 0, 0))
                : stateText(st.state);
        if (column == VersionColumn && st.state == ServerStatus::State::Online)
            return QStringLiteral("%1.%2").arg(st.facts.versionNum / 10000).arg(st.facts.versionNum % 100);
        if (column == AuditColumn && hasWorst)
            return severityText(worst);
        return {};
    case Qt::DecorationRole:
        if (column == NameColumn)
            return m_failedTasks.contains(e.id) ? icon(QStringLiteral("severity-critical")) : statusIcon(st.state);
        if (column == AuditColumn && hasWorst)
            return severityIcon(worst);
        return {};
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(e.name.toHtmlEscaped(), e.conninfo.toHtmlEscaped());
        if (st.state == ServerStatus::State::Online)
            tip += QStringLiteral("<br>") + tr("Online: %1").arg(st.facts.versionString.toHtmlEscaped());
        else if (st.state == ServerStatus::State::Unreachable)
            tip += QStringLiteral("<br>") + tr("Unreachable: %1").arg(st.reason.toHtmlEscaped());
        if (st.checkedAt.isValid())
            tip += QStringLiteral("<br>") + tr("Checked %1").arg(st.checkedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")));
        if (hasWorst)
            tip += QStringLiteral("<br>") + tr("Configuration audit: worst finding is %1").arg(severityText(worst));
        if (m_failedTasks.contains(e.id))
            tip += QStringLiteral("<br><b>") + tr("A scheduled task failed:") + QStringLiteral("</b> ") + m_failedTasks.value(e.id).toHtmlEscaped();
        return tip;
    }
    case Qt::AccessibleTextRole:
        return column == NameColumn ? tr("%1, %2").arg(e.name, stateText(st.state)) : QVariant();
    default: return {};
    }
}

QVariant ServerTreeModel::groupData(const Group &g, int column, int role) const
{
    switch (role) {
    case IsGroupRole: return true;
    case ServerIdRole: return qint64(0);
    case Qt::DisplayRole:
        if (column == NameColumn)
            return g.name;
        if (column == StatusColumn) {
            int down = 0;
            for (const ServerEntry &e : g.servers)
                down += m_status->status(e.id).state == ServerStatus::State::Unreachable;
            return down ? tr("%n server(s), %1 unreachable", nullptr, int(g.servers.size())).arg(down)
                        : tr("%n server(s)", nullptr, int(g.servers.size()));
        }
        return {};
    case Qt::DecorationRole: return column == NameColumn ? icon(QStringLiteral("group")) : QVariant();
    default: return {};
    }
}

QVariant ServerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Server");
    case StatusColumn: return tr("Status");
    case VersionColumn: return tr("Version");
    case AuditColumn: return tr("Audit");
    default: return {};
    }
}

void ServerTreeModel::setScheduler(app::Scheduler *scheduler)
{
    m_scheduler = scheduler;
    connect(scheduler, &app::Scheduler::taskFinished, this, &ServerTreeModel::updateFailedTasks);
    connect(scheduler, &app::Scheduler::checked, this, &ServerTreeModel::updateFailedTasks);
    updateFailedTasks();
}

void ServerTreeModel::updateFailedTasks()
{
    const QHash<qint64, QString> before = m_failedTasks;
    m_failedTasks = m_scheduler ? m_scheduler->failedByServer() : QHash<qint64, QString>();
    QSet<qint64> changed;
    for (auto it = before.begin(); it != before.end(); ++it)
        if (m_failedTasks.value(it.key()) != it.value())
            changed.insert(it.key());
    for (auto it = m_failedTasks.begin(); it != m_failedTasks.end(); ++it)
        if (before.value(it.key()) != it.value())
            changed.insert(it.key());
    for (qint64 id : std::as_const(changed))
        statusChanged(id);
}

void ServerTreeModel::statusChanged(qint64 id)
{
    const QModelIndex first = indexOfServer(id, NameColumn);
    if (!first.isValid())
        return;
    emit dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
    if (first.parent().isValid()) {
        const QModelIndex group = first.parent();
        emit dataChanged(group, group.siblingAtColumn(ColumnCount - 1));
    }
}

} // namespace pga::gui
