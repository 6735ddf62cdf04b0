#pragma once

#include "engine/StorageForecast.h"

#include <QAbstractTableModel>

namespace pga::gui {

// The storage and cost forecast: the repository's size at +30, +90 and +365 days under a retention (the what-if
// the DBA is trying, not yet applied) and its monthly cost at a price per GiB-month.
class ForecastModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { InColumn, SizeColumn, CostColumn, ColumnCount };
    enum Role { ValueRole = Qt::UserRole + 1 };

    explicit ForecastModel(QObject *parent = nullptr);
    void setGrowth(const engine::StorageGrowth &g);
    void setPolicy(const engine::RetentionPolicy &p);
    void setPrice(double perGiBMonth);
    const engine::StorageGrowth &growth() const { return m_growth; }
    engine::RetentionPolicy policy() const { return m_policy; }
    QList<engine::ForecastPoint> points() const { return m_points; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void recompute();
    engine::StorageGrowth m_growth;
    engine::RetentionPolicy m_policy;
    double m_price = 0;
    QList<engine::ForecastPoint> m_points;
};

} // namespace pga::gui
