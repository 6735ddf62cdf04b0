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
#include <QDir>
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

    // A damaged registry and a keychain that is not there: the window says so, and keeps working.
    void damagedRegistryAndMissingKeychainAreShown()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.sqlite"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, '\x7f'));
        f.close();
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.filePath(QStringLiteral("no-bus")).toLocal8Bit());
        app::AppContext app;
        app.secrets().setTimeout(2000);
        QVERIFY(app.open(path));
        MainWindow::Options o;
        o.offerSandbox = false;
        MainWindow window(app, o);
        window.show();
        QVERIFY2(window.noticeText().contains(QStringLiteral("damaged")), qPrintable(window.noticeText()));
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("r.sqlite.corrupt-*")}).size(), 1);

        // Saving a server with a password: the keychain cannot take it; the session keeps it and says so.
        window.addServer();
        auto *d = test::openDialog<ServerDialog>(&window);
        QVERIFY(d);
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("nameEdit")), QStringLiteral("db1"));
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("conninfoEdit")), QStringLiteral("host=127.0.0.1 port=1"));
        QTest::keyClicks(d->findChild<QLineEdit *>(QStringLiteral("passwordEdit")), QStringLiteral("pw"));
        d->accept();
        QTRY_VERIFY(app.registry().serverByName(QStringLiteral("db1")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(window.noticeText().contains(QStringLiteral("in memory only")), 10000);
        const auto saved = *app.registry().serverByName(QStringLiteral("db1"));
        QVERIFY(app.secrets().isMemoryOnly(saved.secretKey));
    }
};

QTEST_MAIN(TestResponsive)
#include "tst_responsive.moc"
