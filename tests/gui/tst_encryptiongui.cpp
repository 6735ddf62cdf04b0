#include "GuiTestSupport.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "app/BackupService.h"
#include "servers/ServerDialog.h"

#include <QtTest>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>

using namespace pga;
using namespace pga::gui;

// An encrypted repository from the desktop (issue 16): the server dialog takes the passphrase (into the keychain) and
// the path of the database host's copy; "Test repository" checks the passphrase; Back Up Now creates the repository
// encrypted and backs up into it, and the CLI on the host reads it with the passphrase file and not without.
class TestEncryptionGui : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    QString m_repo, m_passFile;
    std::unique_ptr<app::AppContext> m_app;

    struct Run {
        int code = -1;
        QByteArray err;
    };
    Run cli(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli"), args);
        p.waitForFinished(60000);
        return {p.exitCode(), p.readAllStandardError()};
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
        test::TestCluster::Options o;
        o.start = false;
        QString why;
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        // Beside the cluster, where its OS user may look: the repository and the host's copy of the passphrase.
        m_repo = m_cluster->baseDir() + QStringLiteral("/repo");
        m_passFile = m_cluster->baseDir() + QStringLiteral("/passphrase");
        QFile f(m_passFile);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("desk top secret\n") > 0);
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        QVERIFY(m_cluster->appendConf(
            {QStringLiteral("wal_level = replica"), QStringLiteral("max_wal_senders = 4"), QStringLiteral("archive_mode = on"),
             QStringLiteral("archive_command = '%1/src/cli/pgarchivist-cli archive-push --repo %2 --server orders --passphrase-file %3 %p'")
                 .arg(qEnvironmentVariable("PGA_BINARY_DIR"), m_repo, m_passFile)}));
        QVERIFY2(m_cluster->start(), qPrintable(m_cluster->cluster().logTail()));
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
    }

    void dialogKeepsThePassphraseInTheKeychain()
    {
        ServerDialog d(*m_app, {}, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        test::typeInto(&d, "nameEdit", QStringLiteral("orders"));
        test::typeInto(&d, "conninfoEdit", m_cluster->conninfo());
        test::typeInto(&d, "repoEdit", m_repo);
        auto *passphrase = d.findChild<QLineEdit *>(QStringLiteral("passphraseEdit"));
        QVERIFY(!passphrase->isEnabled());  // until encryption is asked for
        auto *encrypt = d.findChild<QCheckBox *>(QStringLiteral("encryptCheck"));
        encrypt->setFocus();
        QTest::keyClick(encrypt, Qt::Key_Space);
        QVERIFY(encrypt->isChecked() && passphrase->isEnabled());
        // Without a passphrase the test and the save both say what is missing.
        QVERIFY(!testRepository(&d));
        QVERIFY2(d.resultText().contains(QLatin1String("passphrase")), qPrintable(d.resultText()));
        QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QVERIFY(d.isVisible());
        QVERIFY2(d.resultText().contains(QLatin1String("passphrase")), qPrintable(d.resultText()));
        test::typeInto(&d, "passphraseEdit", QStringLiteral("desk top secret"));
        test::typeInto(&d, "passphraseFileEdit", m_passFile);
        QVERIFY2(testRepository(&d), qPrintable(d.resultText()));
        QVERIFY2(d.resultText().contains(QLatin1String("no repository yet")), qPrintable(d.resultText()));
        d.adjustSize();  // the result wraps onto a second line
        QVERIFY(test::screenshot(&d, "server-dialog-encryption.png"));
        QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
        QTRY_VERIFY(!d.isVisible());
        auto saved = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(saved);
        QVERIFY(saved->encryption.encrypted);
        QCOMPARE(saved->encryption.passphraseFile, m_passFile);
        QCOMPARE(test::keychainValue(*m_app, saved->repoPassphraseKey()), QStringLiteral("desk top secret"));
        QFile registry(m_dir.filePath(QStringLiteral("registry.sqlite")));
        QVERIFY(registry.open(QIODevice::ReadOnly));
        QVERIFY(!registry.readAll().contains("desk top secret"));
    }

    void backUpNowCreatesTheRepositoryEncrypted()
    {
        auto e = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(e);
        // A fresh application, as after a restart: the passphrase comes from the keychain at open().
        QTest::qWait(1000);
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        QTest::qWait(500);
        bool finished = false;
        app::JobInfo result;
        QString id;
        m_app->backups().backUp(*e, this, [&](const app::JobInfo &info, const repo::BackupManifest &m) {
            result = info;
            id = m.id;
            finished = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 120000);
        QVERIFY2(result.state == app::JobInfo::State::Succeeded, qPrintable(result.error.toString() + m_cluster->cluster().logTail().right(3000)));
        QFile marker(m_repo + QStringLiteral("/pgarchivist-repo.json"));
        QVERIFY(marker.open(QIODevice::ReadOnly) && marker.readAll().contains("\"encryption\""));
        // The host's CLI reads it with the passphrase file, and not without.
        const QStringList verify{QStringLiteral("verify"), QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("orders"),
                                 QStringLiteral("--backup"), id};
        const Run without = cli(verify);
        QVERIFY(without.code != 0);
        QVERIFY2(without.err.contains("is encrypted"), without.err.constData());
        const Run with = cli(verify + QStringList{QStringLiteral("--passphrase-file"), m_passFile});
        QVERIFY2(with.code == 0, with.err.constData());
        // The CLI equivalent the app shows carries the passphrase file, never the passphrase.
        const QString command = app::BackupService::backupCommand(*e);
        QVERIFY2(command.contains(QStringLiteral("--passphrase-file ") + m_passFile), qPrintable(command));
        QVERIFY(!command.contains(QStringLiteral("desk top secret")));
    }

    void aWrongPassphraseIsNamed()
    {
        auto e = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(e);
        ServerDialog d(*m_app, *e, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY2(testRepository(&d), qPrintable(d.resultText()));  // the keychain's passphrase
        QVERIFY2(d.resultText().contains(QLatin1String("Encrypted repository found")), qPrintable(d.resultText()));
        test::typeInto(&d, "passphraseEdit", QStringLiteral("not it"));
        QVERIFY(!testRepository(&d));
        QVERIFY2(d.resultText().contains(QLatin1String("Wrong passphrase")), qPrintable(d.resultText()));
        d.reject();
    }

    // Change passphrase…: repo-rekey from the dialog; the keychain follows, the old passphrase no longer opens it.
    void changePassphraseRekeysTheRepository()
    {
        auto e = m_app->registry().serverByName(QStringLiteral("orders"));
        QVERIFY(e);
        ServerDialog d(*m_app, *e, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto *button = d.findChild<QPushButton *>(QStringLiteral("changePassphraseButton"));
        QVERIFY(button && button->isVisible() && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QDialog *ask = nullptr;
        QTRY_VERIFY((ask = d.findChild<QDialog *>(QStringLiteral("changePassphraseDialog"))) && ask->isVisible());
        auto *next = ask->findChild<QLineEdit *>(QStringLiteral("newPassphraseEdit"));
        auto *again = ask->findChild<QLineEdit *>(QStringLiteral("confirmPassphraseEdit"));
        QTest::keyClicks(next, QStringLiteral("a brand new one"));
        QTest::keyClicks(again, QStringLiteral("a brand new 0ne"));
        QTest::mouseClick(ask->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QVERIFY(ask->isVisible());  // the entries differ: it stays open
        again->selectAll();
        QTest::keyClicks(again, QStringLiteral("a brand new one"));
        QSignalSpy done(&d, &ServerDialog::passphraseChangeFinished);
        QTest::keyClick(again, Qt::Key_Return);
        QVERIFY(done.wait(30000));
        QVERIFY2(done.first().first().toBool(), qPrintable(d.resultText()));
        QVERIFY2(d.resultText().contains(m_passFile), qPrintable(d.resultText()));  // says which host file to update
        const QStringList info{QStringLiteral("info"), QStringLiteral("--repo"), m_repo, QStringLiteral("--passphrase-file")};
        const Run old = cli(info + QStringList{m_passFile});
        QVERIFY(old.code != 0);
        QVERIFY2(old.err.contains("Wrong passphrase"), old.err.constData());
        const QString newFile = m_cluster->baseDir() + QStringLiteral("/new-passphrase");
        QFile f(newFile);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("a brand new one\n") > 0);
        f.close();
        QCOMPARE(cli(info + QStringList{newFile}).code, 0);
        QCOMPARE(test::keychainValue(*m_app, e->repoPassphraseKey()), QStringLiteral("a brand new one"));
        d.reject();
    }
};

QTEST_MAIN(TestEncryptionGui)
#include "tst_encryptiongui.moc"
