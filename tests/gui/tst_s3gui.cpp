#include "GuiTestSupport.h"
#include "S3Server.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "servers/ServerDialog.h"

#include <QtTest>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>

using namespace pga;
using namespace pga::gui;

// An S3 repository from the desktop (issue 16): the server dialog takes the bucket, the endpoint and the keys, which
// go into the keychain (this process has no AWS variables, so its requests can only be signed with the keychain's); "Test repository" runs as a job and says what it found; a backup then lands in the bucket.
class TestS3Gui : public QObject {
    Q_OBJECT
    std::unique_ptr<test::S3Server> m_s3;
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<app::AppContext> m_app;

    QString cliEnv() const
    {
        return QStringLiteral("AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER PGARCHIVIST_S3_ENDPOINT=%1").arg(m_s3->endpoint());
    }
    int cli(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("S3RVER"));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("S3RVER"));
        env.insert(QStringLiteral("PGARCHIVIST_S3_ENDPOINT"), m_s3->endpoint());
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli"), args);
        p.waitForFinished(60000);
        return p.exitCode();
    }
    static bool testRepository(ServerDialog *d)
    {
        QSignalSpy done(d, &ServerDialog::repositoryTestFinished);
        QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("testRepoButton")), Qt::LeftButton);
        return done.wait(30000) && done.first().first().toBool();
    }

private slots:
    void initTestCase()
    {
        for (const char *v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PGARCHIVIST_S3_ENDPOINT", "AWS_ENDPOINT_URL"})
            qunsetenv(v);
        QString why;
        m_s3 = test::S3Server::start(QStringLiteral("pga-gui"), &why);
        if (!m_s3 && test::S3Server::required())
            QFAIL(qPrintable(why));
        if (!m_s3)
            QSKIP(qPrintable(why));
        // The database host's archive_command has its own credentials (here in its environment).
        test::TestCluster::Options o;
        o.conf = {QStringLiteral("wal_level = replica"), QStringLiteral("max_wal_senders = 4"), QStringLiteral("archive_mode = on"),
                  QStringLiteral("archive_command = '%1 %2/src/cli/pgarchivist-cli archive-push --repo s3://pga-gui/prod --server orders %p'")
                      .arg(cliEnv(), qEnvironmentVariable("PGA_BINARY_DIR"))};
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
    }

    void dialogTestsAndSavesAnS3Repository()
    {
        ServerDialog d(*m_app, {}, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto *s3Group = d.findChild<QGroupBox *>(QStringLiteral("s3Group"));
        QVERIFY(!s3Group->isVisible());
        test::typeInto(&d, "nameEdit", QStringLiteral("orders"));
        test::typeInto(&d, "conninfoEdit", m_cluster->conninfo());
        test::typeInto(&d, "repoEdit", QStringLiteral("s3://pga-gui/prod"));
        QVERIFY(s3Group->isVisible());  // shown for an s3:// repository only
        test::typeInto(&d, "s3EndpointEdit", m_s3->endpoint());
        test::typeInto(&d, "s3KeyEdit", QStringLiteral("S3RVER"));
        QVERIFY(d.findChild<QCheckBox *>(QStringLiteral("s3PathStyleCheck"))->isChecked());

        // Without the secret the test says what is missing (this process has no other credentials).
        QVERIFY(!testRepository(&d));
        QVERIFY2(d.resultText().contains(QLatin1String("secret access key")), qPrintable(d.resultText()));
        test::typeInto(&d, "s3SecretEdit", QStringLiteral("S3RVER"));
        QVERIFY2(testRepository(&d), qPrintable(d.resultText()));
        QVERIFY2(d.resultText().contains(QLatin1String("no repository yet")), qPrintable(d.resultText()));
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), QStringLiteral("s3://pga-gui/prod")}), 0);
        QVERIFY2(testRepository(&d), qPrintable(d.resultText()));
        QVERIFY2(d.resultText().contains(QLatin1String("Repository found")), qPrintable(d.resultText()));
        QVERIFY(test::screenshot(&d, "server-dialog-s3.png"));

        QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QTRY_VERIFY(!d.isVisible());
        auto saved = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(saved);
        QCOMPARE(saved->repoDir, QStringLiteral("s3://pga-gui/prod"));
        QCOMPARE(saved->s3.endpoint, m_s3->endpoint());
        QVERIFY(saved->s3.pathStyle && saved->s3.verifyTls);
        // The keys are in the keychain, not in the registry.
        QCOMPARE(test::keychainValue(*m_app, saved->s3SecretKey()), QStringLiteral("S3RVER\nS3RVER"));
        QFile registry(m_dir.filePath(QStringLiteral("registry.sqlite")));
        QVERIFY(registry.open(QIODevice::ReadOnly));
        QVERIFY(!registry.readAll().contains("S3RVER\n"));
    }

    // Back Up Now on that server: the backup service reaches the bucket with the keychain's keys.
    void backupLandsInTheBucket()
    {
        auto e = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(e);
        // A fresh application, as after a restart: its keys come from the keychain at open(). (The old one's keychain
        // reads, started by the save, are let finish first.)
        QTest::qWait(1000);
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        QTest::qWait(500);  // the keychain answers asynchronously
        bool finished = false;
        app::JobInfo result;
        QString id;
        m_app->backups().backUp(*e, this, [&](const app::JobInfo &info, const repo::BackupManifest &m) {
            result = info;
            id = m.id;
            finished = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 120000);
        QVERIFY2(result.state == app::JobInfo::State::Succeeded, qPrintable(result.error.toString() + result.log.join(QLatin1Char('\n'))));
        QCOMPARE(cli({QStringLiteral("verify"), QStringLiteral("--repo"), QStringLiteral("s3://pga-gui/prod"), QStringLiteral("--server"),
                      QStringLiteral("orders"), QStringLiteral("--backup"), id}),
                 0);
        QVERIFY(app::BackupService::backupCommand(*e).contains(QStringLiteral("--s3-endpoint ") + m_s3->endpoint()));
    }
};

QTEST_MAIN(TestS3Gui)
#include "tst_s3gui.moc"
