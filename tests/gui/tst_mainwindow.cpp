// The main window as a DBA uses it: add a server through the dialog, test it, see it online;
// bad input keeps the dialog open with the reason; remove asks first. Real PostgreSQL, real keychain.
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "jobs/JobsModel.h"
#include "jobs/JobsPanel.h"
#include "Confirm.h"
#include "servers/ServerDialog.h"
#include "servers/ServerTreeModel.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>

using namespace pga;
using namespace pga::gui;

class TestMainWindow : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<app::AppContext> m_app;
    std::unique_ptr<MainWindow> m_window;

    ServerDialog *openAddDialog()
    {
        m_window->findChild<QAction *>(QStringLiteral("addServerAction"))->trigger();
        return test::openDialog<ServerDialog>(m_window.get());
    }
    static void fill(ServerDialog *d, const QString &name, const QString &group, const QString &conninfo,
                     const QString &password)
    {
        auto *nameEdit = d->findChild<QLineEdit *>(QStringLiteral("nameEdit"));
        auto *conninfoEdit = d->findChild<QLineEdit *>(QStringLiteral("conninfoEdit"));
        auto *passwordEdit = d->findChild<QLineEdit *>(QStringLiteral("passwordEdit"));
        nameEdit->clear();
        QTest::keyClicks(nameEdit, name);
        d->findChild<QComboBox *>(QStringLiteral("groupCombo"))->setCurrentText(group);
        conninfoEdit->clear();
        QTest::keyClicks(conninfoEdit, conninfo);
        passwordEdit->clear();
        QTest::keyClicks(passwordEdit, password);
    }
    static void save(ServerDialog *d)
    {
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
    }
    QString statusText(qint64 id) const
    {
        return m_window->serverModel()->indexOfServer(id, ServerTreeModel::StatusColumn).data().toString();
    }

private slots:
    void initTestCase()
    {
        QString why;
        m_cluster = test::TestCluster::create({}, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        QVERIFY(m_cluster->createRole(QStringLiteral("alice"), QStringLiteral("s3cret")));
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        MainWindow::Options o;
        o.offerSandbox = false;
        m_window = std::make_unique<MainWindow>(*m_app, o);
        new QAbstractItemModelTester(m_window->serverModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     m_window.get());
        new QAbstractItemModelTester(m_window->jobsPanel()->model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, m_window.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void addTestAndSeeOnline()
    {
        ServerDialog *d = openAddDialog();
        QVERIFY(d);
        fill(d, QStringLiteral("orders"), QStringLiteral("Production"), m_cluster->tcpConninfo(QStringLiteral("alice")),
             QStringLiteral("s3cret"));
        QSignalSpy tested(d, &ServerDialog::testFinished);
        QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("testButton")), Qt::LeftButton);
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.first().first().toBool(), true);
        QVERIFY2(d->resultText().contains(QStringLiteral("PostgreSQL 15")), qPrintable(d->resultText()));
        // The test ran as a job, visible in the jobs panel.
        auto *jobs = m_window->jobsPanel()->model();
        QVERIFY(jobs->rowCount() >= 1);
        QCOMPARE(jobs->index(jobs->rowCount() - 1, JobsModel::StateColumn).data().toString(), QStringLiteral("succeeded"));

        save(d);
        QTRY_VERIFY(!d->isVisible());
        auto saved = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(saved);
        QCOMPARE(saved->group, QStringLiteral("Production"));
        const QModelIndex idx = m_window->serverModel()->indexOfServer(saved->id);
        QVERIFY(idx.isValid());
        QCOMPARE(idx.parent().data().toString(), QStringLiteral("Production"));
        // The badge turns online with the password from the keychain.
        QTRY_COMPARE_WITH_TIMEOUT(statusText(saved->id), QStringLiteral("online"), 20000);
        QVERIFY(m_window->serverModel()->indexOfServer(saved->id, ServerTreeModel::VersionColumn).data().toString()
                    .startsWith(QStringLiteral("15.")));
        QCOMPARE(m_window->currentServer(), saved->id);
        QCOMPARE(m_window->serverView()->overviewValue(QStringLiteral("status")), QStringLiteral("online"));
        QVERIFY(!m_window->serverView()->overviewValue(QStringLiteral("sysid")).isEmpty());
    }

    void badInputKeepsTheDialogOpenWithTheReason()
    {
        ServerDialog *d = openAddDialog();
        QVERIFY(d);
        fill(d, QStringLiteral("typo"), QString(), QStringLiteral("host=localhost bogus=1"), QStringLiteral("pw"));
        save(d);
        QVERIFY(d->isVisible());
        QVERIFY2(d->resultText().contains(QStringLiteral("bogus")), qPrintable(d->resultText()));
        QCOMPARE(d->entry().name, QStringLiteral("typo"));  // nothing typed is lost
        QVERIFY(!m_app->registry().serverByName(QStringLiteral("typo")));

        fill(d, QStringLiteral("orders"), QString(), QStringLiteral("host=localhost"), QString());
        save(d);
        QVERIFY(d->isVisible());
        QVERIFY2(d->resultText().contains(QStringLiteral("already registered")), qPrintable(d->resultText()));

        // A wrong password: the test says so, and never echoes it.
        fill(d, QStringLiteral("wrongpw"), QString(), m_cluster->tcpConninfo(QStringLiteral("alice")),
             QStringLiteral("not-it"));
        QSignalSpy tested(d, &ServerDialog::testFinished);
        QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("testButton")), Qt::LeftButton);
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.first().first().toBool(), false);
        QVERIFY2(d->resultText().contains(QStringLiteral("password")), qPrintable(d->resultText()));
        QVERIFY(!d->resultText().contains(QStringLiteral("not-it")));
        d->reject();
    }

    void unreachableServerShowsWhy()
    {
        const int port = pg::pickFreePort();
        app::ServerEntry e;
        e.name = QStringLiteral("gone");
        e.conninfo = QStringLiteral("host=127.0.0.1 port=%1 user=x").arg(port);
        auto saved = m_app->registry().save(e);
        QVERIFY(saved);
        QTRY_VERIFY_WITH_TIMEOUT(statusText(saved->id).startsWith(QStringLiteral("unreachable")), 20000);
        QVERIFY2(statusText(saved->id).contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(statusText(saved->id)));
        const QString tip = m_window->serverModel()->indexOfServer(saved->id).data(Qt::ToolTipRole).toString();
        QVERIFY(tip.contains(QStringLiteral("Unreachable")));
    }

    void selectionSurvivesOtherChanges()
    {
        auto orders = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(orders);
        m_window->selectServer(orders->id);
        app::ServerEntry other;
        other.name = QStringLiteral("another");
        other.conninfo = QStringLiteral("host=127.0.0.1 port=1");
        QVERIFY(m_app->registry().save(other));  // the tree reloads
        QCOMPARE(m_window->currentServer(), orders->id);
        QCOMPARE(m_window->serverView()->server(), orders->id);
        QVERIFY(m_app->registry().remove(m_app->registry().serverByName(QStringLiteral("another"))->id));
    }

    void removeAsksFirst()
    {
        auto gone = m_app->registry().serverByName(QStringLiteral("gone"));
        QVERIFY(gone);
        m_window->selectServer(gone->id);
        setNextAnswer(QMessageBox::Cancel);
        m_window->removeServer();
        QTest::qWait(50);
        QVERIFY(m_app->registry().serverByName(QStringLiteral("gone")));
        QVERIFY(lastQuestion().contains(QStringLiteral("gone")));
        setNextAnswer(QMessageBox::Yes);
        m_window->removeServer();
        QTRY_VERIFY(!m_app->registry().serverByName(QStringLiteral("gone")));
        QVERIFY(!m_window->serverModel()->indexOfServer(gone->id).isValid());
    }

    void historyKeepsTheJobs()
    {
        const auto history = m_app->registry().jobHistory();
        QVERIFY(history.size() >= 2);
        bool sawFailure = false;
        for (const app::JobRecord &r : history)
            sawFailure |= r.state == QLatin1String("failed") && r.kind == QLatin1String("connection-test");
        QVERIFY(sawFailure);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_app.reset();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
