#include "ForecastModel.h"

#include <QLocale>

namespace pga::gui {

ForecastModel::ForecastModel(QObject *parent) : QAbstractTableModel(parent) { recompute(); }

void ForecastModel::setGrowth(const engine::StorageGrowth &g)
{
    m_growth = g;
    recompute();
}

void ForecastModel::setPolicy(const engine::RetentionPolicy &p)
{
    m_policy = p;
    recompute();
}

void ForecastModel::setPrice(double perGiBMonth)
{
    m_price = perGiBMonth;
    recompute();
}

void ForecastModel::recompute()
{
    m_points = engine::forecast(m_growth, m_policy, m_price);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ForecastModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : 3; }
int ForecastModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ForecastModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_points.size() || (role != Qt::DisplayRole && role != ValueRole))
        return {};
    const engine::ForecastPoint &p = m_points[index.row()];
    const QLocale l;
    switch (index.column()) {
    case InColumn: return role == ValueRole ? QVariant(p.days) : QVariant(tr("in %1 days").arg(p.days));
    case SizeColumn: return role == ValueRole ? QVariant(p.bytes) : QVariant(l.formattedDataSize(p.bytes, 1, QLocale::DataSizeTraditionalFormat));
    case CostColumn: return role == ValueRole ? QVariant(p.monthlyCost) : QVariant(tr("%1 a month").arg(l.toString(p.monthlyCost, 'f', 2)));
    }
    return {};
}

QVariant ForecastModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case InColumn: return tr("When");
    case SizeColumn: return tr("Repository");
    case CostColumn: return tr("Cost");
    }
    return {};
}

} // namespace pga::gui
