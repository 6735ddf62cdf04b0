#pragma once

#include "engine/RepoInfo.h"

#include <QAbstractTableModel>

namespace pga::gui {

// The server's catalog, oldest first, as `pgarchivist-cli info` lists it: base backups, cold backups and dumps, each
// with its kind (KindRole: base | cold | dump) for the view's filter.
class BackupsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, KindColumn, LabelColumn, StartColumn, DurationColumn, TimelineColumn, LsnColumn, SizeColumn,
                  NewColumn, StatusColumn, ColumnCount };
    enum Role { BackupIdRole = Qt::UserRole + 1, SortRole, KindRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setBackups(QList<engine::BackupListing> backups);
    static QString kindText(const QString &kind);
    const QList<engine::BackupListing> &backups() const { return m_backups; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<engine::BackupListing> m_backups;
};

} // namespace pga::gui
