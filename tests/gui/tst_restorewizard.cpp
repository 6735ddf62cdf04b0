// Issue 11: a DBA recovers from the desktop. From the Backups view: Restore…, a target that the archive does
// not hold is refused with the reason and Next stays disabled, then a restore point from the list, a scratch
// instance, start and follow; the restored rows are the recorded state, and the instance joins the servers.
#include "CliRunner.h"
#include "GuiTestSupport.h"
#include "TestCluster.h"
#include "backups/BackupsView.h"
#include "restore/RecoveryTimelineModel.h"
#include "restore/RecoveryTimelineWidget.h"
#include "restore/RestoreWizard.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QToolButton>

using namespace pga;
using namespace pga::gui;

class TestRestoreWizard : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_c;
    QTemporaryDir m_dir;

    static void press(QWidget *w, Qt::Key key, int times = 1)
    {
        for (int i = 0; i < times; ++i)
            QTest::keyClick(w, key);
    }

private slots:
    void initTestCase()
    {
        // As installed: pgarchivist-cli on PATH (restore_command names it).
        qputenv("PATH", QFileInfo(test::cliPath()).absolutePath().toLocal8Bit() + ':' + qgetenv("PATH"));
        test::TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("db1");
        QString why;
        m_c = test::TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t(v text)")));
        auto b = test::cli({QStringLiteral("backup"), QStringLiteral("--repo"), m_c->repoDir(), QStringLiteral("--server"), QStringLiteral("db1"),
                            QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('a')")));
        QVERIFY(!m_c->scalar(QStringLiteral("SELECT pg_create_restore_point('before-b')")).isEmpty());
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t VALUES ('b')")));
        QVERIFY(m_c->waitForArchived(m_c->switchWal(), 60000));
    }

    void recoverToARestorePointIntoAScratchInstance()
    {
        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        const qint64 id = tw.addServer(QStringLiteral("db1"), m_c->conninfo(), m_c->repoDir());
        QVERIFY(id);
        BackupsView *backups = tw.window->serverView()->backups();
        tw.window->serverView()->tabs()->setCurrentWidget(backups);
        auto *button = backups->findChild<QToolButton *>(QStringLiteral("restoreButton"));
        QVERIFY(button && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        RestoreWizard *wizard = test::openDialog<RestoreWizard>(tw.window.get());
        QVERIFY(wizard);
        QAbstractItemModelTester tester(wizard->timelineModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *target = qobject_cast<TargetPage *>(wizard->page(RestoreWizard::TargetPageId));
        QVERIFY(target);

        // The timeline shows the window, the backup and the restore point, from the repository.
        QTRY_VERIFY_WITH_TIMEOUT(target->restorePointBox()->count() == 1, 20000);
        QTRY_VERIFY(wizard->timelineModel()->rowCount() >= 3);
        using K = RecoveryTimelineModel::Kind;
        QList<K> kinds;
        for (const auto &i : wizard->timelineModel()->items())
            kinds << i.kind;
        QVERIFY(kinds.contains(K::Window) && kinds.contains(K::Backup) && kinds.contains(K::RestorePoint));
        QVERIFY(wizard->timelineModel()->isRecoverable(wizard->timelineModel()->items().last().startUs));

        // A transaction the archive does not hold: refused, with the reason, and Next stays disabled.
        QPushButton *next = qobject_cast<QPushButton *>(wizard->button(QWizard::NextButton));
        target->kindBox()->setFocus();
        press(target->kindBox(), Qt::Key_Down, 3);  // end of WAL, time, restore point, transaction
        QCOMPARE(target->kindBox()->currentData().toInt(), int(engine::RecoveryTarget::Kind::Xid));
        QTest::keyClicks(target->xidEdit(), QStringLiteral("3999999"));
        QTRY_VERIFY_WITH_TIMEOUT(target->verdict().contains(QStringLiteral("no commit or abort")), 20000);
        QVERIFY(!next->isEnabled());

        // The restore point from the list: reachable, with the RTO.
        press(target->kindBox(), Qt::Key_Up);
        QCOMPARE(target->restorePointBox()->currentData().toString(), QStringLiteral("before-b"));
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 20000);
        QVERIFY2(target->verdict().startsWith(QStringLiteral("Reachable")), qPrintable(target->verdict()));
        QVERIFY(test::screenshot(wizard, "restore-wizard-target.png"));
        QVERIFY(test::screenshot(target->timeline(), "recovery-timeline.png"));
        QTest::mouseClick(next, Qt::LeftButton);

        // Destination: the scratch instance, started and promoted at the target.
        auto *dest = qobject_cast<DestinationPage *>(wizard->currentPage());
        QVERIFY(dest && dest->scratchButton()->isChecked());
        QCOMPARE(dest->actionBox()->currentData().toString(), QStringLiteral("promote"));
        QVERIFY2(dest->problem().isEmpty(), qPrintable(dest->problem()));
        QTest::mouseClick(next, Qt::LeftButton);

        auto *summary = qobject_cast<SummaryPage *>(wizard->currentPage());
        QVERIFY(summary);
        QVERIFY2(summary->commandLine().contains(QStringLiteral("--target-name before-b")) && summary->commandLine().contains(QStringLiteral("--start")),
                 qPrintable(summary->commandLine()));
        QVERIFY2(summary->text().contains(QStringLiteral("Recovery time objective")), qPrintable(summary->text()));
        QVERIFY(test::screenshot(wizard, "restore-wizard-summary.png"));

        // Restore and replay as one job; the event loop keeps turning.
        test::EventLoopWatch watch;
        QTest::mouseClick(next, Qt::LeftButton);
        auto *progress = qobject_cast<ProgressPage *>(wizard->currentPage());
        QVERIFY(progress);
        QTRY_VERIFY_WITH_TIMEOUT(progress->finished(), 180000);
        QVERIFY2(progress->succeeded(), qPrintable(progress->resultText()));
        qInfo("longest event-loop pause during restore and replay: %lld ms", watch.worstGapMs());
        QVERIFY2(watch.worstGapMs() < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(watch.worstGapMs())));
        QVERIFY2(progress->resultText().contains(QStringLiteral("promoted")), qPrintable(progress->resultText()));
        QVERIFY(test::screenshot(wizard, "restore-wizard-done.png"));

        // The restored rows are the state at the restore point.
        auto conn = pg::Connection::connect({progress->conninfo()});
        QVERIFY2(conn, qPrintable(progress->conninfo()));
        auto rows = (*conn)->exec(QStringLiteral("SELECT string_agg(v, ',' ORDER BY v) FROM t"));
        QVERIFY(rows);
        QCOMPARE(rows->value(0, 0), QStringLiteral("a"));
        conn->reset();

        // Add to servers: registered in the group "Restored".
        QTest::mouseClick(progress->addButton(), Qt::LeftButton);
        bool found = false;
        for (const app::ServerEntry &e : tw.app.registry().servers())
            if (e.group == QLatin1String("Restored") && e.conninfo == progress->conninfo())
                found = true;
        QVERIFY(found);

        pg::LocalCluster::Spec spec;
        spec.dataDir = wizard->targetDir;
        spec.socketDir = wizard->targetDir;
        QVERIFY(pg::LocalCluster(spec).stop(QStringLiteral("immediate"), 30000));
        QVERIFY(QDir(wizard->targetDir).removeRecursively());
        wizard->close();
    }
};

QTEST_MAIN(TestRestoreWizard)
#include "tst_restorewizard.moc"
