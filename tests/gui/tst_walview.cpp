#include "GuiTestSupport.h"
#include "wal/ForecastModel.h"
#include "wal/WalChartModel.h"
#include "wal/WalView.h"

#include <QAbstractItemModelTester>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QLineSeries>
#include <QSpinBox>

using namespace pga;
using namespace pga::gui;

namespace {
QDateTime utc(const char *iso) { return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC(); }

app::MetricSample sample(const char *at, qint64 records, qint64 fpi, std::optional<qint64> ready, std::optional<double> lag,
                         std::optional<qint64> repo)
{
    app::MetricSample s;
    s.takenAt = utc(at);
    s.walRecords = records;
    s.walFpi = fpi;
    s.readyCount = ready;
    s.archiveLagSeconds = lag;
    s.repoBytes = repo;
    return s;
}

QList<engine::WalHour> hours()
{
    engine::WalHour a, b, old;
    a.hourUtc = utc("2027-03-10T11:00:00Z");
    a.walBytes = 100 << 20;
    b.hourUtc = utc("2027-03-10T12:00:00Z");
    b.walBytes = 16 << 20;
    old.hourUtc = utc("2027-03-09T12:00:00Z");  // just before the 24 hours
    old.walBytes = 999;
    return {old, a, b};
}

QList<app::MetricSample> samples()
{
    return {sample("2027-03-10T11:05:00Z", 1000, 100, 2, 30, 5000), sample("2027-03-10T11:55:00Z", 1500, 200, 5, 10, 6000),
            sample("2027-03-10T12:10:00Z", 1600, 210, 0, 0, std::nullopt),
            sample("2027-03-10T12:20:00Z", 10, 1, 1, 0, 6200)};  // after a statistics reset: counters went back
}

const QDateTime kNow = utc("2027-03-10T12:30:00Z");
} // namespace

// The WAL view's numbers from a synthetic archive and synthetic samples, exactly; the charts drawn from them; the
// what-if retention moving the forecast; PNG and CSV export; and sampling that never blocks the window.
class TestWalView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void chartModelBucketsExactly()
    {
        WalChartModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setData(hours(), samples(), WalChartModel::Range::Day, kNow);
        QCOMPARE(m.rowCount(), 24);
        QCOMPARE(m.rangeStart(), utc("2027-03-09T13:00:00Z"));
        const auto v = [&](int row, int col) { return m.index(row, col).data(WalChartModel::ValueRole); };
        QCOMPARE(v(23, WalChartModel::StartColumn).toDateTime(), utc("2027-03-10T12:00:00Z"));
        QCOMPARE(v(22, WalChartModel::WalBytesColumn).toLongLong(), qint64(100) << 20);
        QCOMPARE(v(23, WalChartModel::WalBytesColumn).toLongLong(), qint64(16) << 20);
        QVERIFY(!v(0, WalChartModel::WalBytesColumn).isValid());  // nothing arrived: no value, not a zero
        // 11:05 -> 11:55: 500 records, 100 with full-page images.
        QCOMPARE(v(22, WalChartModel::FpiShareColumn).toDouble(), 20.0);
        // 11:55 -> 12:10: 100 records, 10 images; the pair across the reset does not count.
        QCOMPARE(v(23, WalChartModel::FpiShareColumn).toDouble(), 10.0);
        QCOMPARE(v(22, WalChartModel::ReadyColumn).toLongLong(), 5);   // the hour's worst
        QCOMPARE(v(22, WalChartModel::LagColumn).toDouble(), 30.0);
        QCOMPARE(v(22, WalChartModel::RepoBytesColumn).toLongLong(), 6000);  // the hour's last
        QCOMPARE(v(23, WalChartModel::ReadyColumn).toLongLong(), 1);
        QCOMPARE(v(23, WalChartModel::RepoBytesColumn).toLongLong(), 6200);
        QCOMPARE(m.index(22, WalChartModel::WalBytesColumn).data().toString(), QLocale().formattedDataSize(100 << 20, 1, QLocale::DataSizeTraditionalFormat));

        // A week in 6-hour buckets: 11:00 and 12:00 fall into the 12:00 bucket? No: 06:00-12:00 holds 11:00.
        m.setRange(WalChartModel::Range::Week, kNow);
        QCOMPARE(m.rowCount(), 28);
        QCOMPARE(v(27, WalChartModel::StartColumn).toDateTime(), utc("2027-03-10T12:00:00Z"));
        QCOMPARE(v(26, WalChartModel::WalBytesColumn).toLongLong(), qint64(100) << 20);
        QCOMPARE(v(23, WalChartModel::WalBytesColumn).toLongLong(), 999);  // 2027-03-09 12:00 is inside a week
        m.setRange(WalChartModel::Range::Year, kNow);
        QCOMPARE(m.rowCount(), 52);

        // CSV: a header, a line per bucket, UTC and local time with its offset (the test runs in Tokyo time).
        m.setRange(WalChartModel::Range::Day, kNow);
        const QList<QByteArray> lines = m.toCsv().split('\n');
        QCOMPARE(lines.size(), 26);  // header, 24 rows, and the empty rest after the last CRLF
        QVERIFY(lines[0].startsWith("from_utc,from_local,wal_bytes"));
        QCOMPARE(lines[23].trimmed(), QByteArray("2027-03-10T11:00:00Z,2027-03-10T20:00:00+09:00,104857600,20,5,30,6000"));
    }

    void viewDrawsChartsForecastsAndExports()
    {
        test::TestWindow w;
        QVERIFY(w.app.open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        WalView view(w.app);
        view.resize(1200, 760);
        view.show();
        QAbstractItemModelTester tester(view.forecastModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Four backups over 30 days and a month of WAL: the forecast's basis.
        engine::ServerArchiveSummary s;
        const qint64 news[] = {2LL << 30, 200 << 20, 300 << 20, 250 << 20};
        for (int i = 0; i < 4; ++i) {
            engine::BackupListing b;
            b.id = QStringLiteral("b%1").arg(i);
            b.startTimeUtc = kNow.addDays(-30 + 10 * i);
            b.stopTimeUtc = b.startTimeUtc.addSecs(600);
            b.newBytes = news[i];
            s.backupList << b;
        }
        // A day as a busy server has it: WAL every hour, a sample every 15 minutes, now and then files waiting.
        QList<engine::WalHour> wal;
        for (int d = 30; d > 1; --d) {
            engine::WalHour h;
            h.hourUtc = kNow.addDays(-d);
            h.walBytes = 400 << 20;
            h.storedBytes = 100 << 20;
            wal << h;
        }
        const QDateTime firstHour = QDateTime::fromSecsSinceEpoch(kNow.toSecsSinceEpoch() / 3600 * 3600 - 23 * 3600, QTimeZone::utc());
        for (int h = 0; h < 24; ++h) {
            engine::WalHour w;
            w.hourUtc = firstHour.addSecs(3600 * h);
            w.walBytes = qint64(32 + (h * 7) % 50) << 20;
            w.storedBytes = w.walBytes / 4;
            wal << w;
        }
        QList<app::MetricSample> busy;
        for (int i = 0; i <= 96; ++i) {
            app::MetricSample m;
            m.takenAt = firstHour.addSecs(900 * i);
            m.walRecords = 4000LL * i;
            m.walFpi = 400LL * i + (i % 8) * 50;
            m.readyCount = i % 7 == 0 ? 3 : 0;
            m.archiveLagSeconds = i % 7 == 0 ? 45 : (i % 3) * 4;
            m.repoBytes = (3500LL << 20) + (qint64(i) << 20);
            if (m.takenAt <= kNow)
                busy << m;
        }
        view.showData(wal, s, busy, kNow);
        // The WAL chart: 24 bars, and the full-page-image share where it is known.
        QChart *walChart = view.charts()[0];
        auto *bars = qobject_cast<QBarSeries *>(walChart->series().value(0));
        QVERIFY(bars);
        QCOMPARE(bars->barSets().first()->count(), 24);
        QCOMPARE(bars->barSets().first()->at(5), double(32 + 35 % 50));
        auto *fpi = qobject_cast<QLineSeries *>(walChart->series().value(1));
        QCOMPARE(fpi->count(), 24);
        QVERIFY(fpi->at(3).y() > 5 && fpi->at(3).y() < 15);  // about 10 % of records carry a full-page image
        QCOMPARE(view.charts()[1]->series().size(), 2);  // .ready files and archive lag
        QCOMPARE(view.charts()[2]->series().size(), 2);  // measured size and the forecast

        // What if expire kept 1 backup instead of 2: the forecast drops, and the calendar hears of it.
        const qint64 keep2 = view.forecastModel()->index(2, ForecastModel::SizeColumn).data(ForecastModel::ValueRole).toLongLong();
        QCOMPARE(view.whatIf().retainFull, 2);
        QCOMPARE(keep2, engine::forecastBytes(view.forecastModel()->growth(), {2, -1}, 365));
        QSignalSpy whatIf(&view, &WalView::whatIfChanged);
        auto *keepFull = view.findChild<QSpinBox *>(QStringLiteral("keepFull"));
        keepFull->setFocus();
        QTest::keyClick(keepFull, Qt::Key_Down);
        QCOMPARE(whatIf.count(), 1);
        QCOMPARE(whatIf.first().first().value<engine::RetentionPolicy>().retainFull, 1);
        const qint64 keep1 = view.forecastModel()->index(2, ForecastModel::SizeColumn).data(ForecastModel::ValueRole).toLongLong();
        QVERIFY2(keep1 < keep2, qPrintable(QStringLiteral("%1 >= %2").arg(keep1).arg(keep2)));
        // The price turns it into money.
        auto *price = view.findChild<QDoubleSpinBox *>(QStringLiteral("price"));
        price->setValue(0.1);
        QCOMPARE(view.forecastModel()->index(2, ForecastModel::CostColumn).data(ForecastModel::ValueRole).toDouble(),
                 double(keep1) / double(1LL << 30) * 0.1);
        QTest::keyClick(keepFull, Qt::Key_Up);
        QTest::qWait(300);  // let the charts lay out their axes and legends before the picture
        QVERIFY(test::screenshot(&view, "wal-view.png"));

        const QString csv = m_dir.filePath(QStringLiteral("wal.csv")), png = m_dir.filePath(QStringLiteral("wal.png"));
        QVERIFY(view.exportCsv(csv));
        QVERIFY(view.exportPng(png));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 25);
        QImage img(png);
        QVERIFY(!img.isNull() && img.width() > 300);
        // How often to sample: kept for the next start.
        auto *interval = view.findChild<QSpinBox *>(QStringLiteral("sampleInterval"));
        interval->setValue(15);
        QCOMPARE(app::MetricSampler::configuredIntervalMinutes(), 15);
        interval->setValue(5);
        // Another range from the keyboard; redrawing the charts from the model must not stall the window.
        auto *range = view.findChild<QComboBox *>(QStringLiteral("range"));
        range->setFocus();
        test::EventLoopWatch watch;
        QTest::qWait(20);
        watch.reset();
        QTest::keyClick(range, Qt::Key_Down);
        QTest::qWait(50);
        qInfo("redrawing the charts paused the event loop for %lld ms", watch.worstGapMs());
        QVERIFY2(watch.worstGapMs() < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(watch.worstGapMs())));
        QCOMPARE(view.chartModel()->rowCount(), 28);
        QCOMPARE(qobject_cast<QBarSeries *>(view.charts()[0]->series().value(0))->barSets().first()->count(), 28);
    }

    void samplingNeverBlocksTheWindow()
    {
        // A server that never answers (a blackholed address) and a repository of many files: sampling both runs on
        // workers, and the event loop keeps turning; the sample is stored with the repository's size.
        test::TestWindow w;
        QVERIFY(w.app.open(m_dir.filePath(QStringLiteral("registry2.sqlite"))));
        const QString repo = m_dir.filePath(QStringLiteral("repo"));
        for (int d = 0; d < 40; ++d) {
            QDir().mkpath(repo + QStringLiteral("/d%1").arg(d));
            for (int i = 0; i < 100; ++i) {
                QFile f(repo + QStringLiteral("/d%1/f%2").arg(d).arg(i));
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(QByteArray(10, 'x'));
            }
        }
        app::ServerEntry e;
        e.name = QStringLiteral("far");
        e.conninfo = QStringLiteral("host=10.255.255.1 port=5432 connect_timeout=3");
        e.repoDir = repo;
        auto saved = w.app.registry().save(e);
        QVERIFY(saved);
        w.app.secrets().setTimeout(500);
        QSignalSpy sampled(&w.app.metrics(), &app::MetricSampler::sampled);
        test::EventLoopWatch watch;
        w.app.metrics().sampleAll();
        QVERIFY(sampled.wait(20000));
        QVERIFY2(watch.worstGapMs() < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(watch.worstGapMs())));
        const auto stored = app::MetricStore(w.app.registry()).samples(saved->id, QDateTime::currentDateTimeUtc().addSecs(-60),
                                                                       QDateTime::currentDateTimeUtc().addSecs(60));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(*stored[0].repoBytes, qint64(40 * 100 * 10));
        QVERIFY(!stored[0].walLsn);  // unreachable: no server numbers, and no invented ones
    }

    void samplesAreDownsampledAfterAWeek()
    {
        test::TestWindow w;
        QVERIFY(w.app.open(m_dir.filePath(QStringLiteral("registry3.sqlite"))));
        app::ServerEntry e;
        e.name = QStringLiteral("s");
        e.conninfo = QStringLiteral("host=/tmp");
        auto saved = w.app.registry().save(e);
        QVERIFY(saved);
        app::MetricStore store(w.app.registry());
        const QDateTime now = utc("2027-03-20T00:00:00Z");
        // 12 samples five minutes apart, 10 days ago; 3 an hour ago; one 500 days ago.
        for (int i = 0; i < 12; ++i) {
            app::MetricSample s = sample("2027-03-10T08:00:00Z", 100 + i, i, i % 4, i, 1000 + i);
            s.serverId = saved->id;
            s.takenAt = s.takenAt.addSecs(300 * i);
            QVERIFY(store.add(s));
        }
        for (int i = 0; i < 3; ++i) {
            app::MetricSample s = sample("2027-03-19T23:00:00Z", 1, 1, 1, 1, 1);
            s.serverId = saved->id;
            s.takenAt = s.takenAt.addSecs(60 * i);
            QVERIFY(store.add(s));
        }
        app::MetricSample ancient = sample("2025-11-01T00:00:00Z", 1, 1, 1, 1, 1);
        ancient.serverId = saved->id;
        QVERIFY(store.add(ancient));
        auto removed = store.compact(now);
        QVERIFY(removed);
        QCOMPARE(*removed, 12 + 1);
        const auto left = store.samples(saved->id, now.addYears(-3), now);
        QCOMPARE(left.size(), 1 + 3);
        QCOMPARE(left[0].takenAt, utc("2027-03-10T08:00:00Z"));
        QCOMPARE(left[0].spanSeconds, 3600);
        QCOMPARE(*left[0].walRecords, 111);  // the hour's last
        QCOMPARE(*left[0].readyCount, 3);    // the hour's worst
        QCOMPARE(*left[0].repoBytes, 1011);
        QCOMPARE(left[1].spanSeconds, 0);
        QCOMPARE(*store.compact(now), 0);    // again: nothing more to do
    }
};

QTEST_MAIN(TestWalView)
#include "tst_walview.moc"
