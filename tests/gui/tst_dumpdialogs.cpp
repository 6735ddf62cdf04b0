// Dumps from the desktop as a DBA works them (issue 13): Dump… with the databases as a checklist (Space unchecks one),
// the dump in the catalog with its kind and the kind filter, then Restore Dump… with one table picked in the table of
// contents into a new database, and the rows there checked on the server.
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "backups/BackupsModel.h"
#include "backups/BackupsView.h"
#include "backups/ColdBackupDialog.h"
#include "backups/DumpDialog.h"
#include "backups/DumpModels.h"
#include "backups/RestoreDumpDialog.h"
#include "calendar/CalendarModel.h"
#include "pg/Connection.h"
#include "repo/Repository.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>

using namespace pga;
using namespace pga::gui;

class TestDumpDialogs : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    QString m_repo;

    QString scalar(const QString &db, const QString &sql) { return test::TestCluster::scalarAt(m_cluster->conninfo(db), sql); }
    static QModelIndex find(QAbstractItemModel *m, const QString &text, const QModelIndex &parent = {})
    {
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            if (i.data().toString() == text)
                return i;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QString why;
        m_cluster = test::TestCluster::create({}, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        m_repo = m_cluster->makeServerWritableDir(QStringLiteral("repo"));
        QVERIFY(repo::Repository::init(m_repo));
        QVERIFY(m_cluster->query(QStringLiteral("CREATE DATABASE shop")));
        QVERIFY(m_cluster->query(QStringLiteral("CREATE DATABASE scratchpad")));
        auto c = pg::Connection::connect({m_cluster->conninfo(QStringLiteral("shop"))});
        QVERIFY(c);
        for (const char *sql : {"CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note FROM generate_series(1, 20000) g",
                                "CREATE SCHEMA stock", "CREATE TABLE stock.items AS SELECT 'sku' || g AS sku, g % 7 AS qty FROM generate_series(1, 500) g"})
            QVERIFY2((*c)->exec(QString::fromLatin1(sql)), sql);
    }

    void dumpThenRestoreOneTable()
    {
        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        MainWindow &window = *tw.window;
        QVERIFY(tw.addServer(QStringLiteral("shopdb"), m_cluster->conninfo(), m_repo));
        BackupsView *view = window.serverView()->backups();
        QAbstractItemModelTester catalogTester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view->table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Dump…: every database is checked; the DBA unchecks "scratchpad" with the keyboard.
        auto *dumpButton = view->findChild<QToolButton *>(QStringLiteral("dumpButton"));
        QVERIFY(dumpButton && dumpButton->isEnabled());
        QTest::mouseClick(dumpButton, Qt::LeftButton);
        auto *dlg = test::openDialog<DumpDialog>(view);
        QVERIFY(dlg);
        QAbstractItemModelTester dbTester(dlg->databases(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        if (!dlg->databasesLoaded())
            QVERIFY(QSignalSpy(dlg, &DumpDialog::databasesShown).wait(30000));
        QVERIFY2(dlg->databases()->rowCount() >= 3, qPrintable(dlg->statusText()));
        QVERIFY(dlg->databases()->allChecked());
        QVERIFY2(dlg->commandLine().contains(QLatin1String(" --all")), qPrintable(dlg->commandLine()));
        auto *list = dlg->findChild<QTableView *>(QStringLiteral("databaseList"));
        const QModelIndex scratch = find(dlg->databases(), QStringLiteral("scratchpad"));
        QVERIFY(scratch.isValid());
        list->setFocus();
        list->setCurrentIndex(scratch);
        QTest::keyClick(list, Qt::Key_Space);
        QVERIFY(!dlg->databases()->checkedNames().contains(QStringLiteral("scratchpad")));
        QVERIFY2(dlg->commandLine().contains(QLatin1String("--database shop")) && !dlg->commandLine().contains(QLatin1String("scratchpad")),
                 qPrintable(dlg->commandLine()));
        QSignalSpy finished(view, &BackupsView::actionFinished);
        QTest::mouseClick(dlg->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("dump"));
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(view->statusText()));
        QVERIFY(QSignalSpy(view, &BackupsView::catalogShown).wait(30000) || view->model()->rowCount() > 0);
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, BackupsModel::KindColumn).data().toString(), QStringLiteral("dump"));
        QVERIFY(view->model()->index(0, BackupsModel::LabelColumn).data().toString().contains(QLatin1String("shop")));
        QVERIFY(!view->model()->index(0, BackupsModel::LabelColumn).data().toString().contains(QLatin1String("scratchpad")));

        // The kind filter: no base backups here, one dump.
        view->kindFilter()->setCurrentIndex(view->kindFilter()->findData(QStringLiteral("base")));
        QCOMPARE(view->table()->model()->rowCount(), 0);
        view->kindFilter()->setCurrentIndex(view->kindFilter()->findData(QStringLiteral("dump")));
        QCOMPARE(view->table()->model()->rowCount(), 1);

        // Restore Dump… of the selected dump: only stock.items (and its schema), into a new database.
        view->table()->setCurrentIndex(view->table()->model()->index(0, 0));
        view->resize(1180, 420);
        test::screenshot(view, "backups-dumps.png");
        auto *restoreButton = view->findChild<QToolButton *>(QStringLiteral("restoreDumpButton"));
        QVERIFY(restoreButton->isEnabled());
        QTest::mouseClick(restoreButton, Qt::LeftButton);
        auto *rd = view->findChild<RestoreDumpDialog *>();
        QVERIFY(rd);
        QAbstractItemModelTester tocTester(rd->toc(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy tocShown(rd, &RestoreDumpDialog::tocShown);
        QVERIFY(tocShown.wait(30000));
        QVERIFY2(rd->toc()->rowCount() >= 2, qPrintable(rd->statusText()));
        QVERIFY(rd->toc()->allChecked());
        for (QPushButton *b : rd->findChildren<QPushButton *>())
            if (b->text().remove(QLatin1Char('&')) == QLatin1String("Select none"))
                QTest::mouseClick(b, Qt::LeftButton);
        QVERIFY(rd->toc()->checkedIds().isEmpty());
        QVERIFY(!rd->findChild<QPushButton *>(QStringLiteral("restoreButton"))->isEnabled());
        QTreeView *tree = rd->tree();
        tree->setFocus();
        const QModelIndex stockGroup = find(rd->toc(), QStringLiteral("stock"));
        const QModelIndex items = find(rd->toc(), QStringLiteral("items"), stockGroup);
        const QModelIndex outside = find(rd->toc(), QStringLiteral("(outside any schema)"));
        const QModelIndex schema = find(rd->toc(), QStringLiteral("stock"), outside);
        QVERIFY(items.isValid() && schema.isValid());
        QCOMPARE(rd->toc()->index(items.row(), TocTreeModel::KindColumn, stockGroup).data().toString(), QStringLiteral("table"));
        for (const QModelIndex &i : {schema, items}) {
            tree->setCurrentIndex(i);
            QTest::keyClick(tree, Qt::Key_Space);
        }
        QCOMPARE(rd->toc()->data(stockGroup, Qt::CheckStateRole).toInt(), int(Qt::Checked));  // its only object
        QLineEdit *newDb = rd->newDatabaseEdit();
        newDb->selectAll();
        QTest::keyClicks(newDb, QStringLiteral("items_only"));
        QVERIFY2(rd->commandLine().contains(QLatin1String("--into items_only")) && rd->commandLine().contains(QLatin1String("--use-list")),
                 qPrintable(rd->commandLine()));
        test::screenshot(rd, "restore-dump-dialog.png");
        QSignalSpy done(rd, &RestoreDumpDialog::restoreFinished);
        QTest::mouseClick(rd->findChild<QPushButton *>(QStringLiteral("restoreButton")), Qt::LeftButton);
        QVERIFY(done.wait(120000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(rd->statusText()));
        QVERIFY2(rd->warnings().isEmpty(), qPrintable(rd->warnings().join(QLatin1Char('\n'))));
        QCOMPARE(scalar(QStringLiteral("items_only"), QStringLiteral("SELECT count(*) || '/' || sum(qty) FROM stock.items")),
                 scalar(QStringLiteral("shop"), QStringLiteral("SELECT count(*) || '/' || sum(qty) FROM stock.items")));
        QCOMPARE(scalar(QStringLiteral("items_only"), QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")), QStringLiteral("0"));

        // The dump is on the calendar of its day, named as a dump with its databases.
        CalendarModel calendar;
        CalendarData cd0;
        cd0.backups = view->model()->backups();
        calendar.setData(cd0);
        const QDateTime when = view->model()->backups().first().stopTimeUtc;
        calendar.setMonth(when.toLocalTime().date());
        const QList<CalendarEvent> events = calendar.events(when.toLocalTime().date());
        QCOMPARE(events.size(), 1);
        QVERIFY2(events.first().text.contains(QLatin1String(" dump ")) && events.first().text.contains(QLatin1String("shop")),
                 qPrintable(events.first().text));

        // Cold backups are offered for this cluster (it runs on this machine), with the warning that it must be stopped.
        auto *cold = view->findChild<QToolButton *>(QStringLiteral("coldBackupButton"));
        QVERIFY(cold->isVisibleTo(view));
        QTest::mouseClick(cold, Qt::LeftButton);
        auto *cd = test::openDialog<ColdBackupDialog>(view);
        QVERIFY(cd);
        QVERIFY(!cd->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QTest::keyClicks(cd->dataDirEdit(), m_cluster->dataDir());
        QVERIFY(cd->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QVERIFY2(cd->commandLine().contains(QLatin1String("cold-backup")) && cd->commandLine().contains(m_cluster->dataDir()),
                 qPrintable(cd->commandLine()));
        // Run while the cluster is up: the job fails with the reason, and nothing is published.
        finished.clear();
        QTest::mouseClick(cd->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("cold-backup"));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY2(view->statusText().contains(QLatin1String("running")), qPrintable(view->statusText()));
    }
};

QTEST_MAIN(TestDumpDialogs)
#include "tst_dumpdialogs.moc"
