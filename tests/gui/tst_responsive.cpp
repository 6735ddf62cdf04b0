// The GUI thread never waits on PostgreSQL: while a connection attempt hangs (a listener that
// accepts and never answers), the event loop keeps turning, and Cancel stops the attempt at once.
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "app/AppContext.h"
#include "jobs/JobsModel.h"
#include "jobs/JobsPanel.h"
#include "servers/ServerDialog.h"
#include "servers/ServerTreeModel.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QPushButton>
#include <QTcpServer>
#include <QTcpSocket>

using namespace pga;
using namespace pga::gui;

class TestResponsive : public QObject {
    Q_OBJECT

private slots:
    void eventLoopTurnsWhileAConnectionHangs()
    {
        QTcpServer silent;  // accepts, reads nothing, answers nothing
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection())
                held << s;
        });
        QTemporaryDir dir;
        app::AppContext app;
        QVERIFY(app.open(dir.filePath(QStringLiteral("r.sqlite"))));
        MainWindow::Options o;
        o.offerSandbox = false;
        MainWindow window(app, o);
        QAbstractItemModelTester tree(window.serverModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester jobs(window.jobsPanel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        test::EventLoopWatch watch;
        const QString conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=x connect_timeout=30 sslmode=disable")
                                     .arg(silent.serverPort());
        // A registered server pointing at it: the status check hangs too.
        app::ServerEntry e;
        e.name = QStringLiteral("hangs");
        e.conninfo = conninfo;
        QVERIFY(app.registry().save(e));

        window.addServer();
        auto *d = test::openDialog<ServerDialog>(&window);
        QVERIFY(d);
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("nameEdit")), QStringLiteral("hangs too"));
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("conninfoEdit")), conninfo);
        QSignalSpy tested(d, &ServerDialog::testFinished);
        auto *testButton = d->findChild<QPushButton *>(QStringLiteral("testButton"));
        watch.reset();
        QTest::mouseClick(testButton, Qt::LeftButton);
        QTRY_VERIFY(held.size() >= 2);  // both attempts reached the listener and now wait
        QVERIFY(d->isTesting());
        QTest::qWait(1500);             // ... and hang; meanwhile the GUI must keep turning
        QVERIFY(tested.isEmpty());
        QVERIFY2(watch.worstGapMs() < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(watch.worstGapMs())));

        // The button now cancels; the job ends promptly as cancelled.
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(testButton, Qt::LeftButton);
        QVERIFY(tested.wait(5000));
        QVERIFY(t.elapsed() < 3000);
        QCOMPARE(tested.first().first().toBool(), false);
        QVERIFY2(d->resultText().contains(QStringLiteral("cancelled")), qPrintable(d->resultText()));
        auto *model = window.jobsPanel()->model();
        QCOMPARE(model->index(model->rowCount() - 1, JobsModel::StateColumn).data().toString(), QStringLiteral("cancelled"));
        QVERIFY2(watch.worstGapMs() < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(watch.worstGapMs())));
        d->reject();
    }
};

QTEST_MAIN(TestResponsive)
#include "tst_responsive.moc"
