#pragma once

#include "app/MetricStore.h"
#include "engine/WalHistory.h"

#include <QAbstractTableModel>

namespace pga::gui {

// The WAL view's numbers, one row per time bucket of the chosen range (24 h: hours; 7 d: 6 hours; 30 d: days;
// 1 y: weeks), ending with the bucket that holds `now`. WAL bytes come from the archive (arrival times), so they
// reach back before the app sampled; the full-page-image share, the .ready count, archive lag and the repository's
// size come from the app's samples. A bucket without a value shows nothing (an invalid QVariant), never a zero.
class WalChartModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Range { Day, Week, Month, Year };
    enum Column { StartColumn, WalBytesColumn, FpiShareColumn, ReadyColumn, LagColumn, RepoBytesColumn, ColumnCount };
    enum Role { ValueRole = Qt::UserRole + 1 };  // the raw number (bytes, percent, seconds); StartColumn: the UTC start

    explicit WalChartModel(QObject *parent = nullptr);

    void setData(const QList<engine::WalHour> &wal, const QList<app::MetricSample> &samples, Range range, const QDateTime &nowUtc);
    void setRange(Range range, const QDateTime &nowUtc);
    Range range() const { return m_range; }
    static int bucketSeconds(Range r);
    static int bucketCount(Range r);
    QDateTime rangeStart() const;       // UTC start of the first bucket
    QDateTime bucketStart(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // RFC 4180 CSV of the rows, times in UTC (ISO 8601) and in local time with its offset.
    QByteArray toCsv() const;

private:
    struct Bucket {
        std::optional<qint64> walBytes;
        std::optional<double> fpiShare;
        std::optional<qint64> ready;
        std::optional<double> lag;
        std::optional<qint64> repoBytes;
    };
    void rebuild();

    QList<engine::WalHour> m_wal;
    QList<app::MetricSample> m_samples;
    Range m_range = Range::Day;
    QDateTime m_now;
    QList<Bucket> m_buckets;
};

} // namespace pga::gui
