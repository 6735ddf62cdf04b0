#include "JobsModel.h"

#include "Icons.h"

namespace pga::gui {

using app::JobInfo;

JobsModel::JobsModel(app::JobRunner *runner, QObject *parent)
    : QAbstractTableModel(parent), m_runner(runner), m_ids(runner->jobIds())
{
    connect(runner, &app::JobRunner::jobAdded, this, [this](int id) {
        beginInsertRows({}, int(m_ids.size()), int(m_ids.size()));
        m_ids.append(id);
        endInsertRows();
    });
    connect(runner, &app::JobRunner::jobChanged, this, [this](int id) {
        const int row = int(m_ids.indexOf(id));
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(runner, &app::JobRunner::jobRemoved, this, [this](int id) {
        const int row = int(m_ids.indexOf(id));
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_ids.removeAt(row);
        endRemoveRows();
    });
}

int JobsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_ids.size()); }
int JobsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

int JobsModel::jobId(const QModelIndex &index) const
{
    return index.isValid() && index.row() < m_ids.size() ? m_ids[index.row()] : 0;
}

QModelIndex JobsModel::indexOfJob(int id, int column) const
{
    const int row = int(m_ids.indexOf(id));
    return row < 0 ? QModelIndex() : index(row, column);
}

QString JobsModel::stateText(JobInfo::State s)
{
    switch (s) {
    case JobInfo::State::Queued: return tr("queued");
    case JobInfo::State::Running: return tr("running");
    case JobInfo::State::Succeeded: return tr("succeeded");
    case JobInfo::State::Failed: return tr("failed");
    case JobInfo::State::Cancelled: return tr("cancelled");
    }
    return {};
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobInfo j = m_runner->job(m_ids[index.row()]);
    const int percent = j.state == JobInfo::State::Succeeded ? 100
        : j.total > 0                                        ? int(j.done * 100 / j.total)
                                                             : -1;
    switch (role) {
    case JobIdRole: return j.id;
    case ProgressRole: return percent;  // -1: unknown
    case FinishedRole: return j.isFinished();
    case Qt::DisplayRole:
        switch (index.column()) {
        case TitleColumn: return j.title;
        case StateColumn: return stateText(j.state);
        case ProgressColumn: return percent < 0 ? QString() : QStringLiteral("%1%").arg(percent);
        case StartedColumn: return j.startedAt.toString(QStringLiteral("HH:mm:ss t"));
        case MessageColumn: return j.error.isError() ? j.error.message : j.currentStep;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != StateColumn)
            return {};
        switch (j.state) {
        case JobInfo::State::Succeeded: return icon(QStringLiteral("status-online"));
        case JobInfo::State::Failed: return icon(QStringLiteral("status-unreachable"));
        case JobInfo::State::Cancelled: return icon(QStringLiteral("cancel"));
        default: return icon(QStringLiteral("status-checking"));
        }
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn && j.error.isError())
            return j.error.toString();
        if (index.column() == StartedColumn)
            return j.startedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"));
        return {};
    default: return {};
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TitleColumn: return tr("Job");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Progress");
    case StartedColumn: return tr("Started");
    case MessageColumn: return tr("Message");
    }
    return {};
}

} // namespace pga::gui
