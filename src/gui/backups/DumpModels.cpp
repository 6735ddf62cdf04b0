#include "DumpModels.h"

#include <QLocale>

namespace pga::gui {

namespace {
QString size(qint64 b) { return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }

// What a person calls the object an entry belongs to: a table's definition and data are one "table".
QString kindOf(const QString &desc)
{
    if (desc == QLatin1String("TABLE") || desc == QLatin1String("TABLE DATA"))
        return QStringLiteral("table");
    if (desc.startsWith(QLatin1String("SEQUENCE")))
        return QStringLiteral("sequence");
    if (desc.startsWith(QLatin1String("MATERIALIZED VIEW")))
        return QStringLiteral("materialized view");
    return desc.toLower();
}
} // namespace

void DatabaseListModel::setDatabases(const QList<engine::DatabaseSize> &dbs)
{
    beginResetModel();
    m_rows.clear();
    for (const engine::DatabaseSize &d : dbs)
        m_rows << Row{d, true};
    endResetModel();
    emit selectionChanged();
}

QStringList DatabaseListModel::checkedNames() const
{
    QStringList out;
    for (const Row &r : m_rows)
        if (r.checked)
            out << r.db.name;
    return out;
}

bool DatabaseListModel::allChecked() const
{
    return std::all_of(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.checked; });
}

void DatabaseListModel::setAllChecked(bool on)
{
    for (Row &r : m_rows)
        r.checked = on;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, 0), {Qt::CheckStateRole});
    emit selectionChanged();
}

int DatabaseListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int DatabaseListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DatabaseListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    if (role == Qt::DisplayRole)
        return index.column() == NameColumn ? r.db.name : size(r.db.bytes);
    if (role == Qt::CheckStateRole && index.column() == NameColumn)
        return r.checked ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::TextAlignmentRole && index.column() == SizeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole && index.column() == SizeColumn)
        return r.db.bytes;
    return {};
}

bool DatabaseListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || role != Qt::CheckStateRole
        || index.column() != NameColumn)
        return false;
    m_rows[index.row()].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit selectionChanged();
    return true;
}

Qt::ItemFlags DatabaseListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | (index.column() == NameColumn ? Qt::ItemIsUserCheckable : Qt::NoItemFlags);
}

QVariant DatabaseListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Database") : tr("Size");
}

// --- TocTreeModel: internalId 0 is a schema row, n + 1 the objects of schema n.

void TocTreeModel::setEntries(const QList<TocEntry> &entries, const QHash<QString, qint64> &sizes)
{
    beginResetModel();
    m_entries = entries;
    m_groups.clear();
    QHash<QString, int> groupOf;
    QHash<QString, int> objectOf;
    for (const TocEntry &e : entries) {
        const QString schema = e.schema;
        int g = groupOf.value(schema, -1);
        if (g < 0) {
            g = int(m_groups.size());
            groupOf.insert(schema, g);
            m_groups << Group{schema, {}};
        }
        const QString kind = kindOf(e.desc);
        const QString key = schema + QLatin1Char('\x1f') + kind + QLatin1Char('\x1f') + e.name;
        int o = objectOf.value(key, -1);
        if (o < 0) {
            o = int(m_groups[g].objects.size());
            objectOf.insert(key, o);
            Object obj{e.name, kind, {}, -1, true};
            if (kind == QLatin1String("table"))
                obj.bytes = sizes.value(schema + QLatin1Char('.') + e.name, -1);
            m_groups[g].objects << obj;
        }
        m_groups[g].objects[o].ids << e.dumpId;
    }
    endResetModel();
    emit selectionChanged();
}

QSet<int> TocTreeModel::checkedIds() const
{
    QSet<int> out;
    for (const Group &g : m_groups)
        for (const Object &o : g.objects)
            if (o.checked)
                for (int id : o.ids)
                    out << id;
    return out;
}

bool TocTreeModel::allChecked() const
{
    for (const Group &g : m_groups)
        for (const Object &o : g.objects)
            if (!o.checked)
                return false;
    return true;
}

void TocTreeModel::setAllChecked(bool on)
{
    beginResetModel();
    for (Group &g : m_groups)
        for (Object &o : g.objects)
            o.checked = on;
    endResetModel();
    emit selectionChanged();
}

void TocTreeModel::checkOnly(const QStringList &qualifiedNames)
{
    beginResetModel();
    for (Group &g : m_groups)
        for (Object &o : g.objects)
            o.checked = qualifiedNames.contains(g.schema + QLatin1Char('.') + o.name);
    endResetModel();
    emit selectionChanged();
}

Qt::CheckState TocTreeModel::groupState(const Group &g) const
{
    int on = 0;
    for (const Object &o : g.objects)
        on += o.checked;
    return on == 0 ? Qt::Unchecked : on == g.objects.size() ? Qt::Checked : Qt::PartiallyChecked;
}

QModelIndex TocTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_groups.size())
        return {};
    return row < m_groups[parent.row()].objects.size() ? createIndex(row, column, quintptr(parent.row() + 1)) : QModelIndex();
}

QModelIndex TocTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int TocTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == 0 && parent.column() == 0)
        return int(m_groups[parent.row()].objects.size());
    return 0;
}

int TocTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant TocTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0) {
        const Group &g = m_groups[index.row()];
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return g.schema.isEmpty() ? tr("(outside any schema)") : g.schema;
        if (role == Qt::DisplayRole && index.column() == KindColumn)
            return tr("%n object(s)", nullptr, int(g.objects.size()));
        if (role == Qt::CheckStateRole && index.column() == NameColumn)
            return groupState(g);
        return {};
    }
    const Object &o = m_groups[int(index.internalId() - 1)].objects[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return o.name;
        if (index.column() == KindColumn)
            return o.kind;
        return o.bytes >= 0 ? size(o.bytes) : QString();
    case Qt::CheckStateRole:
        return index.column() == NameColumn ? QVariant(o.checked ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case DumpIdsRole: {
        QVariantList ids;
        for (int id : o.ids)
            ids << id;
        return ids;
    }
    default:
        return {};
    }
}

bool TocTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::CheckStateRole || index.column() != NameColumn)
        return false;
    const bool on = value.toInt() != Qt::Unchecked;
    if (index.internalId() == 0) {
        Group &g = m_groups[index.row()];
        for (Object &o : g.objects)
            o.checked = on;
        emit dataChanged(index, index, {Qt::CheckStateRole});
        if (!g.objects.isEmpty())
            emit dataChanged(this->index(0, 0, index), this->index(int(g.objects.size()) - 1, 0, index), {Qt::CheckStateRole});
    } else {
        m_groups[int(index.internalId() - 1)].objects[index.row()].checked = on;
        emit dataChanged(index, index, {Qt::CheckStateRole});
        const QModelIndex p = parent(index);
        emit dataChanged(p, p, {Qt::CheckStateRole});
    }
    emit selectionChanged();
    return true;
}

Qt::ItemFlags TocTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant TocTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Object");
    case KindColumn: return tr("Kind");
    case SizeColumn: return tr("Size");
    }
    return {};
}

} // namespace pga::gui
