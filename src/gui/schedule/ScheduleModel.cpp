#include "ScheduleModel.h"

#include "Icons.h"
#include "app/ServerRegistry.h"
#include "core/CalendarSpec.h"
#include "core/TimeText.h"

namespace pga::gui {

ScheduleModel::ScheduleModel(app::ServerRegistry &registry, qint64 serverId, QObject *parent)
    : QAbstractTableModel(parent), m_registry(registry), m_serverId(serverId)
{
    reload();
}

void ScheduleModel::reload()
{
    beginResetModel();
    app::ScheduleStore store(m_registry);
    m_tasks = store.tasks(m_serverId);
    m_lastRuns = store.lastRuns();
    m_next = QList<QDateTime>(m_tasks.size());
    m_zones = QList<QTimeZone>(m_tasks.size());
    for (int i = 0; i < m_tasks.size(); ++i)
        computeNext(i);
    endResetModel();
}

void ScheduleModel::computeNext(int row)
{
    const app::ScheduledTask &t = m_tasks[row];
    const auto spec = CalendarSpec::parse(t.calendar);
    m_zones[row] = spec ? spec->zone() : QTimeZone::systemTimeZone();
    m_next[row] = t.enabled ? t.dueAt() : QDateTime();
}

int ScheduleModel::rowOf(qint64 taskId) const
{
    for (int i = 0; i < m_tasks.size(); ++i)
        if (m_tasks[i].id == taskId)
            return i;
    return -1;
}

int ScheduleModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_tasks.size()); }
int ScheduleModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ScheduleModel::kindText(const QString &kind)
{
    if (kind == QLatin1String("backup")) return tr("Back up");
    if (kind == QLatin1String("verify")) return tr("Verify");
    if (kind == QLatin1String("expire")) return tr("Expire");
    if (kind == QLatin1String("drill")) return tr("Restore drill");
    if (kind == QLatin1String("dump")) return tr("Dump (all databases)");
    return kind;
}

QString ScheduleModel::taskText(const app::ScheduledTask &t)
{
    QString text = kindText(t.kind);
    if (t.kind == QLatin1String("expire")) {
        QStringList keep;
        if (t.retainFull > 0)
            keep << (t.retainFull == 1 ? tr("1 backup") : tr("%1 backups").arg(t.retainFull));
        if (t.retainDays > 0)
            keep << (t.retainDays == 1 ? tr("1 day") : tr("%1 days").arg(t.retainDays));
        text += tr(" (keep %1)").arg(keep.join(tr(", ")));
    } else if (!t.backupId.isEmpty()) {
        text += tr(" of %1").arg(t.backupId);
    }
    return text;
}

QVariant ScheduleModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tasks.size())
        return {};
    const app::ScheduledTask &t = m_tasks[index.row()];
    const auto last = m_lastRuns.constFind(t.id);
    const bool hasLast = last != m_lastRuns.constEnd();
    const bool failed = hasLast && last->state == QLatin1String("failed");
    if (role == TaskIdRole)
        return t.id;
    if (role == FailedRole)
        return failed;
    const QDateTime next = m_next.value(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TaskColumn: return taskText(t);
        case CalendarColumn: return t.calendar;
        case NextColumn:
            return next.isValid() ? QVariant(runTimeText(next, m_zones.value(index.row()))) : (t.enabled ? QVariant() : QVariant(tr("off")));
        case NextLocalColumn:
            return next.isValid() ? QVariant(runTimeText(next, QTimeZone::systemTimeZone())) : QVariant();
        case LastColumn:
            if (!hasLast)
                return tr("never ran");
            if (role == Qt::ToolTipRole && !last->message.isEmpty())
                return last->message;
            return tr("%1, %2").arg(last->state, runTimeText(last->finishedAt, QTimeZone::systemTimeZone()));
        case EnabledColumn:
            return role == Qt::ToolTipRole ? QVariant(tr("Whether this task runs on its schedule")) : QVariant();
        }
        return {};
    case Qt::CheckStateRole:
        return index.column() == EnabledColumn ? QVariant(t.enabled ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::DecorationRole:
        return index.column() == LastColumn && failed ? QVariant(icon(QStringLiteral("severity-critical"))) : QVariant();
    default:
        return {};
    }
}

bool ScheduleModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != EnabledColumn || role != Qt::CheckStateRole)
        return false;
    app::ScheduledTask &t = m_tasks[index.row()];
    const bool on = value.toInt() == Qt::Checked;
    if (Status s = app::ScheduleStore(m_registry).setEnabled(t.id, on); !s) {
        emit errorOccurred(s.error().toString());
        return false;
    }
    t.enabled = on;
    if (on)  // switching on counts from now
        if (auto fresh = app::ScheduleStore(m_registry).task(t.id))
            t = *fresh;
    computeNext(index.row());
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

Qt::ItemFlags ScheduleModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == EnabledColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant ScheduleModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TaskColumn: return tr("Task");
    case CalendarColumn: return tr("When (systemd calendar)");
    case NextColumn: return tr("Next run (task's zone)");
    case NextLocalColumn: return tr("Next run (local)");
    case LastColumn: return tr("Last run");
    case EnabledColumn: return tr("On");
    }
    return {};
}

} // namespace pga::gui
