// The Backups view as a DBA uses it: back up now (a job), see it in the catalog with the equivalent
// command line, verify it, then expire with a preview that asks first.
#include "Confirm.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "CliRunner.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "backups/BackupsModel.h"
#include "backups/BackupsView.h"
#include "engine/ArchivingSetup.h"
#include "repo/Repository.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QTableView>

using namespace pga;
using namespace pga::gui;

class TestBackupsView : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    QString m_repo;

private slots:
    void initTestCase()
    {
        const QString cli = qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli");
        // As installed: pgarchivist-cli on PATH (a drill's restore_command names it).
        qputenv("PATH", QFileInfo(cli).absolutePath().toLocal8Bit() + ':' + qgetenv("PATH"));
        QString why;
        test::TestCluster::Options o;
        o.conf << QStringLiteral("archive_mode = on") << QStringLiteral("wal_level = replica")
               << QStringLiteral("max_wal_senders = 4");
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        m_repo = m_cluster->makeServerWritableDir(QStringLiteral("repo"));
        QVERIFY(repo::Repository::init(m_repo));
        test::giveToServerUser(m_repo);
        QVERIFY(m_cluster->query(QStringLiteral("ALTER SYSTEM SET archive_command = %1")
                                     .arg(QLatin1Char('\'') + engine::archivePushCommand(cli, m_repo, QStringLiteral("db1"))
                                          + QLatin1Char('\''))));
        QVERIFY(m_cluster->query(QStringLiteral("SELECT pg_reload_conf()")));
        const QString segment = m_cluster->switchWal();
        QVERIFY2(m_cluster->waitForArchived(segment, 30000),
                 qPrintable(m_cluster->scalar(QStringLiteral("SELECT last_failed_wal || ' ' || coalesce(last_archived_wal, '-') "
                                                             "FROM pg_stat_archiver")) + QStringLiteral(" / ")
                            + m_cluster->scalar(QStringLiteral("SHOW archive_command"))));
        QVERIFY(m_cluster->query(QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g")));
    }

    void backUpVerifyExpire()
    {
        test::TestWindow tw;
        QVERIFY(tw.open(m_dir.filePath(QStringLiteral("r.sqlite"))));
        MainWindow &window = *tw.window;
        const qint64 serverId = tw.addServer(QStringLiteral("db1"), m_cluster->conninfo(), m_repo);
        QVERIFY(serverId);
        BackupsView *view = window.serverView()->backups();
        QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view->table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy finished(view, &BackupsView::actionFinished);
        view->backUpNow();
        QVERIFY(view->commandLine().startsWith(QStringLiteral("pgarchivist-cli backup --repo %1 --server db1 --conninfo").arg(m_repo)));
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(view->statusText()));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        const QString first = view->model()->index(0, BackupsModel::IdColumn).data().toString();
        QCOMPARE(view->model()->index(0, BackupsModel::StatusColumn).data().toString(), QStringLiteral("usable"));
        if (::geteuid() == 0) {
            // The app run as root backs up into postgres's repository as postgres (issue 10): postgres, who runs
            // archive_command and would run a restore, owns all of it and sees, verifies and restores the backup.
            const QStringList foreign = test::notOwnedBy(m_repo, QFileInfo(m_repo + QStringLiteral("/pgarchivist-repo.json")).ownerId());
            QVERIFY2(foreign.isEmpty(), qPrintable(foreign.join(QLatin1Char('\n'))));
            const QStringList rs{QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("db1")};
            auto info = test::cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs);
            QVERIFY2(info.code == 0, info.err.constData());
            QCOMPARE(QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")][0][QStringLiteral("id")].toString(), first);
            auto v = test::cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("verify")} + rs);
            QVERIFY2(v.code == 0, QByteArray(v.out + v.err).constData());
            const QString target = m_cluster->makeServerWritableDir(QStringLiteral("restored")) + QStringLiteral("/data");
            auto r = test::cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("restore")} + rs
                                                                 + QStringList{QStringLiteral("--target-dir"), target, QStringLiteral("--target-immediate")});
            QVERIFY2(r.code == 0, r.err.constData());
        }

        view->table()->selectRow(0);
        view->verify();
        QVERIFY(view->commandLine().endsWith(QStringLiteral("--backup ") + first));
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(view->statusText()));
        QVERIFY(view->statusText().contains(QStringLiteral("intact")));

        // A drill of it, from the table's context menu: restored, replayed, checked and removed.
        QAction *drill = view->table()->findChild<QAction *>(QStringLiteral("drillAction"));
        QVERIFY(drill && view->table()->actions().contains(drill));
        drill->trigger();
        QVERIFY(view->commandLine().startsWith(QStringLiteral("pgarchivist-cli drill ")));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.last().at(0).toString(), QStringLiteral("drill"));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(view->statusText()));
        QVERIFY2(view->statusText().contains(QStringLiteral("Drill passed")), qPrintable(view->statusText()));

        // A second backup, then expire keeping one: the preview names the first and asks.
        QTest::qWait(1100);  // backup IDs have one-second resolution
        view->backUpNow();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(view->statusText()));
        QTRY_COMPARE(view->model()->rowCount(), 2);
        view->setRetention(1, 0);
        setNextAnswer(QMessageBox::Cancel);
        view->expire();
        QVERIFY(finished.wait(60000));
        QVERIFY2(lastQuestion().contains(first), qPrintable(lastQuestion()));
        QCOMPARE(view->model()->rowCount(), 2);  // cancelled: nothing removed
        setNextAnswer(QMessageBox::Yes);
        view->expire();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(view->statusText()));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QVERIFY(view->model()->index(0, BackupsModel::IdColumn).data().toString() != first);
        QCOMPARE(view->commandLine(), QStringLiteral("pgarchivist-cli expire --repo %1 --server db1 --retain-full 1").arg(m_repo));
    }
};

QTEST_MAIN(TestBackupsView)
#include "tst_backupsview.moc"
