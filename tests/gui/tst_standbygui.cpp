// Replication from the desktop, driven as a DBA would (keys and clicks): Create Standby… makes a streaming standby of the
// selected server from its repository; Promote… checks it and promotes it; Switch Back… rewinds the old primary onto it.
#include "CliRunner.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "pg/LocalCluster.h"
#include "standby/PromoteDialog.h"
#include "standby/StandbyWizard.h"
#include "standby/SwitchBackDialog.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QRadioButton>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace pga;
using namespace pga::gui;

class TestStandbyGui : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_primary;
    QTemporaryDir m_dir;
    QString m_standbyDir;

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
        if (!m_standbyDir.isEmpty()) {
            pg::LocalCluster::Spec spec;
            spec.dataDir = m_standbyDir;
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
        QSignalSpy created(wizard, &StandbyWizard::runFinished);
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        QVERIFY(created.wait(120000));
        QVERIFY2(created.first().first().toBool(), qPrintable(wizard->statusLabel()->text()));
        const QString standbyConninfo = wizard->result().conninfo;
        QVERIFY(QFileInfo::exists(m_standbyDir + QStringLiteral("/standby.signal")));
        QTRY_COMPARE_WITH_TIMEOUT(m_primary->scalar(QStringLiteral("SELECT active FROM pg_replication_slots WHERE slot_name = 'gui_sb'")), QStringLiteral("t"), 20000);

        // Promote…: the check first, then the button.
        // The wizard registered the started standby under the primary's repository name, and it is a standby there.
        const qint64 standbyId = wizard->registeredId();
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
