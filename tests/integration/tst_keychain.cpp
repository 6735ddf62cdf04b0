// Passwords in a real keychain: gnome-keyring in a private D-Bus session (run-test.sh keychain),
// and the in-memory fallback when no keychain answers.
#include "SecretStoreWait.h"
#include "app/SecretStore.h"
#include "app/ServerRegistry.h"

#include <QtTest>

using namespace pga;
using namespace pga::app;

class TestKeychain : public QObject {
    Q_OBJECT

private slots:
    void registryAndKeychainRoundTrip()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run through run-test.sh keychain");
        QTemporaryDir dir;
        ServerEntry saved;
        {
            ServerRegistry reg;
            QVERIFY(reg.open(dir.filePath(QStringLiteral("r.sqlite"))));
            ServerEntry e;
            e.name = QStringLiteral("payroll");
            e.conninfo = QStringLiteral("host=db1 user=payroll");
            auto r = reg.save(e);
            QVERIFY(r);
            saved = *r;
            SecretStore secrets;
            QVERIFY(test::writePassword(secrets, saved.secretKey, QStringLiteral("pä$$ wörd")));
            QVERIFY2(!secrets.fallbackActive(), qPrintable(secrets.fallbackReason()));
            QVERIFY(!secrets.isMemoryOnly(saved.secretKey));
        }
        // A new store (a new session of the app) finds it in the keychain, not in a cache.
        ServerRegistry reg;
        QVERIFY(reg.open(dir.filePath(QStringLiteral("r.sqlite"))));
        auto back = reg.serverByName(QStringLiteral("payroll"));
        QVERIFY(back);
        SecretStore secrets;
        auto pw = test::readPassword(secrets, back->secretKey);
        QVERIFY2(pw, qPrintable(pw ? QString() : pw.error().toString()));
        QCOMPARE(*pw, QStringLiteral("pä$$ wörd"));
        // Never on disk in plain text.
        QFile db(dir.filePath(QStringLiteral("r.sqlite")));
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(!db.readAll().contains(QStringLiteral("pä$$ wörd").toUtf8()));

        // Deleting it leaves nothing behind.
        QVERIFY(test::writePassword(secrets, back->secretKey, QString()));
        SecretStore fresh;
        auto gone = test::readPassword(fresh, back->secretKey);
        QVERIFY(gone);
        QVERIFY(gone->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
