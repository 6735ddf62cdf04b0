// Finding and undoing a blunder from the desktop (issue 14), as a DBA works it: the Blunders tab lists the DROP TABLE with
// its time and zone, the kind filter narrows it, the details say what the transaction did, and Undo… checks the plan,
// restores into a scratch copy and copies the table back: the dialog shows the rows compared, and the table is back.
#include "CliRunner.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "blunders/BlunderModels.h"
#include "blunders/BlundersView.h"
#include "blunders/UndoDialog.h"
#include "restore/RestoreWizard.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>

using namespace pga;
using namespace pga::gui;

class TestBlundersView : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_c;
    QTemporaryDir m_dir;
    quint32 m_dropXid = 0;

private slots:
    void initTestCase()
    {
        // As installed: pgarchivist-cli on PATH (the scratch copy's restore_command names it).
        qputenv("PATH", QFileInfo(test::cliPath()).absolutePath().toLocal8Bit() + ':' + qgetenv("PATH"));
        test::TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        m_c = test::TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE invoices(id int PRIMARY KEY, total numeric)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO invoices SELECT g, g * 1.5 FROM generate_series(1, 3000) g")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE audit(id int)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO audit SELECT g FROM generate_series(1, 400) g")));
        auto b = test::cli({QStringLiteral("backup"), QStringLiteral("--repo"), m_c->repoDir(), QStringLiteral("--server"), QStringLiteral("main"),
                            QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
        m_dropXid = m_c->scalar(QStringLiteral("SELECT txid_current()")).toUInt() + 1;
        QVERIFY(m_c->query(QStringLiteral("DROP TABLE invoices")));
        QVERIFY(m_c->query(QStringLiteral("DELETE FROM audit WHERE id > 100")));
        QVERIFY(m_c->waitForArchived(m_c->switchWal()));
    }

    void findAndUndoFromTheDesktop()
    {
        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        QVERIFY(tw.addServer(QStringLiteral("main"), m_c->conninfo(), m_c->repoDir()));
        ServerView *sv = tw.window->serverView();
        BlundersView *view = sv->blunders();
        QAbstractItemModelTester modelTester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(view, &BlundersView::scanned);
        auto *tabs = sv->findChild<QTabWidget *>();
        tabs->setCurrentWidget(view);  // the tab reads the archive when first shown
        QVERIFY(scanned.wait(60000));
        QCOMPARE(view->table()->model()->rowCount(), 2);
        // Newest first: the DELETE of 300 rows, then the DROP TABLE; times with their zone (Europe/Helsinki here).
        QCOMPARE(view->table()->model()->index(0, BlundersModel::KindColumn).data().toString(), QStringLiteral("DELETE"));
        QCOMPARE(view->table()->model()->index(0, BlundersModel::RowsColumn).data().toString(), QLocale().toString(300));
        QCOMPARE(view->table()->model()->index(1, BlundersModel::ObjectsColumn).data().toString(), QStringLiteral("public.invoices"));
        QCOMPARE(view->table()->model()->index(1, BlundersModel::XidColumn).data().toString(), QString::number(m_dropXid));
        const QString time = view->table()->model()->index(1, BlundersModel::TimeColumn).data().toString();
        QVERIFY2(time.endsWith(QLatin1String("+02:00")) || time.endsWith(QLatin1String("+03:00")), qPrintable(time));

        // The row threshold and the kind filter, with the keyboard.
        view->minRowsBox()->setFocus();
        view->minRowsBox()->selectAll();
        QTest::keyClicks(view->minRowsBox(), QStringLiteral("301"));
        QCOMPARE(view->table()->model()->rowCount(), 1);
        view->minRowsBox()->setValue(100);
        view->kindBox()->setFocus();
        view->kindBox()->setCurrentIndex(view->kindBox()->findData(QStringLiteral("drop_table")));
        QCOMPARE(view->table()->model()->rowCount(), 1);

        // Details of the DROP: what the transaction did, and that its statement is not in the WAL.
        view->table()->setFocus();
        view->table()->selectRow(0);
        QVERIFY(view->undoButton()->isEnabled() && view->restoreButton()->isEnabled());
        QVERIFY2(view->details()->toPlainText().contains(QLatin1String("not in the WAL")), qPrintable(view->details()->toPlainText()));
        QVERIFY(view->details()->toPlainText().contains(QLatin1String("public.invoices: 3,000 rows")) ||
                view->details()->toPlainText().contains(QLatin1String("public.invoices: 3000 rows")));
        // Restore to Just Before…: the wizard opens at that transaction, exclusive.
        QTest::mouseClick(view->restoreButton(), Qt::LeftButton);
        auto *wizard = test::openDialog<RestoreWizard>(view);
        QVERIFY(wizard);
        auto *target = qobject_cast<TargetPage *>(wizard->page(RestoreWizard::TargetPageId));
        QCOMPARE(target->xidEdit()->text(), QString::number(m_dropXid));
        QVERIFY(target->exclusiveBox()->isChecked());
        wizard->reject();
        view->kindBox()->setCurrentIndex(0);
        view->table()->selectRow(1);
        tw.window->resize(1180, 640);
        test::screenshot(tw.window.get(), "blunders.png");

        // Undo…: Check first (nothing restored), then Undo.
        QTest::mouseClick(view->undoButton(), Qt::LeftButton);
        auto *dlg = test::openDialog<UndoDialog>(view);
        QVERIFY(dlg);
        QAbstractItemModelTester planTester(dlg->planModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!dlg->undoButton()->isEnabled());
        QVERIFY2(dlg->commandEdit()->text().contains(QStringLiteral("--xid %1").arg(m_dropXid)), qPrintable(dlg->commandEdit()->text()));
        QTest::mouseClick(dlg->checkButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dlg->undoButton()->isEnabled() || dlg->statusLabel()->text().startsWith(QLatin1String("Refused")), 60000);
        QVERIFY2(dlg->undoButton()->isEnabled(), qPrintable(dlg->statusLabel()->text()));
        QCOMPARE(dlg->planModel()->rowCount(), 1);
        QCOMPARE(dlg->planModel()->index(0, UndoPlanModel::TargetColumn).data().toString(), QStringLiteral("public.invoices"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT to_regclass('invoices') IS NULL")), QStringLiteral("t"));
        // A changed choice needs a new check.
        QTest::keyClicks(dlg->asEdit(), QStringLiteral("invoices_back"));
        QVERIFY(!dlg->undoButton()->isEnabled());
        QTest::mouseClick(dlg->checkButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dlg->undoButton()->isEnabled(), 60000);
        QCOMPARE(dlg->planModel()->index(0, UndoPlanModel::TargetColumn).data().toString(), QStringLiteral("public.invoices_back"));
        QSignalSpy finished(dlg, &UndoDialog::runFinished);
        QTest::mouseClick(dlg->undoButton(), Qt::LeftButton);
        QVERIFY(finished.wait(180000));
        QVERIFY2(dlg->succeeded(), qPrintable(dlg->statusLabel()->text()));
        QCOMPARE(dlg->planModel()->index(0, UndoPlanModel::LiveColumn).data().toString(), QLocale().toString(3000));
        QCOMPARE(dlg->planModel()->index(0, UndoPlanModel::MatchColumn).data().toString(), QStringLiteral("identical"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM invoices_back")), QStringLiteral("3000"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM audit")), QStringLiteral("100"));  // nothing else moved
        dlg->resize(900, 480);
        test::screenshot(dlg, "undo-dialog.png");
        dlg->close();
    }
};

QTEST_MAIN(TestBlundersView)
#include "tst_blundersview.moc"
