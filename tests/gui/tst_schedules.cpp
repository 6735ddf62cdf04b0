#include "GuiTestSupport.h"
#include "backups/BackupsView.h"
#include "schedule/ScheduleModel.h"
#include "schedule/ScheduleNotifier.h"
#include "schedule/SchedulesDialog.h"
#include "servers/ServerTreeModel.h"
#include "servers/ServerView.h"
#include "Confirm.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>

using namespace pga;
using namespace pga::gui;

// The Schedules dialog as a DBA uses it, with keys and clicks: add an expiry, see its next runs in the task's zone
// and local time, switch it off, remove it, install the systemd timer; and a failed scheduled run shows.
class TestSchedules : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::TestWindow m_w;
    qint64 m_server = 0;

    QPushButton *button(QWidget *in, const QString &text)
    {
        for (QPushButton *b : in->findChildren<QPushButton *>())
            if (b->text().remove(QLatin1Char('&')) == text)
                return b;
        return nullptr;
    }
    SchedulesDialog *openSchedules()
    {
        auto *view = m_w.window->findChild<BackupsView *>();
        auto *tabs = m_w.window->serverView()->findChild<QTabWidget *>();
        tabs->setCurrentWidget(view);
        auto *b = view->findChild<QToolButton *>(QStringLiteral("schedulesButton"));
        if (!b)
            return nullptr;
        QTest::mouseClick(b, Qt::LeftButton);
        return test::openDialog<SchedulesDialog>(m_w.window.get());
    }

private slots:
    void initTestCase()
    {
        gui::MainWindow::Options o;
        QVERIFY(m_w.open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        m_w.app.scheduler().stopAutoRun();  // this test says when tasks run
        m_server = m_w.addServer(QStringLiteral("prod"), QStringLiteral("host=127.0.0.1 port=1 user=postgres connect_timeout=2"),
                                 m_dir.filePath(QStringLiteral("repo")));
        QVERIFY(m_server > 0);
    }

    void addEditDisableRemoveATask()
    {
        SchedulesDialog *d = openSchedules();
        QVERIFY(d);
        QAbstractItemModelTester tester(d->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(d->model()->rowCount(), 0);

        QTest::mouseClick(button(d, QStringLiteral("Add…")), Qt::LeftButton);
        auto *editor = test::openDialog<TaskEditor>(d);
        QVERIFY(editor);
        auto *kind = editor->findChild<QComboBox *>(QStringLiteral("kind"));
        kind->setFocus();
        while (kind->currentData().toString() != QLatin1String("expire"))
            QTest::keyClick(kind, Qt::Key_Down);
        auto *calendar = editor->findChild<QLineEdit *>(QStringLiteral("calendar"));
        calendar->selectAll();
        QTest::keyClicks(calendar, QStringLiteral("Sun *-*-* 01:00 Euro"));
        QPushButton *ok = button(editor, QStringLiteral("OK"));
        QVERIFY(!ok->isEnabled());  // not a zone yet, and an expiry without retention
        QTest::keyClicks(calendar, QStringLiteral("pe/Berlin"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(editor->preview().contains(QStringLiteral("retention")), qPrintable(editor->preview()));
        auto *keep = editor->findChild<QSpinBox *>(QStringLiteral("retainFull"));
        keep->setFocus();
        keep->selectAll();
        QTest::keyClicks(keep, QStringLiteral("7"));
        QVERIFY(ok->isEnabled());
        // Five Sundays at 01:00 Berlin time, each also in local time (the test runs in Sao Paulo time).
        const QStringList preview = editor->preview().split(QLatin1Char('\n'));
        QCOMPARE(preview.size(), 5);
        QVERIFY2(preview[0].startsWith(QStringLiteral("Sun ")) && preview[0].contains(QStringLiteral("01:00:00 CE")), qPrintable(preview[0]));
        QVERIFY2(preview[0].contains(QStringLiteral("local: Sat ")) && preview[0].contains(QStringLiteral("-03")), qPrintable(preview[0]));
        QVERIFY(test::screenshot(editor, "schedule-task-editor.png"));
        QTest::mouseClick(ok, Qt::LeftButton);

        QCOMPARE(d->model()->rowCount(), 1);
        QCOMPARE(d->model()->index(0, ScheduleModel::TaskColumn).data().toString(), QStringLiteral("Expire (keep 7 backups)"));
        QCOMPARE(d->model()->index(0, ScheduleModel::CalendarColumn).data().toString(), QStringLiteral("Sun *-*-* 01:00:00 Europe/Berlin"));
        QCOMPARE(d->nextRuns().size(), 5);
        const auto tasks = app::ScheduleStore(m_w.app.registry()).tasks(m_server);
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks[0].retainFull, 7);
        QVERIFY(d->statusText().contains(QStringLiteral("Added")));
        QVERIFY(test::screenshot(d, "schedules-dialog.png"));

        // Switched off in place, with the keyboard on the "On" cell.
        d->table()->setFocus();
        d->table()->setCurrentIndex(d->model()->index(0, ScheduleModel::EnabledColumn));
        QTest::keyClick(d->table(), Qt::Key_Space);
        QVERIFY(!app::ScheduleStore(m_w.app.registry()).task(tasks[0].id)->enabled);
        QCOMPARE(d->model()->index(0, ScheduleModel::NextColumn).data().toString(), QStringLiteral("off"));
        QTest::keyClick(d->table(), Qt::Key_Space);  // and on again: the next Sunday, in Berlin time
        QVERIFY(app::ScheduleStore(m_w.app.registry()).task(tasks[0].id)->enabled);
        QVERIFY(d->model()->index(0, ScheduleModel::NextColumn).data().toString().startsWith(QStringLiteral("Sun ")));
        QTest::keyClick(d->table(), Qt::Key_Space);

        // Edit: double-click opens the editor with the task.
        d->table()->selectRow(0);
        QTest::mouseClick(button(d, QStringLiteral("Edit…")), Qt::LeftButton);
        editor = test::openDialog<TaskEditor>(d);
        QVERIFY(editor);
        QCOMPARE(editor->findChild<QSpinBox *>(QStringLiteral("retainFull"))->value(), 7);
        editor->findChild<QSpinBox *>(QStringLiteral("retainFull"))->setValue(3);
        QTest::mouseClick(button(editor, QStringLiteral("OK")), Qt::LeftButton);
        QCOMPARE(app::ScheduleStore(m_w.app.registry()).task(tasks[0].id)->retainFull, 3);

        d->table()->selectRow(0);
        setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(button(d, QStringLiteral("Remove")), Qt::LeftButton);
        QTRY_COMPARE(d->model()->rowCount(), 0);
        QVERIFY(app::ScheduleStore(m_w.app.registry()).tasks(m_server).isEmpty());
        d->close();
    }

    void installsTheSystemdUserTimer()
    {
        SchedulesDialog *d = openSchedules();
        QVERIFY(d);
        QTest::mouseClick(button(d, QStringLiteral("Install as systemd timer…")), Qt::LeftButton);
        auto *timer = test::openDialog<QDialog>(d);
        QVERIFY(timer && timer->objectName() == QLatin1String("timerDialog"));
        const QString units = timer->findChild<QPlainTextEdit *>(QStringLiteral("units"))->toPlainText();
        QVERIFY2(units.contains(QStringLiteral("schedule run-due")) && units.contains(QStringLiteral("OnCalendar=")), qPrintable(units));
        QTest::mouseClick(timer->findChild<QPushButton *>(QStringLiteral("install")), Qt::LeftButton);
        const QString dir = QDir::homePath() + QStringLiteral("/.config/systemd/user");
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/pgarchivist-schedule.timer")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/pgarchivist-schedule.service")));
        QVERIFY2(d->statusText().contains(QStringLiteral("systemctl --user")), qPrintable(d->statusText()));
        d->close();
    }

    void aFailedScheduledRunNotifiesAndMarksTheServer()
    {
        // A daily backup of a server nothing listens for, missed yesterday: run by the app, once, and failed.
        app::ScheduledTask t;
        t.serverId = m_server;
        t.kind = QStringLiteral("backup");
        t.calendar = QStringLiteral("daily UTC");
        t.createdAt = QDateTime::currentDateTimeUtc().addDays(-2);
        auto added = app::ScheduleStore(m_w.app.registry()).add(t);
        QVERIFY(added);
        // The window runs due tasks by itself (as MainWindow starts it; here every 100 ms instead of 30 s).
        QSignalSpy finished(&m_w.app.scheduler(), &app::Scheduler::taskFinished);
        m_w.app.scheduler().startAutoRun(100);
        QVERIFY(finished.wait(60000));
        m_w.app.scheduler().stopAutoRun();
        QCOMPARE(finished.count(), 1);  // once, although the timer looked again meanwhile
        QVERIFY(!m_w.window->scheduleNotifier()->lastMessage().isEmpty());
        QVERIFY2(m_w.window->scheduleNotifier()->lastMessage().contains(QStringLiteral("Back up prod")),
                 qPrintable(m_w.window->scheduleNotifier()->lastMessage()));
        const QModelIndex row = m_w.window->serverModel()->indexOfServer(m_server);
        QVERIFY2(row.data(ServerTreeModel::FailedTaskRole).toString().startsWith(QStringLiteral("backup: ")),
                 qPrintable(row.data(ServerTreeModel::FailedTaskRole).toString()));
        QVERIFY(row.data(Qt::ToolTipRole).toString().contains(QStringLiteral("A scheduled task failed")));
        // The dialog shows how the last run went.
        SchedulesDialog *d = openSchedules();
        QVERIFY(d);
        QCOMPARE(d->model()->rowCount(), 1);
        QVERIFY2(d->model()->index(0, ScheduleModel::LastColumn).data().toString().startsWith(QStringLiteral("failed")),
                 qPrintable(d->model()->index(0, ScheduleModel::LastColumn).data().toString()));
        QVERIFY(d->model()->index(0, ScheduleModel::LastColumn).data(ScheduleModel::FailedRole).toBool());
        d->close();
    }
};

QTEST_MAIN(TestSchedules)
#include "tst_schedules.moc"
