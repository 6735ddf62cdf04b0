#pragma once

#include "app/MetricStore.h"
#include "app/ServerEntry.h"
#include "engine/RepoInfo.h"
#include "engine/Retention.h"
#include "engine/WalHistory.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class ForecastModel;
class WalChartModel;

// The WAL tab: WAL written per bucket (bars) with the full-page-image share, archive lag and the .ready count,
// the repository's size with its forecast; ranges 24 h / 7 d / 30 d / 1 y; export as PNG and CSV. Beside it the
// storage and cost forecast, whose retention is a what-if: changing it changes the forecast and the calendar's
// expiry marks (whatIfChanged), and applies nothing.
class WalView : public QWidget {
    Q_OBJECT
public:
    explicit WalView(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(const app::ServerEntry &e);
    // What setServer loads, given directly (the archive's hours, the catalog, the samples), for any `now`.
    void showData(const QList<engine::WalHour> &wal, const engine::ServerArchiveSummary &summary, const QList<app::MetricSample> &samples,
                  const QDateTime &nowUtc);

    WalChartModel *chartModel() const { return m_model; }
    ForecastModel *forecastModel() const { return m_forecast; }
    QList<QChart *> charts() const;
    engine::RetentionPolicy whatIf() const;
    void setWhatIf(const engine::RetentionPolicy &p);
    QString statusText() const;

    Status exportPng(const QString &path);
    Status exportCsv(const QString &path);

signals:
    void whatIfChanged(const pga::engine::RetentionPolicy &policy);
    void loaded();

private:
    void rebuildCharts();
    void rangeChanged();
    void chooseExport(bool png);

    app::AppContext &m_app;
    app::ServerEntry m_server;
    WalChartModel *m_model;
    ForecastModel *m_forecast;
    QComboBox *m_range;
    QChartView *m_walChart;
    QChartView *m_archiveChart;
    QChartView *m_repoChart;
    QWidget *m_chartsArea;
    QDoubleSpinBox *m_price;
    QSpinBox *m_keepFull;
    QSpinBox *m_keepDays;
    QTableView *m_forecastTable;
    QLabel *m_status;
    QDateTime m_now;
    int m_generation = 0;
};

} // namespace pga::gui
