#include "WalView.h"

#include "ForecastModel.h"
#include "Icons.h"
#include "WalChartModel.h"
#include "app/AppContext.h"
#include "core/TimeText.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace pga::gui {

namespace {

struct Loaded {
    Result<QList<engine::WalHour>> wal = QList<engine::WalHour>();
    Result<QList<engine::ServerArchiveSummary>> summary = QList<engine::ServerArchiveSummary>();
};

QChartView *chartView(const QString &name)
{
    auto *v = new QChartView(new QChart);
    v->setObjectName(name);
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumHeight(190);
    v->chart()->legend()->setAlignment(Qt::AlignBottom);
    v->chart()->setMargins(QMargins(4, 4, 4, 4));
    return v;
}

QString label(const QDateTime &utc, WalChartModel::Range r)
{
    const QDateTime t = utc.toLocalTime();
    switch (r) {
    case WalChartModel::Range::Day: return t.toString(QStringLiteral("HH:00"));
    case WalChartModel::Range::Week: return QLocale::c().toString(t, QStringLiteral("ddd HH:00"));
    case WalChartModel::Range::Month:
    case WalChartModel::Range::Year: return t.toString(QStringLiteral("MM-dd"));
    }
    return {};
}

double rangeDays(WalChartModel::Range r) { return WalChartModel::bucketSeconds(r) * double(WalChartModel::bucketCount(r)) / 86400.0; }

} // namespace

WalView::WalView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_model(new WalChartModel(this)), m_forecast(new ForecastModel(this)), m_range(new QComboBox),
      m_walChart(chartView(QStringLiteral("walChart"))), m_archiveChart(chartView(QStringLiteral("archiveChart"))),
      m_repoChart(chartView(QStringLiteral("repoChart"))), m_chartsArea(new QWidget), m_price(new QDoubleSpinBox), m_keepFull(new QSpinBox),
      m_keepDays(new QSpinBox), m_forecastTable(new QTableView), m_status(new QLabel)
{
    setObjectName(QStringLiteral("walView"));
    m_range->setObjectName(QStringLiteral("range"));
    m_range->addItem(tr("Last 24 hours"), int(WalChartModel::Range::Day));
    m_range->addItem(tr("Last 7 days"), int(WalChartModel::Range::Week));
    m_range->addItem(tr("Last 30 days"), int(WalChartModel::Range::Month));
    m_range->addItem(tr("Last year"), int(WalChartModel::Range::Year));
    m_range->setToolTip(tr("How far back the charts go (times in local time, %1)").arg(QString::fromUtf8(QTimeZone::systemTimeZoneId())));
    auto *refresh = new QPushButton(icon(QStringLiteral("refresh")), tr("Re&fresh"));
    auto *png = new QPushButton(tr("Export &PNG…"));
    auto *csv = new QPushButton(tr("Export C&SV…"));
    png->setToolTip(tr("Save the charts as a picture"));
    csv->setToolTip(tr("Save the numbers behind the charts, times in UTC and local time"));
    connect(m_range, &QComboBox::currentIndexChanged, this, &WalView::rangeChanged);
    connect(refresh, &QPushButton::clicked, this, [this] { setServer(m_server); });
    connect(png, &QPushButton::clicked, this, [this] { chooseExport(true); });
    connect(csv, &QPushButton::clicked, this, [this] { chooseExport(false); });

    m_price->setObjectName(QStringLiteral("price"));
    m_price->setRange(0, 1000);
    m_price->setDecimals(4);
    m_price->setSingleStep(0.001);
    m_price->setValue(QSettings().value(QStringLiteral("forecast/pricePerGiBMonth"), 0.023).toDouble());
    m_price->setToolTip(tr("What a GiB of storage costs a month where the repository lives"));
    m_keepFull->setObjectName(QStringLiteral("keepFull"));
    m_keepFull->setRange(0, 10000);
    m_keepFull->setSpecialValueText(tr("all"));
    m_keepFull->setValue(2);
    m_keepFull->setToolTip(tr("What if expire kept the newest N backups? Nothing is applied."));
    m_keepDays->setObjectName(QStringLiteral("keepDays"));
    m_keepDays->setRange(0, 10000);
    m_keepDays->setSpecialValueText(tr("off"));
    m_keepDays->setSuffix(tr(" days"));
    m_keepDays->setToolTip(tr("What if expire also kept what the last D days need? Nothing is applied."));
    m_forecastTable->setModel(m_forecast);
    m_forecastTable->setObjectName(QStringLiteral("forecast"));
    m_forecastTable->verticalHeader()->hide();
    m_forecastTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_forecastTable->setMaximumHeight(130);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const auto policyChanged = [this] {
        m_forecast->setPolicy(whatIf());
        rebuildCharts();
        emit whatIfChanged(whatIf());
    };
    connect(m_keepFull, &QSpinBox::valueChanged, this, policyChanged);
    connect(m_keepDays, &QSpinBox::valueChanged, this, policyChanged);
    connect(m_price, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        QSettings().setValue(QStringLiteral("forecast/pricePerGiBMonth"), v);
        m_forecast->setPrice(v);
    });
    m_forecast->setPrice(m_price->value());
    m_forecast->setPolicy(whatIf());

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("&Range:")));
    qobject_cast<QLabel *>(bar->itemAt(0)->widget())->setBuddy(m_range);
    bar->addWidget(m_range);
    bar->addWidget(refresh);
    bar->addStretch();
    bar->addWidget(png);
    bar->addWidget(csv);
    auto *charts = new QVBoxLayout(m_chartsArea);
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_walChart);
    charts->addWidget(m_archiveChart);
    charts->addWidget(m_repoChart);
    auto *whatIfBox = new QGroupBox(tr("Storage and cost forecast"));
    auto *form = new QFormLayout(whatIfBox);
    form->addRow(tr("Price per GiB-&month:"), m_price);
    form->addRow(tr("What if expire kept the newest &N:"), m_keepFull);
    form->addRow(tr("and what the last &D days need:"), m_keepDays);
    form->addRow(m_forecastTable);
    auto *interval = new QSpinBox;
    interval->setObjectName(QStringLiteral("sampleInterval"));
    interval->setRange(1, 1440);
    interval->setSuffix(tr(" min"));
    interval->setValue(app::MetricSampler::configuredIntervalMinutes());
    interval->setToolTip(tr("How often pgArchivist, while open, samples every server's WAL position, pg_stat_wal, the archiver "
                            "and the repository's size (kept a week in full, a year by the hour)"));
    connect(interval, &QSpinBox::valueChanged, this, [this](int minutes) { m_app.metrics().setIntervalMinutes(minutes); });
    auto *samplingBox = new QGroupBox(tr("Sampling"));
    auto *samplingForm = new QFormLayout(samplingBox);
    samplingForm->addRow(tr("Sample servers &every:"), interval);
    auto *side = new QVBoxLayout;
    side->addWidget(whatIfBox);
    side->addWidget(samplingBox);
    side->addWidget(m_status);
    side->addStretch();
    auto *body = new QHBoxLayout;
    body->addWidget(m_chartsArea, 3);
    body->addLayout(side, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(body, 1);
}

engine::RetentionPolicy WalView::whatIf() const
{
    return {m_keepFull->value() > 0 ? m_keepFull->value() : -1, m_keepDays->value() > 0 ? m_keepDays->value() : -1};
}

void WalView::setWhatIf(const engine::RetentionPolicy &p)
{
    m_keepFull->setValue(std::max(0, p.retainFull));
    m_keepDays->setValue(std::max(0, p.retainDays));
}

QString WalView::statusText() const { return m_status->text(); }
QList<QChart *> WalView::charts() const { return {m_walChart->chart(), m_archiveChart->chart(), m_repoChart->chart()}; }

void WalView::setServer(const app::ServerEntry &e)
{
    m_server = e;
    const int generation = ++m_generation;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<app::MetricSample> samples = e.id ? app::MetricStore(m_app.registry()).samples(e.id, now.addDays(-366), now.addSecs(1))
                                                  : QList<app::MetricSample>();
    if (e.repoDir.isEmpty()) {
        showData({}, {}, samples, now);
        m_status->setText(tr("No repository is set for this server: WAL per hour comes from the archive. Samples so far: %n.", nullptr,
                             int(samples.size())));
        return;
    }
    m_status->setText(tr("Reading the archive…"));
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, samples, now] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;  // another server was chosen meanwhile
        const Loaded l = watcher->result();
        showData(l.wal.valueOr({}), l.summary && !l.summary->isEmpty() ? l.summary->first() : engine::ServerArchiveSummary(), samples, now);
        if (!l.wal)
            m_status->setText(l.wal.error().toString());
        else if (!l.summary)
            m_status->setText(l.summary.error().toString());
    });
    const QString dir = e.repoDir, name = e.repoServer.isEmpty() ? e.name : e.repoServer;
    watcher->setFuture(QtConcurrent::run([dir, name] {
        Loaded l;
        auto repo = repo::Repository::open(dir);
        if (!repo) {
            l.wal = repo.error();
            return l;
        }
        CancelToken never;
        l.wal = engine::walPerHour(repo::WalArchive(*repo, name), never);
        l.summary = engine::archiveSummary(dir, name);
        return l;
    }));
}

void WalView::showData(const QList<engine::WalHour> &wal, const engine::ServerArchiveSummary &summary, const QList<app::MetricSample> &samples,
                       const QDateTime &nowUtc)
{
    m_now = nowUtc;
    m_model->setData(wal, samples, WalChartModel::Range(m_range->currentData().toInt()), nowUtc);
    m_forecast->setGrowth(engine::measureGrowth(summary, wal, nowUtc));
    const engine::StorageGrowth &g = m_forecast->growth();
    const QLocale l;
    m_status->setText(tr("Measured: %1 a day of new backup data and archived WAL (%2 backups a day); %n sample(s) of the server.", nullptr,
                         int(samples.size()))
                          .arg(l.formattedDataSize(qint64(g.dailyGrowth()), 1, QLocale::DataSizeTraditionalFormat))
                          .arg(l.toString(g.backupsPerDay, 'f', 2)));
    rebuildCharts();
    emit loaded();
}

void WalView::rangeChanged()
{
    if (m_now.isValid())
        m_model->setRange(WalChartModel::Range(m_range->currentData().toInt()), m_now);
    rebuildCharts();
}

void WalView::rebuildCharts()
{
    const WalChartModel::Range r = m_model->range();
    const int n = m_model->rowCount();
    const auto value = [this](int row, int col) { return m_model->index(row, col).data(WalChartModel::ValueRole); };
    QStringList categories;
    for (int i = 0; i < n; ++i)
        categories << label(m_model->bucketStart(i), r);

    // WAL written (MiB) as bars, the full-page-image share (%) as a line on the right axis.
    QChart *wal = m_walChart->chart();
    wal->removeAllSeries();
    for (QAbstractAxis *a : wal->axes())
        wal->removeAxis(a), delete a;
    wal->setTitle(tr("WAL written per %1").arg(r == WalChartModel::Range::Day ? tr("hour") : r == WalChartModel::Range::Week ? tr("6 hours")
                                                   : r == WalChartModel::Range::Month ? tr("day") : tr("week")));
    auto *bytes = new QBarSet(tr("WAL (MiB)"));
    auto *fpi = new QLineSeries;
    fpi->setName(tr("full-page images (% of records)"));
    double maxMiB = 1;
    for (int i = 0; i < n; ++i) {
        const double mib = value(i, WalChartModel::WalBytesColumn).toDouble() / (1 << 20);
        *bytes << mib;
        maxMiB = std::max(maxMiB, mib);
        if (const QVariant f = value(i, WalChartModel::FpiShareColumn); f.isValid())
            fpi->append(i, f.toDouble());
    }
    auto *bars = new QBarSeries;
    bars->append(bytes);
    wal->addSeries(bars);
    wal->addSeries(fpi);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(-90);
    QFont small = x->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    x->setLabelsFont(small);
    auto *yBytes = new QValueAxis;
    yBytes->setRange(0, maxMiB * 1.1);
    yBytes->setTitleText(tr("MiB"));
    yBytes->setLabelFormat(QStringLiteral("%.0f"));
    auto *yShare = new QValueAxis;
    yShare->setRange(0, 100);
    yShare->setTitleText(tr("%"));
    wal->addAxis(x, Qt::AlignBottom);
    wal->addAxis(yBytes, Qt::AlignLeft);
    wal->addAxis(yShare, Qt::AlignRight);
    bars->attachAxis(x);
    bars->attachAxis(yBytes);
    fpi->attachAxis(x);
    fpi->attachAxis(yShare);
    connect(bytes, &QBarSet::hovered, this, [this](bool on, int row) {
        if (on)
            QToolTip::showText(QCursor::pos(), tr("%1: %2 written, %3 full-page images")
                                                   .arg(m_model->index(row, WalChartModel::StartColumn).data().toString(),
                                                        m_model->index(row, WalChartModel::WalBytesColumn).data().toString(),
                                                        m_model->index(row, WalChartModel::FpiShareColumn).data().toString()));
    });

    // Archive lag (s) and .ready files.
    QChart *arch = m_archiveChart->chart();
    arch->removeAllSeries();
    for (QAbstractAxis *a : arch->axes())
        arch->removeAxis(a), delete a;
    arch->setTitle(tr("Archiving: files waiting and how long"));
    auto *ready = new QLineSeries;
    ready->setName(tr(".ready files"));
    auto *lag = new QLineSeries;
    lag->setName(tr("archive lag (s)"));
    double maxReady = 1, maxLag = 1;
    for (int i = 0; i < n; ++i) {
        if (const QVariant v = value(i, WalChartModel::ReadyColumn); v.isValid()) {
            ready->append(i, v.toDouble());
            maxReady = std::max(maxReady, v.toDouble());
        }
        if (const QVariant v = value(i, WalChartModel::LagColumn); v.isValid()) {
            lag->append(i, v.toDouble());
            maxLag = std::max(maxLag, v.toDouble());
        }
    }
    arch->addSeries(ready);
    arch->addSeries(lag);
    auto *ax = new QBarCategoryAxis;
    ax->append(categories);
    ax->setLabelsVisible(false);
    auto *yReady = new QValueAxis;
    yReady->setRange(0, maxReady * 1.2);
    yReady->setLabelFormat(QStringLiteral("%.0f"));
    yReady->setTitleText(tr("files"));
    auto *yLag = new QValueAxis;
    yLag->setRange(0, maxLag * 1.2);
    yLag->setLabelFormat(QStringLiteral("%.0f"));
    yLag->setTitleText(tr("s"));
    arch->addAxis(ax, Qt::AlignBottom);
    arch->addAxis(yReady, Qt::AlignLeft);
    arch->addAxis(yLag, Qt::AlignRight);
    ready->attachAxis(ax);
    ready->attachAxis(yReady);
    lag->attachAxis(ax);
    lag->attachAxis(yLag);
    for (QLineSeries *s : {ready, lag, fpi})
        connect(s, &QLineSeries::hovered, this, [this, s](const QPointF &p, bool on) {
            if (on)
                QToolTip::showText(QCursor::pos(), tr("%1: %2 %3").arg(m_model->index(qRound(p.x()), WalChartModel::StartColumn).data().toString(),
                                                                       QLocale().toString(p.y(), 'f', 1), s->name()));
        });

    // Repository size, and the forecast under the what-if retention for as long again.
    QChart *repo = m_repoChart->chart();
    repo->removeAllSeries();
    for (QAbstractAxis *a : repo->axes())
        repo->removeAxis(a), delete a;
    repo->setTitle(tr("Repository size and forecast"));
    auto *size = new QLineSeries;
    size->setName(tr("measured (GiB)"));
    auto *ahead = new QLineSeries;
    ahead->setName(tr("forecast (GiB)"));
    QPen dashed = ahead->pen();
    dashed.setStyle(Qt::DashLine);
    ahead->setPen(dashed);
    const double gib = double(1LL << 30);
    double maxGiB = 0.001;
    for (int i = 0; i < n; ++i)
        if (const QVariant v = value(i, WalChartModel::RepoBytesColumn); v.isValid()) {
            size->append(double(m_model->bucketStart(i).toMSecsSinceEpoch()), v.toDouble() / gib);
            maxGiB = std::max(maxGiB, v.toDouble() / gib);
        }
    const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
    const double days = rangeDays(r);
    for (int step = 0; step <= 10; ++step) {
        const double d = days * step / 10.0;
        const double b = double(engine::forecastBytes(m_forecast->growth(), whatIf(), d)) / gib;
        ahead->append(double(now.addSecs(qint64(d * 86400)).toMSecsSinceEpoch()), b);
        maxGiB = std::max(maxGiB, b);
    }
    repo->addSeries(size);
    repo->addSeries(ahead);
    auto *t = new QDateTimeAxis;
    t->setFormat(r == WalChartModel::Range::Day ? QStringLiteral("HH:mm") : QStringLiteral("MM-dd"));
    t->setTitleText(tr("local time (%1)").arg(QTimeZone::systemTimeZone().abbreviation(now)));
    t->setRange(m_model->rangeStart().toLocalTime(), now.addSecs(qint64(days * 86400)).toLocalTime());
    auto *yGiB = new QValueAxis;
    yGiB->setRange(0, maxGiB * 1.2);
    yGiB->setTitleText(tr("GiB"));
    repo->addAxis(t, Qt::AlignBottom);
    repo->addAxis(yGiB, Qt::AlignLeft);
    for (QLineSeries *s : {size, ahead}) {
        s->attachAxis(t);
        s->attachAxis(yGiB);
    }
}

Status WalView::exportPng(const QString &path)
{
    const QPixmap shot = m_chartsArea->grab();
    if (shot.isNull() || !shot.save(path, "PNG"))
        return Error(Error::Code::Io, tr("Could not save the charts as %1.").arg(path));
    return {};
}

Status WalView::exportCsv(const QString &path)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_model->toCsv()) < 0 || !f.commit())
        return Error(Error::Code::Io, tr("Could not write %1.").arg(path), f.errorString());
    return {};
}

void WalView::chooseExport(bool png)
{
    auto *d = new QFileDialog(this, png ? tr("Export Charts as PNG") : tr("Export Chart Data as CSV"));
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setAcceptMode(QFileDialog::AcceptSave);
    d->setNameFilter(png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    d->setDefaultSuffix(png ? QStringLiteral("png") : QStringLiteral("csv"));
    d->selectFile(QStringLiteral("wal-%1.%2").arg(m_server.name, png ? QStringLiteral("png") : QStringLiteral("csv")));
    connect(d, &QFileDialog::fileSelected, this, [this, png](const QString &path) {
        const Status s = png ? exportPng(path) : exportCsv(path);
        m_status->setText(s ? tr("Saved %1.").arg(path) : s.error().toString());
    });
    d->open();
}

} // namespace pga::gui
