// A new user with no server: the window offers a sandbox, creates it as a job, registers it,
// and the user sees a live server at once.
#include "Confirm.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "app/AppContext.h"
#include "engine/Sandbox.h"
#include "pg/ClientTools.h"
#include "servers/ServerTreeModel.h"
#include "servers/ServerView.h"

using namespace pga;
using namespace pga::gui;

class TestSandboxOffer : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp{QStringLiteral("/tmp/pga-sbx-gui.XXXXXX")};

private slots:
    void emptyRegistryOffersASandboxThatComesUpOnline()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        // As installed: pgarchivist-cli on PATH, so the sandbox's archive_command names it.
        qputenv("PATH", (qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli:")).toLocal8Bit() + qgetenv("PATH"));
        const QString base = m_tmp.filePath(QStringLiteral("sb"));
        app::AppContext app;
        QVERIFY(app.open(m_tmp.filePath(QStringLiteral("r.sqlite"))));
        MainWindow::Options o;
        o.sandboxBaseDir = base;
        setNextAnswer(QMessageBox::Yes);
        MainWindow window(app, o);
        window.show();
        QTRY_VERIFY(lastQuestion().contains(QStringLiteral("sandbox")));
        QTRY_VERIFY_WITH_TIMEOUT(app.registry().serverByName(QStringLiteral("sandbox")).ok(), 90000);
        const auto entry = *app.registry().serverByName(QStringLiteral("sandbox"));
        QVERIFY(entry.sandbox);
        QCOMPARE(entry.repoDir, base + QStringLiteral("/repo"));
        QTRY_COMPARE_WITH_TIMEOUT(
            window.serverModel()->indexOfServer(entry.id, ServerTreeModel::StatusColumn).data().toString(),
            QStringLiteral("online"), 20000);
        QCOMPARE(window.currentServer(), entry.id);
        QVERIFY(window.serverView()->overviewValue(QStringLiteral("version")).contains(QStringLiteral("PostgreSQL 15")));
        // For the README: PGA_SCREENSHOT=docs/screenshot.png ctest -R sandboxoffer
        if (const QString shot = qEnvironmentVariable("PGA_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(window.grab().save(shot));
    }

    void cleanupTestCase() { (void)engine::Sandbox(m_tmp.filePath(QStringLiteral("sb"))).destroy(); }
};

QTEST_MAIN(TestSandboxOffer)
#include "tst_sandboxoffer.moc"
