#pragma once

#include "core/RestoreToc.h"
#include "engine/Dump.h"

#include <QAbstractItemModel>
#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

namespace pga::gui {

// The server's databases as the Dump dialog's checklist: name and size, checked = dumped.
class DatabaseListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setDatabases(const QList<engine::DatabaseSize> &dbs);
    QStringList checkedNames() const;
    bool allChecked() const;
    void setAllChecked(bool on);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void selectionChanged();

private:
    struct Row {
        engine::DatabaseSize db;
        bool checked = true;
    };
    QList<Row> m_rows;
};

// A dump's table of contents as a tree: schema → object (a table is its definition and its data), each with a
// checkbox; a schema's box is checked, unchecked or partly. checkedIds() is what pg_restore --use-list gets.
class TocTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, SizeColumn, ColumnCount };
    enum Role { DumpIdsRole = Qt::UserRole + 1 };
    using QAbstractItemModel::QAbstractItemModel;

    // sizes: "schema.table" -> bytes, from the dump's manifest.
    void setEntries(const QList<TocEntry> &entries, const QHash<QString, qint64> &sizes = {});
    const QList<TocEntry> &entries() const { return m_entries; }
    QSet<int> checkedIds() const;
    bool allChecked() const;
    void setAllChecked(bool on);
    // Checks only the objects named (schema.name), as a search or a test picks one table.
    void checkOnly(const QStringList &qualifiedNames);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void selectionChanged();

private:
    struct Object {
        QString name, kind;
        QList<int> ids;
        qint64 bytes = -1;
        bool checked = true;
    };
    struct Group {
        QString schema;
        QList<Object> objects;
    };
    Qt::CheckState groupState(const Group &g) const;
    QList<TocEntry> m_entries;
    QList<Group> m_groups;
};

} // namespace pga::gui
