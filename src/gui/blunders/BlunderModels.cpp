#include "BlunderModels.h"

#include "core/TimeText.h"
#include "engine/Undo.h"

namespace pga::gui {

namespace {

QString objectsText(const BlunderEvent &e)
{
    if (e.kind == QLatin1String("drop_database"))
        return e.database;
    QStringList names;
    for (const BlunderObject &o : e.objects)
        names << (o.named ? o.schema + QLatin1Char('.') + o.name : o.name);
    return names.join(QStringLiteral(", "));
}

QString kindLabel(const QString &kind)
{
    if (kind == QLatin1String("drop_table"))
        return BlundersModel::tr("DROP TABLE");
    if (kind == QLatin1String("truncate"))
        return BlundersModel::tr("TRUNCATE");
    if (kind == QLatin1String("drop_database"))
        return BlundersModel::tr("DROP DATABASE");
    if (kind == QLatin1String("delete"))
        return BlundersModel::tr("DELETE");
    if (kind == QLatin1String("update"))
        return BlundersModel::tr("UPDATE");
    return kind;
}

} // namespace

BlundersModel::BlundersModel(QObject *parent) : QAbstractTableModel(parent) {}

void BlundersModel::setEvents(const QList<BlunderEvent> &events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

void BlundersModel::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
    if (!m_events.isEmpty())
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn));
}

const BlunderEvent *BlundersModel::event(int row) const { return row >= 0 && row < m_events.size() ? &m_events[row] : nullptr; }

int BlundersModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_events.size()); }
int BlundersModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BlundersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const BlunderEvent &e = m_events[index.row()];
    switch (role) {
    case KindRole: return e.kind;
    case TimeUsRole: return e.commitTimeUs;
    case RowsRole: return e.rows ? QVariant(*e.rows) : QVariant();
    case XidRole: return qint64(e.xid);
    case Qt::TextAlignmentRole:
        return index.column() == RowsColumn || index.column() == XidColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == RowsColumn && std::any_of(e.objects.begin(), e.objects.end(), [](const BlunderObject &o) { return o.rowsEstimated; }))
            return tr("Estimated from the planner's statistics in the last catalog snapshot and the WAL since");
        if (index.column() == TimeColumn)
            return tr("Committed at LSN %1 on timeline %2").arg(e.commitLsn.toString()).arg(e.timeline);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return timestampText(e.commitTimeUs, m_zone);
        case KindColumn: return kindLabel(e.kind);
        case DatabaseColumn: return e.database;
        case ObjectsColumn: return objectsText(e);
        case RowsColumn: return e.rows ? QLocale().toString(*e.rows) : QStringLiteral("?");
        case XidColumn: return QString::number(e.xid);
        }
        return {};
    }
    return {};
}

QVariant BlundersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Committed");
    case KindColumn: return tr("Kind");
    case DatabaseColumn: return tr("Database");
    case ObjectsColumn: return tr("Objects");
    case RowsColumn: return tr("Rows");
    case XidColumn: return tr("Transaction");
    }
    return {};
}

void BlunderFilterProxy::setKind(const QString &kind)
{
    m_kind = kind;
    invalidateFilter();
}

void BlunderFilterProxy::setRange(std::optional<qint64> sinceUs, std::optional<qint64> untilUs)
{
    m_since = sinceUs;
    m_until = untilUs;
    invalidateFilter();
}

void BlunderFilterProxy::setMinRows(qint64 rows)
{
    m_minRows = rows;
    invalidateFilter();
}

bool BlunderFilterProxy::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    const QString kind = i.data(BlundersModel::KindRole).toString();
    const qint64 us = i.data(BlundersModel::TimeUsRole).toLongLong();
    if (!m_kind.isEmpty() && kind != m_kind)
        return false;
    if ((m_since && us < *m_since) || (m_until && us > *m_until))
        return false;
    if (kind == QLatin1String("delete") || kind == QLatin1String("update")) {
        const QVariant rows = i.data(BlundersModel::RowsRole);
        if (rows.isValid() && rows.toLongLong() < m_minRows)
            return false;
    }
    return true;
}

UndoPlanModel::UndoPlanModel(QObject *parent) : QAbstractTableModel(parent) {}

void UndoPlanModel::setItems(const QList<engine::UndoItem> &items, bool done)
{
    beginResetModel();
    m_items = items;
    m_done = done;
    endResetModel();
}

int UndoPlanModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }
int UndoPlanModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant UndoPlanModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const engine::UndoItem &it = m_items[index.row()];
    auto rows = [](const std::optional<qint64> &v) -> QVariant { return v ? QVariant(QLocale().toString(*v)) : QVariant(QStringLiteral("–")); };
    if (role == Qt::ToolTipRole && index.column() == MatchColumn && m_done)
        return tr("Row count and md5 of every row, in the scratch copy and in the live server");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case WhatColumn:
        if (it.kind == QLatin1String("database"))
            return tr("New database (the dropped one as it was)");
        if (it.kind == QLatin1String("table"))
            return tr("Dropped table, recreated with its indexes");
        return tr("New table with the rows before the %1").arg(blunderKindText(it.event));
    case TargetColumn:
        return it.targetName.isEmpty() ? tr("(named in the scratch copy)")
                                       : it.targetText() + (it.createSchema ? tr(" (new schema)") : QString());
    case DatabaseColumn: return it.kind == QLatin1String("database") ? QString() : it.database;
    case ExpectedColumn: return rows(it.expectedRows);
    case ScratchColumn: return m_done ? rows(it.scratchRows) : QVariant();
    case LiveColumn: return m_done ? rows(it.liveRows) : QVariant();
    case MatchColumn: return m_done ? (it.matches() ? tr("identical") : tr("DIFFERENT")) : QVariant();
    }
    return {};
}

QVariant UndoPlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case WhatColumn: return tr("What");
    case TargetColumn: return tr("Created as");
    case DatabaseColumn: return tr("Database");
    case ExpectedColumn: return tr("Rows then");
    case ScratchColumn: return tr("Rows in the copy");
    case LiveColumn: return tr("Rows copied");
    case MatchColumn: return tr("Check");
    }
    return {};
}

} // namespace pga::gui
