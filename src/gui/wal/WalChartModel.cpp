#include "WalChartModel.h"

#include "core/TimeText.h"

#include <QLocale>
#include <QTimeZone>

namespace pga::gui {

WalChartModel::WalChartModel(QObject *parent) : QAbstractTableModel(parent) {}

int WalChartModel::bucketSeconds(Range r)
{
    switch (r) {
    case Range::Day: return 3600;
    case Range::Week: return 6 * 3600;
    case Range::Month: return 86400;
    case Range::Year: return 7 * 86400;
    }
    return 3600;
}

int WalChartModel::bucketCount(Range r)
{
    switch (r) {
    case Range::Day: return 24;
    case Range::Week: return 28;
    case Range::Month: return 30;
    case Range::Year: return 52;
    }
    return 24;
}

QDateTime WalChartModel::rangeStart() const
{
    const qint64 size = bucketSeconds(m_range);
    const qint64 lastStart = m_now.toSecsSinceEpoch() / size * size;  // the bucket that holds now
    return QDateTime::fromSecsSinceEpoch(lastStart - size * (bucketCount(m_range) - 1), QTimeZone::utc());
}

QDateTime WalChartModel::bucketStart(int row) const { return rangeStart().addSecs(qint64(row) * bucketSeconds(m_range)); }

void WalChartModel::setData(const QList<engine::WalHour> &wal, const QList<app::MetricSample> &samples, Range range, const QDateTime &nowUtc)
{
    m_wal = wal;
    m_samples = samples;
    setRange(range, nowUtc);
}

void WalChartModel::setRange(Range range, const QDateTime &nowUtc)
{
    beginResetModel();
    m_range = range;
    m_now = nowUtc.toUTC();
    rebuild();
    endResetModel();
}

void WalChartModel::rebuild()
{
    const int n = m_now.isValid() ? bucketCount(m_range) : 0;
    m_buckets = QList<Bucket>(n);
    if (n == 0)
        return;
    const qint64 start = rangeStart().toSecsSinceEpoch(), size = bucketSeconds(m_range);
    const auto bucketOf = [&](const QDateTime &t) -> int {
        const qint64 i = (t.toSecsSinceEpoch() - start) / size;
        return t.toSecsSinceEpoch() < start || i >= n ? -1 : int(i);
    };
    for (const engine::WalHour &h : std::as_const(m_wal))
        if (const int i = bucketOf(h.hourUtc); i >= 0)
            m_buckets[i].walBytes = m_buckets[i].walBytes.value_or(0) + h.walBytes;
    // Shares come from consecutive samples: the records and full-page images between them count where the later falls.
    QList<qint64> records(n, 0), fpis(n, 0);
    const app::MetricSample *prev = nullptr;
    for (const app::MetricSample &s : std::as_const(m_samples)) {
        const int i = bucketOf(s.takenAt);
        if (i >= 0) {
            Bucket &b = m_buckets[i];
            if (s.readyCount)
                b.ready = std::max(b.ready.value_or(0), *s.readyCount);
            if (s.archiveLagSeconds)
                b.lag = std::max(b.lag.value_or(0), *s.archiveLagSeconds);
            if (s.repoBytes)
                b.repoBytes = s.repoBytes;  // the bucket's last
            if (prev && prev->walRecords && prev->walFpi && s.walRecords && s.walFpi && *s.walRecords >= *prev->walRecords
                && *s.walFpi >= *prev->walFpi) {  // a statistics reset makes them go back: skip that pair
                records[i] += *s.walRecords - *prev->walRecords;
                fpis[i] += *s.walFpi - *prev->walFpi;
            }
        }
        prev = &s;
    }
    for (int i = 0; i < n; ++i)
        if (records[i] > 0)
            m_buckets[i].fpiShare = 100.0 * double(fpis[i]) / double(records[i]);
}

int WalChartModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_buckets.size()); }
int WalChartModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant WalChartModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_buckets.size() || (role != Qt::DisplayRole && role != ValueRole && role != Qt::ToolTipRole))
        return {};
    const Bucket &b = m_buckets[index.row()];
    const bool raw = role == ValueRole;
    const QLocale l;
    switch (index.column()) {
    case StartColumn:
        return raw ? QVariant(bucketStart(index.row())) : QVariant(runTimeText(bucketStart(index.row()), QTimeZone::systemTimeZone()));
    case WalBytesColumn:
        if (!b.walBytes) return {};
        return raw ? QVariant(*b.walBytes) : QVariant(l.formattedDataSize(*b.walBytes, 1, QLocale::DataSizeTraditionalFormat));
    case FpiShareColumn:
        if (!b.fpiShare) return {};
        return raw ? QVariant(*b.fpiShare) : QVariant(tr("%1 %").arg(l.toString(*b.fpiShare, 'f', 1)));
    case ReadyColumn:
        return b.ready ? QVariant(*b.ready) : QVariant();
    case LagColumn:
        if (!b.lag) return {};
        return raw ? QVariant(*b.lag) : QVariant(tr("%1 s").arg(l.toString(*b.lag, 'f', 0)));
    case RepoBytesColumn:
        if (!b.repoBytes) return {};
        return raw ? QVariant(*b.repoBytes) : QVariant(l.formattedDataSize(*b.repoBytes, 1, QLocale::DataSizeTraditionalFormat));
    }
    return {};
}

QVariant WalChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartColumn: return tr("From");
    case WalBytesColumn: return tr("WAL written");
    case FpiShareColumn: return tr("Full-page images");
    case ReadyColumn: return tr(".ready files");
    case LagColumn: return tr("Archive lag");
    case RepoBytesColumn: return tr("Repository size");
    }
    return {};
}

QByteArray WalChartModel::toCsv() const
{
    QByteArray out = "from_utc,from_local,wal_bytes,fpi_percent,ready_files,archive_lag_seconds,repository_bytes\r\n";
    const auto cell = [&](int row, int col) -> QByteArray {
        const QVariant v = data(index(row, col), ValueRole);
        return v.isValid() ? v.toString().toUtf8() : QByteArray();
    };
    for (int r = 0; r < rowCount(); ++r) {
        const QDateTime t = bucketStart(r);
        const QDateTime local = t.toOffsetFromUtc(t.toLocalTime().offsetFromUtc());  // with its offset
        out += t.toUTC().toString(Qt::ISODate).toUtf8() + ',' + local.toString(Qt::ISODate).toUtf8();
        for (int c = WalBytesColumn; c < ColumnCount; ++c)
            out += ',' + cell(r, c);
        out += "\r\n";
    }
    return out;
}

} // namespace pga::gui
