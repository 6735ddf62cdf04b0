#include "CliRunner.h"
#include "GuiTestSupport.h"
#include "TestCluster.h"
#include "calendar/CalendarModel.h"
#include "calendar/CalendarView.h"
#include "pg/ClientTools.h"
#include "restore/RestoreWizard.h"
#include "servers/ServerView.h"
#include "wal/WalView.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>

using namespace pga;
using namespace pga::gui;

namespace {
QDateTime utc(const char *iso) { return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC(); }
app::JobRecord job(qint64 id, const char *kind, const char *state, const char *start, const char *end)
{
    app::JobRecord r;
    r.id = id;
    r.kind = QString::fromLatin1(kind);
    r.title = QStringLiteral("%1 of db1").arg(r.kind);
    r.state = QString::fromLatin1(state);
    r.startedAt = utc(start);
    r.finishedAt = utc(end);
    r.message = QStringLiteral("what happened");
    return r;
}
} // namespace

// The backup calendar: exact marks from synthetic data (days are Berlin days: the test runs in Berlin time), and
// the real view on a real repository, driven with keys and clicks.
class TestCalendar : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void marksFromSyntheticData()
    {
        CalendarModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setToday(QDate(2027, 3, 10));
        m.setMonth(QDate(2027, 3, 17));
        QCOMPARE(m.firstDay(), QDate(2027, 3, 1));  // a Monday
        QCOMPARE(m.lastDay(), QDate(2027, 4, 11));
        CalendarData d;
        engine::BackupListing b1, b2;
        b1.id = QStringLiteral("b1");
        b1.stopTimeUtc = utc("2027-03-02T23:30:00Z");  // 00:30 on the 3rd in Berlin
        b1.status = QStringLiteral("ok");
        b2.id = QStringLiteral("b2");
        b2.stopTimeUtc = utc("2027-03-10T10:00:00Z");
        b2.status = QStringLiteral("ok");
        d.backups = {b1, b2};
        d.jobs = {job(7, "backup", "failed", "2027-03-05T00:59:00Z", "2027-03-05T01:00:00Z"),
                  job(8, "verify", "succeeded", "2027-03-10T11:59:00Z", "2027-03-10T12:00:00Z"),
                  job(9, "drill", "failed", "2027-03-12T02:55:00Z", "2027-03-12T03:00:00Z"),
                  job(10, "backup", "succeeded", "2027-03-10T09:50:00Z", "2027-03-10T10:00:00Z")};
        d.planned = {qMakePair(utc("2027-03-28T00:30:00Z"), QStringLiteral("backup at daily"))};
        d.gapTimes = {utc("2027-03-15T08:00:00Z")};
        d.windows = {qMakePair(utc("2027-03-02T23:30:00Z"), utc("2027-03-12T15:00:00Z"))};
        d.expiring = {QStringLiteral("b1")};
        m.setData(d);
        const auto at = [&](int day, int role) { return m.indexOf(QDate(2027, 3, day)).data(role); };
        QCOMPARE(at(3, CalendarModel::BackupsRole).toInt(), 1);
        QCOMPARE(at(2, CalendarModel::BackupsRole).toInt(), 0);
        QCOMPARE(at(3, CalendarModel::ExpiringRole).toInt(), 1);
        QCOMPARE(at(10, CalendarModel::BackupsRole).toInt(), 1);  // the catalog's, not again the job's
        QCOMPARE(at(10, CalendarModel::VerifiesRole).toInt(), 1);
        QCOMPARE(at(10, CalendarModel::FailedRole).toBool(), false);
        QCOMPARE(at(10, CalendarModel::TodayRole).toBool(), true);
        QCOMPARE(at(5, CalendarModel::BackupsFailedRole).toInt(), 1);
        QCOMPARE(at(5, CalendarModel::FailedRole).toBool(), true);
        QCOMPARE(at(12, CalendarModel::DrillsRole).toInt(), 1);
        QCOMPARE(at(12, CalendarModel::FailedRole).toBool(), true);
        QVERIFY2(at(12, CalendarModel::EventsRole).toStringList().join(QLatin1Char('|')).contains(QStringLiteral("in 5 min")),
                 qPrintable(at(12, CalendarModel::EventsRole).toStringList().join(QLatin1Char('|'))));
        QCOMPARE(at(28, CalendarModel::PlannedRole).toInt(), 1);
        QCOMPARE(at(15, CalendarModel::GapRole).toBool(), true);
        QCOMPARE(at(3, CalendarModel::RecoverableRole).toInt(), 1);
        QCOMPARE(at(4, CalendarModel::RecoverableRole).toInt(), 2);
        QCOMPARE(at(11, CalendarModel::RecoverableRole).toInt(), 2);
        QCOMPARE(at(12, CalendarModel::RecoverableRole).toInt(), 1);
        QCOMPARE(at(13, CalendarModel::RecoverableRole).toInt(), 0);
        QCOMPARE(*m.latestRecoverable(QDate(2027, 3, 12)), utc("2027-03-12T15:00:00Z").toMSecsSinceEpoch() * 1000);
        QCOMPARE(*m.latestRecoverable(QDate(2027, 3, 4)), QDate(2027, 3, 5).startOfDay().toMSecsSinceEpoch() * 1000 - 1);
        QVERIFY(!m.latestRecoverable(QDate(2027, 3, 13)));
        QCOMPARE(m.indexOf(QDate(2027, 4, 1)).data(CalendarModel::InMonthRole).toBool(), false);
        QCOMPARE(m.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QLocale().dayName(1, QLocale::ShortFormat));
        const QList<CalendarEvent> events = m.events(QDate(2027, 3, 10));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, CalendarEvent::Kind::Backup);  // in time order
        QCOMPARE(events[1].jobId, 8);
        // The what-if: nothing expires.
        m.setExpiring({});
        QCOMPARE(at(3, CalendarModel::ExpiringRole).toInt(), 0);

        DayEventsModel day;
        QAbstractItemModelTester dayTester(&day, QAbstractItemModelTester::FailureReportingMode::QtTest);
        day.setEvents(m.events(QDate(2027, 3, 12)));
        QCOMPARE(day.rowCount(), 1);
        QCOMPARE(day.index(0).data(DayEventsModel::FailedRole).toBool(), true);
        QCOMPARE(day.index(0).data(DayEventsModel::JobIdRole).toLongLong(), 9);
    }

    void realCalendarOfARealRepository()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        qputenv("PATH", QFileInfo(test::cliPath()).absolutePath().toLocal8Bit() + ':' + qgetenv("PATH"));
        test::TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        auto c = test::TestCluster::create(o, &why);
        if (!c)
            QSKIP(qPrintable(why));
        const QStringList rs{QStringLiteral("--repo"), c->repoDir(), QStringLiteral("--server"), QStringLiteral("main")};
        for (int i = 0; i < 2; ++i) {
            QVERIFY(c->query(QStringLiteral("CREATE TABLE IF NOT EXISTS t(i int)")));
            QVERIFY(c->query(QStringLiteral("INSERT INTO t VALUES (1)")));
            auto b = test::cli(QStringList{QStringLiteral("backup")} + rs + QStringList{QStringLiteral("--conninfo"), c->conninfo()});
            QVERIFY2(b.code == 0, b.err.constData());
        }
        QVERIFY(c->waitForArchived(c->switchWal()));

        test::TestWindow w;
        QVERIFY(w.open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        w.app.scheduler().stopAutoRun();
        w.app.metrics().stop();
        w.window->resize(1280, 820);
        const qint64 id = w.addServer(QStringLiteral("main"), c->conninfo(), c->repoDir());
        QVERIFY(id > 0);
        // A scheduled verify of a backup that is not there fails today; a daily backup is planned.
        app::ScheduleStore store(w.app.registry());
        app::ScheduledTask verify;
        verify.serverId = id;
        verify.kind = QStringLiteral("verify");
        verify.backupId = QStringLiteral("gone");
        verify.calendar = QStringLiteral("minutely UTC");
        verify.createdAt = QDateTime::currentDateTimeUtc().addSecs(-120);
        QVERIFY(store.add(verify));
        app::ScheduledTask daily;
        daily.serverId = id;
        daily.kind = QStringLiteral("backup");
        daily.calendar = QStringLiteral("*-*-* 23:59:59");
        QVERIFY(store.add(daily));
        QSignalSpy finished(&w.app.scheduler(), &app::Scheduler::taskFinished);
        QCOMPARE(w.app.scheduler().runDue(), 1);
        QVERIFY(finished.wait(30000));

        ServerView *sv = w.window->serverView();
        CalendarView *cal = sv->calendar();
        QSignalSpy loaded(cal, &CalendarView::loaded);
        sv->tabs()->setCurrentWidget(cal);
        QVERIFY(loaded.wait(30000) || loaded.count() > 0);
        QTRY_VERIFY(loaded.count() > 0 && !cal->model()->calendarData().backups.isEmpty());
        QAbstractItemModelTester tester(cal->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDate today = QDate::currentDate();
        const QModelIndex cell = cal->model()->indexOf(today);
        QCOMPARE(cal->findChild<QLabel *>(QStringLiteral("monthTitle"))->text(), QLocale().toString(today, QStringLiteral("MMMM yyyy")));
        QCOMPARE(cell.data(CalendarModel::BackupsRole).toInt(), 2);
        QVERIFY(cell.data(CalendarModel::RecoverableRole).toInt() >= 1);
        QCOMPARE(cell.data(CalendarModel::VerifiesRole).toInt(), 1);
        QCOMPARE(cell.data(CalendarModel::FailedRole).toBool(), true);
        QCOMPARE(cell.data(CalendarModel::PlannedRole).toInt(), 2);  // the daily backup at 23:59:59, and the verify every minute
        QVERIFY(cal->model()->events(today).size() < 10);  // the minutely one is one line, not hundreds

        // Keyboard: Home selects today and lists its events; Page Down and Up move a month and back.
        cal->grid()->setFocus();
        QTest::keyClick(cal->grid(), Qt::Key_Home);
        QCOMPARE(cal->selectedDay(), today);
        QVERIFY(cal->dayModel()->rowCount() >= 4);  // two backups, the failed verify, the planned backup
        QVERIFY(test::screenshot(w.window.get(), "calendar.png"));
        // The month buttons page too, and stay on the month they show once it has loaded.
        QSignalSpy paged(cal, &CalendarView::loaded);
        QPushButton *next = nullptr;
        for (QPushButton *b : cal->findChildren<QPushButton *>())
            if (b->accessibleName() == QLatin1String("Next month"))
                next = b;
        QVERIFY(next);
        QTest::mouseClick(next, Qt::LeftButton);
        QVERIFY(paged.wait(30000));
        QCOMPARE(cal->model()->month(), QDate(today.year(), today.month(), 1).addMonths(1));
        QCOMPARE(cal->selectedDay(), QDate(today.year(), today.month(), 1).addMonths(1));
        QTest::keyClick(cal->grid(), Qt::Key_Home);
        QCOMPARE(cal->selectedDay(), today);
        QTest::keyClick(cal->grid(), Qt::Key_PageDown);
        QCOMPARE(cal->model()->month(), QDate(today.year(), today.month(), 1).addMonths(1));
        QSignalSpy back(cal, &CalendarView::loaded);
        QTest::keyClick(cal->grid(), Qt::Key_PageUp);
        QVERIFY(back.wait(30000));
        QCOMPARE(cal->selectedDay(), today.addMonths(1).addMonths(-1));
        QCOMPARE(cal->model()->indexOf(today).data(CalendarModel::BackupsRole).toInt(), 2);
        cal->selectDay(today);

        // The failed verify's log, from the day's list.
        auto *events = cal->findChild<QListView *>(QStringLiteral("dayEvents"));
        int failedRow = -1;
        for (int r = 0; r < cal->dayModel()->rowCount(); ++r)
            if (cal->dayModel()->index(r).data(DayEventsModel::FailedRole).toBool())
                failedRow = r;
        QVERIFY(failedRow >= 0);
        events->setCurrentIndex(cal->dayModel()->index(failedRow));
        QTest::mouseClick(cal->findChild<QPushButton *>(QStringLiteral("openLog")), Qt::LeftButton);
        auto *log = test::openDialog<QDialog>(cal);
        QVERIFY(log && log->objectName() == QLatin1String("jobLog"));
        QVERIFY(log->findChild<QPlainTextEdit *>()->toPlainText().contains(QStringLiteral("gone")));
        log->close();

        // What if expire kept one backup: today's older backup shows as expiring, and nothing is applied.
        sv->tabs()->setCurrentWidget(sv->wal());
        auto *keepFull = sv->wal()->findChild<QSpinBox *>(QStringLiteral("keepFull"));
        keepFull->setValue(1);
        QCOMPARE(cal->model()->indexOf(today).data(CalendarModel::ExpiringRole).toInt(), 1);
        keepFull->setValue(2);
        QCOMPARE(cal->model()->indexOf(today).data(CalendarModel::ExpiringRole).toInt(), 0);
        auto info = test::cli(QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs);
        QCOMPARE(QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray().size(), 2);
        sv->tabs()->setCurrentWidget(cal);

        // Restore to this day: the wizard opens at the day's latest recoverable moment.
        QTest::mouseClick(cal->findChild<QPushButton *>(QStringLiteral("restoreToDay")), Qt::LeftButton);
        auto *wizard = test::openDialog<RestoreWizard>(cal);
        QVERIFY(wizard);
        auto *page = qobject_cast<TargetPage *>(wizard->page(RestoreWizard::TargetPageId));
        QCOMPARE(page->kindBox()->currentData().toInt(), int(engine::RecoveryTarget::Kind::Time));
        QVERIFY2(!page->timeEdit()->text().isEmpty(), "the day's moment is filled in");
        wizard->close();

        // All servers: the same day, every server's marks.
        QSignalSpy reloaded(cal, &CalendarView::loaded);
        cal->setAllServers(true);
        QVERIFY(reloaded.wait(30000));
        QCOMPARE(cal->model()->indexOf(today).data(CalendarModel::BackupsRole).toInt(), 2);
        for (const CalendarEvent &e : cal->model()->events(today))
            QVERIFY2(e.text.contains(QStringLiteral("main: ")), qPrintable(e.text));  // whose it is
        cal->setAllServers(false);
    }
};

QTEST_MAIN(TestCalendar)
#include "tst_calendar.moc"
