// Replication from the desktop, driven as a DBA would (keys and clicks): Create Standby… makes a streaming standby of the
// selected server from its repository; Promote… checks it and promotes it; Switch Back… rewinds the old primary onto it.
#include "CliRunner.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "pg/LocalCluster.h"
#include "restore/RecoveryTimelineModel.h"
#include "servers/ArchiveStatusWidget.h"
#include "servers/ServerView.h"
#include "standby/PromoteDialog.h"
#include "standby/StopBeforeDialog.h"
#include "standby/StandbyWizard.h"
#include "standby/SwitchBackDialog.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QRadioButton>
#include <QLabel>
#include <QLineEdit>
#include <QAbstractItemModelTester>
#include <QPushButton>

using namespace pga;
using namespace pga::gui;

class TestStandbyGui : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_primary;
    QTemporaryDir m_dir;
    QString m_standbyDir, m_delayedDir;

    static void typeInto(QLineEdit *e, const QString &text)
    {
        e->setFocus();
        e->selectAll();
        QTest::keyClick(e, Qt::Key_Backspace);
        QTest::keyClicks(e, text);
    }

private slots:
    void initTestCase()
    {
        const QString cliDir = qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli");
        qputenv("PATH", (cliDir + QLatin1Char(':') + qEnvironmentVariable("PATH")).toLocal8Bit());
        test::TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.initdbArgs << QStringLiteral("--data-checksums");
        QString why;
        m_primary = test::TestCluster::create(o, &why);
        if (!m_primary)
            QSKIP(qPrintable(why));
        QVERIFY(m_primary->query(QStringLiteral("CREATE TABLE t(id int PRIMARY KEY)")));
        QVERIFY(m_primary->query(QStringLiteral("INSERT INTO t VALUES (1)")));
        auto b = test::cli({QStringLiteral("backup"), QStringLiteral("--repo"), m_primary->repoDir(), QStringLiteral("--server"), QStringLiteral("main"),
                            QStringLiteral("--conninfo"), m_primary->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
    }

    void cleanupTestCase()
    {
        for (const QString &dir : {m_standbyDir, m_delayedDir})
            if (!dir.isEmpty()) {
                pg::LocalCluster::Spec spec;
                spec.dataDir = dir;
                (void)pg::LocalCluster(spec).stop(QStringLiteral("immediate"), 30000);
            }
    }

    void createPromoteSwitchBack()
    {
        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        const qint64 primaryId = tw.addServer(QStringLiteral("main"), m_primary->conninfo(), m_primary->repoDir());
        QVERIFY(primaryId);

        // Create Standby…: a data directory, a slot, and Finish.
        StandbyWizard *wizard = tw.window->createStandby();
        QVERIFY(wizard);
        m_standbyDir = m_primary->makeServerWritableDir(QStringLiteral("standby")) + QStringLiteral("/data");
        typeInto(wizard->targetEdit(), m_standbyDir);
        QTRY_VERIFY(wizard->backupCombo()->count() >= 2);  // "the newest" and the backup itself
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QVERIFY(wizard->streamingButton()->isChecked());
        typeInto(wizard->slotEdit(), QStringLiteral("gui_sb"));
        QTest::keyClicks(wizard->slotEdit(), QStringLiteral("-X"));  // refused by the validator: slot names are [a-z0-9_]
        QCOMPARE(wizard->slotEdit()->text(), QStringLiteral("gui_sb"));
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QVERIFY(wizard->startBox()->isChecked());
        QVERIFY2(wizard->commandEdit()->text().contains(QStringLiteral("standby create")) && wizard->commandEdit()->text().contains(QStringLiteral("--slot gui_sb")),
                 qPrintable(wizard->commandEdit()->text()));
        test::screenshot(wizard, "standby-wizard.png");
        QSignalSpy created(wizard, &StandbyWizard::created);
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        QVERIFY2(created.wait(120000), qPrintable(wizard->statusLabel()->text()));
        const QString standbyConninfo = created.first().at(0).toString();
        const qint64 standbyId = created.first().at(1).toLongLong();
        QVERIFY(QFileInfo::exists(m_standbyDir + QStringLiteral("/standby.signal")));
        QTRY_COMPARE_WITH_TIMEOUT(m_primary->scalar(QStringLiteral("SELECT active FROM pg_replication_slots WHERE slot_name = 'gui_sb'")), QStringLiteral("t"), 20000);

        // A delayed replica from the same wizard, then a blunder on the primary inside its delay: its Overview shows the delay
        // window on the timeline and Stop Before… brings the dropped table back on the replica, promoted just before the DROP.
        StandbyWizard *second = tw.window->createStandby();
        QVERIFY(second);
        m_delayedDir = m_primary->makeServerWritableDir(QStringLiteral("delayed")) + QStringLiteral("/data");
        typeInto(second->targetEdit(), m_delayedDir);
        QTest::mouseClick(second->button(QWizard::NextButton), Qt::LeftButton);
        typeInto(second->delayEdit(), QStringLiteral("30s"));
        QTest::mouseClick(second->button(QWizard::NextButton), Qt::LeftButton);
        QSignalSpy secondMade(second, &StandbyWizard::created);
        QTest::mouseClick(second->button(QWizard::FinishButton), Qt::LeftButton);
        QVERIFY2(secondMade.wait(120000), qPrintable(second->statusLabel()->text()));
        const QString delayedConninfo = secondMade.first().at(0).toString();
        const qint64 delayedId = secondMade.first().at(1).toLongLong();
        QVERIFY(delayedId);
        QTRY_COMPARE_WITH_TIMEOUT(test::TestCluster::scalarAt(delayedConninfo, QStringLiteral("SELECT status FROM pg_stat_wal_receiver")),
                                  QStringLiteral("streaming"), 60000);
        QVERIFY(m_primary->query(QStringLiteral("CREATE TABLE precious AS SELECT g AS id FROM generate_series(1, 300) g")));
        const QString dropXid = m_primary->scalar(QStringLiteral("SELECT txid_current()")) ;
        QVERIFY(m_primary->query(QStringLiteral("DROP TABLE precious")));  // autocommit: the next xid
        const QString blunderXid = QString::number(dropXid.toUInt() + 1);
        const QString afterDrop = m_primary->scalar(QStringLiteral("SELECT pg_current_wal_lsn()"));
        QTRY_VERIFY_WITH_TIMEOUT(test::TestCluster::scalarAt(delayedConninfo, QStringLiteral("SELECT pg_last_wal_receive_lsn() >= '%1'::pg_lsn").arg(afterDrop))
                                     == QStringLiteral("t"), 20000);
        tw.window->selectServer(delayedId);
        tw.app.status().refresh(delayedId);
        ArchiveStatusWidget *archive = tw.window->serverView()->archiveStatus();
        QTRY_VERIFY_WITH_TIMEOUT(archive->stopBeforeButton()->isVisible(), 20000);
        // Its primary, its delay, and the WAL it holds back (the DROP among it).
        QVERIFY2(archive->value(QStringLiteral("replication")).contains(QStringLiteral("delayed by 30s, replay ")), qPrintable(archive->value(QStringLiteral("replication"))));
        QVERIFY2(archive->value(QStringLiteral("replication")).contains(QStringLiteral("behind")), qPrintable(archive->value(QStringLiteral("replication"))));
        bool hasWindow = false;
        for (const RecoveryTimelineModel::Item &i : archive->timelineModel()->items())
            hasWindow = hasWindow || (i.kind == RecoveryTimelineModel::Kind::DelayWindow && i.endUs - i.startUs == 30000000LL && i.name == QStringLiteral("30s"));
        QVERIFY(hasWindow);
        QAbstractItemModelTester modelTester(archive->timelineModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        test::screenshot(tw.window.get(), "delayed-replica.png");
        QTest::mouseClick(archive->stopBeforeButton(), Qt::LeftButton);
        auto *stop = archive->findChild<StopBeforeDialog *>();
        QVERIFY(stop);
        QVERIFY(stop->stopButton()->isEnabled());  // the proposed moment, with its zone, parses
        QTest::mouseClick(stop->xidButton(), Qt::LeftButton);
        typeInto(stop->targetEdit(), QStringLiteral("abc"));
        QVERIFY(!stop->stopButton()->isEnabled());
        typeInto(stop->targetEdit(), blunderXid);
        QVERIFY2(stop->commandEdit()->text().contains(QStringLiteral("--target-xid ") + blunderXid), qPrintable(stop->commandEdit()->text()));
        QSignalSpy stopped(stop, &StopBeforeDialog::runFinished);
        QTest::mouseClick(stop->stopButton(), Qt::LeftButton);
        QVERIFY(stopped.wait(120000));
        QVERIFY2(stopped.first().first().toBool(), qPrintable(stop->statusLabel()->text()));
        QCOMPARE(test::TestCluster::scalarAt(delayedConninfo, QStringLiteral("SELECT count(*) FROM precious")), QStringLiteral("300"));
        stop->close();
        tw.window->selectServer(standbyId);

        // Promote…: the check first, then the button.
        // The wizard registered the started standby under the primary's repository name, and it is a standby there.
        QVERIFY(standbyId);
        const auto standbyEntry = tw.app.registry().server(standbyId);
        QVERIFY(standbyEntry);
        QCOMPARE(standbyEntry->name, QStringLiteral("main standby"));
        QCOMPARE(standbyEntry->repoServer, QStringLiteral("main"));
        tw.window->selectServer(standbyId);
        PromoteDialog *promote = tw.window->promoteServer();
        QVERIFY(promote);
        QSignalSpy checked(promote, &PromoteDialog::checkFinished);
        QVERIFY(checked.wait(30000));
        QVERIFY2(checked.first().first().toBool(), qPrintable(promote->whatLabel()->text()));
        QVERIFY2(promote->whatLabel()->text().contains(QStringLiteral("receiving from")), qPrintable(promote->whatLabel()->text()));
        QVERIFY(promote->promoteButton()->isEnabled());
        test::screenshot(promote, "promote-dialog.png");
        QSignalSpy promoted(promote, &PromoteDialog::runFinished);
        QTest::mouseClick(promote->promoteButton(), Qt::LeftButton);
        QVERIFY(promoted.wait(60000));
        QVERIFY2(promoted.first().first().toBool(), qPrintable(promote->statusLabel()->text()));
        QCOMPARE(test::TestCluster::scalarAt(standbyConninfo, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("f"));
        QVERIFY(!promote->promoteButton()->isEnabled());
        promote->close();

        // The old primary writes on (split brain), then stops; Switch Back… onto the new primary rewinds it.
        QVERIFY(m_primary->query(QStringLiteral("INSERT INTO t VALUES (2)")));
        QVERIFY(test::TestCluster::scalarAt(standbyConninfo, QStringLiteral("INSERT INTO t VALUES (3) RETURNING id")) == QStringLiteral("3"));
        QVERIFY(m_primary->stop());
        SwitchBackDialog *back = tw.window->switchBack();
        QVERIFY(back);
        QVERIFY(!back->switchButton()->isEnabled());  // no directory yet
        typeInto(back->targetEdit(), m_primary->dataDir());
        QVERIFY(back->switchButton()->isEnabled());
        QSignalSpy switched(back, &SwitchBackDialog::runFinished);
        QTest::mouseClick(back->switchButton(), Qt::LeftButton);
        QVERIFY(switched.wait(120000));
        QVERIFY2(switched.first().first().toBool(), qPrintable(back->statusLabel()->text()));
        QTRY_COMPARE_WITH_TIMEOUT(m_primary->scalar(QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM t")), QStringLiteral("1,3"), 30000);
        QCOMPARE(m_primary->scalar(QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("t"));
    }
};

QTEST_MAIN(TestStandbyGui)
#include "tst_standbygui.moc"
