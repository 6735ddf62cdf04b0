// The Overview's archive section: "Configure archiving" shows the exact SQL, asks, applies it; the
// server then archives into its repository and the section shows the last segment, lag and gaps.
#include "Confirm.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "CliRunner.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "repo/Repository.h"
#include "servers/ArchiveStatusWidget.h"
#include "servers/ServerView.h"

#include <QPushButton>

using namespace pga;
using namespace pga::gui;

class TestArchiveStatus : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        // archive_command = our CLI from the build tree.
        const QString cliDir = qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli");
        qputenv("PATH", (cliDir + QLatin1Char(':') + qEnvironmentVariable("PATH")).toLocal8Bit());
        QString why;
        test::TestCluster::Options o;
        o.conf << QStringLiteral("archive_mode = on") << QStringLiteral("wal_level = replica");
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
    }

    void configureThenSeeSegmentsArrive()
    {
        const QString repoDir = m_cluster->makeServerWritableDir(QStringLiteral("repo"));
        QVERIFY(repo::Repository::init(repoDir));
        test::giveToServerUser(repoDir);

        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        app::AppContext &app = tw.app;
        MainWindow &window = *tw.window;
        const qint64 serverId = tw.addServer(QStringLiteral("db1"), m_cluster->conninfo(), repoDir);
        QVERIFY(serverId);
        ArchiveStatusWidget *archive = window.serverView()->archiveStatus();
        QTRY_COMPARE(archive->value(QStringLiteral("last")), QStringLiteral("nothing archived yet"));
        QVERIFY(archive->value(QStringLiteral("repository")).contains(repoDir));

        QSignalSpy configured(archive, &ArchiveStatusWidget::archivingConfigured);
        setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(archive->configureButton(), Qt::LeftButton);
        QVERIFY(configured.wait(30000));
        QCOMPARE(configured.first().first().toBool(), false);  // archive_mode was on: a reload is enough
        QVERIFY2(lastQuestion().contains(QStringLiteral("ALTER SYSTEM SET archive_command")), qPrintable(lastQuestion()));
        QVERIFY2(lastQuestion().contains(QStringLiteral("archive-push --repo %1 --server db1 %p").arg(repoDir)),
                 qPrintable(lastQuestion()));
        QTRY_VERIFY(m_cluster->scalar(QStringLiteral("SHOW archive_command")).contains(QStringLiteral("archive-push")));

        const QString segment = m_cluster->switchWal();
        QVERIFY(m_cluster->waitForArchived(segment));
        app.status().refresh(serverId);
        QTRY_VERIFY_WITH_TIMEOUT(archive->value(QStringLiteral("last")).startsWith(segment), 15000);
        QVERIFY(archive->value(QStringLiteral("last")).contains(QStringLiteral("ago")));
        QCOMPARE(archive->value(QStringLiteral("gaps")), QStringLiteral("none"));
        QVERIFY(archive->value(QStringLiteral("window")).startsWith(QStringLiteral("none yet")));
        // RPO: the age of the newest archived WAL; RTO: nothing measured on this host yet, and it says how to.
        QVERIFY2(archive->value(QStringLiteral("rpo")).contains(QStringLiteral("the newest archived WAL arrived")),
                 qPrintable(archive->value(QStringLiteral("rpo"))));
        QTRY_VERIFY(archive->value(QStringLiteral("rto")).startsWith(QStringLiteral("not measured yet")));
        QVERIFY(archive->value(QStringLiteral("receiver")).startsWith(QStringLiteral("none")));
        QTRY_COMPARE(archive->value(QStringLiteral("replication")), QStringLiteral("no standbys"));

        // With wal-receive streaming into the repository, the section shows the receiver, it among the server's replicas,
        // and an RPO of seconds instead of a segment's age.
        QProcess rx;
        rx.setProcessChannelMode(QProcess::MergedChannels);
        rx.start(test::cliPath(), {QStringLiteral("wal-receive"), QStringLiteral("--repo"), repoDir, QStringLiteral("--server"), QStringLiteral("db1"),
                                   QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--slot"), QStringLiteral("gui_rx"),
                                   QStringLiteral("--create-slot"), QStringLiteral("--status-interval"), QStringLiteral("1")});
        QVERIFY(rx.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!m_cluster->scalar(QStringLiteral("SELECT 1 FROM pg_stat_replication WHERE application_name = 'pgarchivist_receiver'")).isEmpty(), 20000);
        QVERIFY(m_cluster->query(QStringLiteral("CREATE TABLE streamed AS SELECT 1 AS x")));
        QTest::qWait(1500);  // the receiver's state file is rewritten every second
        app.status().refresh(serverId);
        QTest::qWait(500);
        archive->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(archive->value(QStringLiteral("receiver")).startsWith(QStringLiteral("streaming from")), 15000);
        QVERIFY2(archive->value(QStringLiteral("receiver")).contains(QStringLiteral("slot gui_rx")), qPrintable(archive->value(QStringLiteral("receiver"))));
        QVERIFY2(archive->value(QStringLiteral("rpo")).contains(QStringLiteral("WAL is streamed")), qPrintable(archive->value(QStringLiteral("rpo"))));
        QTRY_VERIFY2(archive->value(QStringLiteral("replication")).startsWith(QStringLiteral("pgarchivist_receiver from local: streaming, async")),
                     qPrintable(archive->value(QStringLiteral("replication"))));
        rx.terminate();
        QVERIFY(rx.waitForFinished(20000));
        QCOMPARE(rx.exitCode(), 0);
        archive->refresh();
        QTRY_VERIFY(archive->value(QStringLiteral("receiver")).startsWith(QStringLiteral("stopped since")));

        // Configuring again finds nothing to change and asks nothing.
        configured.clear();
        setNextAnswer(QMessageBox::Cancel);  // would cancel, were it asked
        QTest::mouseClick(archive->configureButton(), Qt::LeftButton);
        QVERIFY(configured.wait(30000));
        setNextAnswer(QMessageBox::NoButton);
    }
};

QTEST_MAIN(TestArchiveStatus)
#include "tst_archivestatus.moc"
