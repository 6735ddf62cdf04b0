#pragma once

#include "app/JobRunner.h"

#include <QAbstractTableModel>

namespace pga::gui {

// The jobs of this session, oldest first. Rows follow JobRunner's signals; data are its snapshots.
class JobsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TitleColumn, StateColumn, ProgressColumn, StartedColumn, MessageColumn, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, ProgressRole, FinishedRole };

    explicit JobsModel(app::JobRunner *runner, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int jobId(const QModelIndex &index) const;
    QModelIndex indexOfJob(int id, int column = 0) const;
    static QString stateText(app::JobInfo::State s);

private:
    app::JobRunner *m_runner;
    QList<int> m_ids;
};

} // namespace pga::gui
