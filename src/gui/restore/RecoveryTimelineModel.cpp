#include "RecoveryTimelineModel.h"

#include "core/TimeText.h"

#include <algorithm>

namespace pga::gui {

RecoveryTimelineModel::RecoveryTimelineModel(QObject *parent) : QAbstractListModel(parent) {}

void RecoveryTimelineModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
}

void RecoveryTimelineModel::setDelayWindow(quint32 timeline, qint64 fromUs, qint64 toUs, const QString &delay)
{
    clearDelayWindow();
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    m_items << Item{Kind::DelayWindow, timeline, fromUs, std::max(fromUs, toUs), QString(), delay};
    endInsertRows();
}

void RecoveryTimelineModel::clearDelayWindow()
{
    for (int row = int(m_items.size()) - 1; row >= 0; --row)
        if (m_items[row].kind == Kind::DelayWindow) {
            beginRemoveRows({}, row, row);
            m_items.removeAt(row);
            endRemoveRows();
        }
}

void RecoveryTimelineModel::setArchive(const engine::ServerArchiveSummary &s, const QList<engine::ArchivedRestorePoint> &restorePoints)
{
    beginResetModel();
    QList<Item> kept;
    for (const Item &i : std::as_const(m_items))
        if (i.kind == Kind::DelayWindow)
            kept << i;
    m_items = kept;
    for (const TimelineSummary &t : s.timelines) {
        if (t.window) {
            const qint64 from = t.window->fromTimeUtc.toMSecsSinceEpoch() * 1000;
            const qint64 to = t.window->toTimeUs.value_or(t.window->toTimeUtc.toMSecsSinceEpoch() * 1000);
            m_items << Item{Kind::Window, t.timeline, from, std::max(from, to), t.window->toLsn.toString(), t.window->backupId};
            // WAL beyond the window's end (after a gap) that no backup reaches.
            if (t.lastXactTimeUs && *t.lastXactTimeUs > to && !t.gaps.isEmpty())
                m_items << Item{Kind::Unreachable, t.timeline, to, *t.lastXactTimeUs, t.lastLsn.toString(), t.gaps.first().firstName};
        } else if (t.firstXactTimeUs && t.lastXactTimeUs) {
            m_items << Item{Kind::Unreachable, t.timeline, *t.firstXactTimeUs, *t.lastXactTimeUs, t.lastLsn.toString(), QString()};
        }
        if (t.parentTimeline && t.firstXactTimeUs)
            m_items << Item{Kind::TimelineSwitch, t.timeline, *t.firstXactTimeUs, *t.firstXactTimeUs, t.firstLsn.toString(),
                            QString::number(t.parentTimeline)};
    }
    for (const engine::BackupListing &b : s.backupList)
        if (b.status == QLatin1String("ok") && b.kind == QLatin1String("base") && b.stopTimeUtc.isValid())
            m_items << Item{Kind::Backup, b.timeline, b.stopTimeUtc.toMSecsSinceEpoch() * 1000, b.stopTimeUtc.toMSecsSinceEpoch() * 1000,
                            b.stopLsn.toString(), b.id};
    for (const engine::ArchivedRestorePoint &p : restorePoints)
        m_items << Item{Kind::RestorePoint, p.timeline, p.point.timeUs, p.point.timeUs, p.point.lsn.toString(), p.point.name};
    endResetModel();
}

int RecoveryTimelineModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant RecoveryTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const Item &i = m_items[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const QString from = localTimestampText(i.startUs), to = localTimestampText(i.endUs);
        switch (i.kind) {
        case Kind::Window:
            return tr("Timeline %1: recoverable from %2 to %3 (from backup %4, WAL to %5)").arg(i.timeline).arg(from, to, i.name, i.lsn);
        case Kind::DelayWindow:
            return tr("Timeline %1: the delayed replica (delay %2) has received but not applied the commits from %3 to %4: stop before "
                      "a blunder among them with Stop Before…").arg(i.timeline).arg(i.name, from, to);
        case Kind::Unreachable:
            return tr("Timeline %1: WAL from %2 to %3 that no backup reaches (missing segment %4)").arg(i.timeline).arg(from, to, i.name);
        case Kind::Backup:
            return tr("Base backup %1, consistent at %2 (LSN %3)").arg(i.name, from, i.lsn);
        case Kind::RestorePoint:
            return tr("Restore point '%1' at %2 (LSN %3, timeline %4)").arg(i.name, from, i.lsn).arg(i.timeline);
        case Kind::TimelineSwitch:
            return tr("Timeline %1 branches from timeline %2 at %3").arg(i.timeline).arg(i.name, from);
        }
        return {};
    }
    case KindRole:
        return int(i.kind);
    case TimelineRole:
        return i.timeline;
    case StartRole:
        return i.startUs;
    case EndRole:
        return i.endUs;
    case LsnRole:
        return i.lsn;
    case NameRole:
        return i.name;
    default:
        return {};
    }
}

QHash<int, QByteArray> RecoveryTimelineModel::roleNames() const
{
    auto r = QAbstractListModel::roleNames();
    r.insert(KindRole, "kind");
    r.insert(TimelineRole, "timeline");
    r.insert(StartRole, "start");
    r.insert(EndRole, "end");
    r.insert(LsnRole, "lsn");
    r.insert(NameRole, "name");
    return r;
}

QList<quint32> RecoveryTimelineModel::timelines() const
{
    QList<quint32> out;
    for (const Item &i : m_items)
        if (!out.contains(i.timeline))
            out << i.timeline;
    std::sort(out.begin(), out.end());
    return out;
}

qint64 RecoveryTimelineModel::firstUs() const
{
    qint64 v = 0;
    for (const Item &i : m_items)
        v = v == 0 ? i.startUs : std::min(v, i.startUs);
    return v;
}

qint64 RecoveryTimelineModel::lastUs() const
{
    qint64 v = 0;
    for (const Item &i : m_items)
        v = std::max(v, i.endUs);
    return v;
}

bool RecoveryTimelineModel::isRecoverable(qint64 us, quint32 timeline) const
{
    return std::any_of(m_items.begin(), m_items.end(), [&](const Item &i) {
        return i.kind == Kind::Window && (timeline == 0 || i.timeline == timeline) && us >= i.startUs && us <= i.endUs;
    });
}

} // namespace pga::gui
