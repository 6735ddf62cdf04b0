// When no keychain answers, passwords stay in memory and the user is told; nothing typed is lost.
// A process of its own: QtKeychain keeps its first D-Bus connection for the life of the process.
#include "SecretStoreWait.h"
#include "app/SecretStore.h"

#include <QLocalServer>
#include <QtTest>

using namespace pga;
using namespace pga::app;

class TestKeychainFallback : public QObject {
    Q_OBJECT

private slots:
    void fallsBackToMemoryWhenTheKeychainDoesNotAnswer()
    {
        // A bus address whose socket accepts and never speaks: the keychain hangs, we must not.
        QLocalServer silent;
        QTemporaryDir dir;
        const QString sock = dir.filePath(QStringLiteral("bus"));
        QVERIFY(silent.listen(sock));
        const QByteArray saved = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + sock.toLocal8Bit());
        SecretStore secrets;
        secrets.setServiceName(QStringLiteral("pgarchivist-test-silent"));
        secrets.setTimeout(1500);
        QSignalSpy fallback(&secrets, &SecretStore::fallbackActivated);
        QElapsedTimer t;
        t.start();
        QVERIFY(test::writePassword(secrets, QStringLiteral("k"), QStringLiteral("typed by the user")));
        qputenv("DBUS_SESSION_BUS_ADDRESS", saved);
        QVERIFY(t.elapsed() < 15000);
        QVERIFY(secrets.fallbackActive());
        QCOMPARE(fallback.count(), 1);
        QVERIFY(!secrets.fallbackReason().isEmpty());
        QVERIFY(secrets.isMemoryOnly(QStringLiteral("k")));
        auto pw = test::readPassword(secrets, QStringLiteral("k"));
        QVERIFY(pw);
        QCOMPARE(*pw, QStringLiteral("typed by the user"));  // nothing the user entered is lost
    }
};

QTEST_GUILESS_MAIN(TestKeychainFallback)
#include "tst_keychain_fallback.moc"
