// The Configuration view as a DBA uses it, offscreen against real PostgreSQL: the audit runs on first
// sight, findings show with their details, Apply fix asks with the exact SQL, runs as a job and
// re-audits; a restart-only fix says a restart is still needed; a fix with placeholders cannot be
// applied; a setting changed between audits shows in the change list with when we noticed it.
#include "Confirm.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "TestCluster.h"
#include "app/AppContext.h"
#include "config/AuditModels.h"
#include "config/ConfigurationView.h"
#include "servers/ServerTreeModel.h"
#include "servers/ServerView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableView>

using namespace pga;
using namespace pga::gui;

class TestConfigView : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<app::AppContext> m_app;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_id = 0;

    ConfigurationView *view() const { return m_window->serverView()->configurationView(); }
    bool shows(const QString &id) const { return view()->findingsModel()->rowOf(id) >= 0; }
    QString ids() const
    {
        QStringList out;
        for (const audit::Finding &f : view()->findingsModel()->findings())
            out << f.id;
        return out.join(QLatin1Char(' '));
    }
    // Applies the finding's fix through the view with a scripted "Yes"; waits for the re-audit.
    bool applyWithYes(const QString &id)
    {
        if (!view()->selectFinding(id) || !view()->applyFixAction()->isEnabled())
            return false;
        QSignalSpy audited(&m_app->audits(), &app::AuditService::auditFinished);
        setNextAnswer(QMessageBox::Yes);
        view()->applyFixAction()->trigger();
        return audited.wait(30000);
    }

private slots:
    void initTestCase()
    {
        QString why;
        test::TestCluster::Options o;
        o.archiveToDir = true;
        o.conf = {QStringLiteral("archive_timeout = 0"), QStringLiteral("max_wal_senders = 0")};
        m_cluster = test::TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        m_app = std::make_unique<app::AppContext>();
        QVERIFY(m_app->open(m_dir.filePath(QStringLiteral("registry.sqlite"))));
        MainWindow::Options mo;
        mo.offerSandbox = false;
        m_window = std::make_unique<MainWindow>(*m_app, mo);
        const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
        new QAbstractItemModelTester(m_window->serverModel(), mode, m_window.get());
        new QAbstractItemModelTester(view()->findingsModel(), mode, m_window.get());
        new QAbstractItemModelTester(view()->findingsProxy(), mode, m_window.get());
        new QAbstractItemModelTester(view()->settingsModel(), mode, m_window.get());
        new QAbstractItemModelTester(view()->changesModel(), mode, m_window.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void auditRunsOnFirstSight()
    {
        app::ServerEntry e;
        e.name = QStringLiteral("orders");
        e.conninfo = m_cluster->conninfo();
        auto saved = m_app->registry().save(e);
        QVERIFY(saved);
        m_id = saved->id;
        m_window->selectServer(m_id);
        m_window->serverView()->tabs()->setCurrentWidget(view());
        QCOMPARE(view()->server(), m_id);
        // No button pressed: the server came online, the view audited it.
        QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("archive_timeout.zero")), 30000);
        QVERIFY2(shows(QStringLiteral("max_wal_senders.zero")), qPrintable(ids()));
        QVERIFY2(view()->statusText().contains(QStringLiteral("CET")), qPrintable(view()->statusText()));

        // Severity icons, and the tree's badge shows the worst severity.
        const auto *fm = view()->findingsModel();
        QVERIFY(!fm->index(0, FindingsModel::SeverityColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        const QModelIndex badge = m_window->serverModel()->indexOfServer(m_id, ServerTreeModel::AuditColumn);
        QVERIFY(badge.data(ServerTreeModel::WorstSeverityRole).toInt() >= int(audit::Severity::Warning));
        QVERIFY(!badge.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(m_window->serverModel()
                    ->indexOfServer(m_id)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Configuration audit")));

        // The archive settings with where they are set.
        const auto *sm = view()->settingsModel();
        bool found = false;
        for (int r = 0; r < sm->rowCount(); ++r) {
            if (sm->index(r, SettingsModel::NameColumn).data().toString() != QLatin1String("archive_timeout"))
                continue;
            found = true;
            QCOMPARE(sm->index(r, SettingsModel::ValueColumn).data().toString(), QStringLiteral("0 s"));
            const QString source = sm->index(r, SettingsModel::SourceColumn).data().toString();
            QVERIFY2(source.contains(QStringLiteral("postgresql.conf:")), qPrintable(source));
            QCOMPARE(sm->index(r, SettingsModel::ContextColumn).data().toString(), QStringLiteral("reload"));
        }
        QVERIFY(found);
    }

    void filterAndDetails()
    {
        auto *proxy = view()->findingsProxy();
        const int all = proxy->rowCount();
        view()->findChild<QLineEdit *>(QStringLiteral("findingSearch"))->setText(QStringLiteral("archive_timeout"));
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, FindingsModel::IdColumn).data().toString(), QStringLiteral("archive_timeout.zero"));
        view()->findChild<QLineEdit *>(QStringLiteral("findingSearch"))->clear();
        auto *severity = view()->findChild<QComboBox *>(QStringLiteral("severityFilter"));
        severity->setCurrentIndex(severity->findData(int(audit::Severity::Critical)));
        for (int r = 0; r < proxy->rowCount(); ++r)
            QCOMPARE(proxy->index(r, 0).data(FindingsModel::SeverityRole).toInt(), int(audit::Severity::Critical));
        QVERIFY(!view()->selectFinding(QStringLiteral("archive_timeout.zero"))); // filtered out
        severity->setCurrentIndex(0);
        QCOMPARE(proxy->rowCount(), all);
        // Sorted most severe first, in the rules' order within a severity (as the CLI lists them).
        QStringList sorted;
        for (int r = 0; r < all; ++r)
            sorted << proxy->index(r, FindingsModel::IdColumn).data().toString();
        QCOMPARE(sorted.join(QLatin1Char(' ')), ids());

        QVERIFY(view()->selectFinding(QStringLiteral("archive_timeout.zero")));
        const QString details = view()->detailsText();
        QVERIFY2(details.contains(QStringLiteral("ALTER SYSTEM SET archive_timeout")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("reload")), qPrintable(details));
        view()->copySqlAction()->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), view()->currentFinding()->fixSql);
    }

    void placeholderFixCannotBeApplied()
    {
        const auto &all = view()->findingsModel()->findings();
        const auto it
            = std::find_if(all.cbegin(), all.cend(), [](const audit::Finding &f) { return audit::fixNeedsInput(f); });
        QVERIFY2(it != all.cend(), qPrintable(ids()));
        QVERIFY(view()->selectFinding(it->id, it->setting));
        QVERIFY(!view()->applyFixAction()->isEnabled());
        QVERIFY2(view()->applyFixAction()->toolTip().contains(QStringLiteral("<repo>")),
                 qPrintable(view()->applyFixAction()->toolTip()));
        QVERIFY(view()->copySqlAction()->isEnabled()); // copy it and fill it in by hand
    }

    void cancelledConfirmationRunsNothing()
    {
        QVERIFY(view()->selectFinding(QStringLiteral("archive_timeout.zero")));
        const int jobs = int(m_app->jobs().jobIds().size());
        setNextAnswer(QMessageBox::Cancel);
        view()->applyFixAction()->trigger();
        QTest::qWait(200);
        QCOMPARE(int(m_app->jobs().jobIds().size()), jobs);
        QVERIFY(shows(QStringLiteral("archive_timeout.zero")));
    }

    void applyFixReloadsAndTheFindingGoes()
    {
        QVERIFY(view()->selectFinding(QStringLiteral("archive_timeout.zero")));
        const QString sql = view()->currentFinding()->fixSql;
        QVERIFY(applyWithYes(QStringLiteral("archive_timeout.zero")));
        // The question showed the exact SQL before anything ran.
        QVERIFY2(lastQuestion().contains(sql), qPrintable(lastQuestion()));
        QVERIFY2(!shows(QStringLiteral("archive_timeout.zero")), qPrintable(ids()));
        QVERIFY2(view()->fixResultText().contains(QStringLiteral("reloaded")), qPrintable(view()->fixResultText()));
        QCOMPARE(m_cluster->scalar(QStringLiteral("SHOW archive_timeout")), QStringLiteral("5min"));
        // It ran as a job.
        const auto jobIds = m_app->jobs().jobIds();
        QVERIFY(std::any_of(jobIds.cbegin(), jobIds.cend(), [this](int j) {
            return m_app->jobs().job(j).kind == QLatin1String("audit-fix")
                && m_app->jobs().job(j).state == app::JobInfo::State::Succeeded;
        }));
    }

    void restartOnlyFixSaysSo()
    {
        QVERIFY(applyWithYes(QStringLiteral("max_wal_senders.zero")));
        QVERIFY2(lastQuestion().contains(QStringLiteral("restarted")), qPrintable(lastQuestion()));
        const QString result = view()->fixResultText();
        QVERIFY2(result.contains(QStringLiteral("restarted")) && result.contains(QStringLiteral("max_wal_senders")),
                 qPrintable(result));
        QVERIFY2(shows(QStringLiteral("restart.pending")), qPrintable(ids()));
    }

    void changesBetweenAuditsAreListed()
    {
        QVERIFY(m_cluster->query(QStringLiteral("ALTER SYSTEM SET archive_command = 'test ! -f /elsewhere/%f'")));
        QVERIFY(m_cluster->query(QStringLiteral("SELECT pg_reload_conf()")));
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster->scalar(QStringLiteral("SHOW archive_command")),
                                  QStringLiteral("test ! -f /elsewhere/%f"), 10000);
        QSignalSpy audited(&m_app->audits(), &app::AuditService::auditFinished);
        QVERIFY(view()->runAuditAction()->isEnabled());
        view()->runAuditAction()->trigger();
        QVERIFY(audited.wait(30000));

        const auto *cm = view()->changesModel();
        int row = -1;
        for (int r = 0; r < cm->rowCount() && row < 0; ++r)
            if (cm->index(r, ChangesModel::SettingColumn).data().toString() == QLatin1String("archive_command"))
                row = r;
        QVERIFY(row >= 0);
        QCOMPARE(row, 0); // newest first
        QCOMPARE(cm->index(row, ChangesModel::AfterColumn).data().toString(),
                 QStringLiteral("test ! -f /elsewhere/%f"));
        QVERIFY(cm->index(row, ChangesModel::BeforeColumn).data().toString().startsWith(QLatin1String("test ! -f ")));
        const QString noticed = cm->index(row, ChangesModel::NoticedColumn).data().toString();
        QVERIFY2(noticed.endsWith(QStringLiteral("CET")), qPrintable(noticed));
        QVERIFY(cm->index(row, ChangesModel::SettingColumn).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY2(view()->statusText().contains(QStringLiteral("1 archive setting(s) changed since the previous audit")),
                 qPrintable(view()->statusText()));
        QVERIFY2(cm->index(row, ChangesModel::SetInColumn).data().toString().contains(QStringLiteral("ALTER SYSTEM")),
                 qPrintable(cm->index(row, ChangesModel::SetInColumn).data().toString()));
        // The earlier fix shows as a change too: archive_timeout 0 -> 300.
        bool timeout = false;
        for (int r = 0; r < cm->rowCount(); ++r)
            timeout = timeout
                || cm->index(r, ChangesModel::SettingColumn).data().toString() == QLatin1String("archive_timeout");
        QVERIFY(timeout);

        // To look at it: PGA_CONFIG_SCREENSHOT=/tmp/config.png ctest -R configview
        if (const QString shot = qEnvironmentVariable("PGA_CONFIG_SCREENSHOT"); !shot.isEmpty()) {
            m_window->resize(1280, 800);
            QVERIFY(view()->selectFinding(QStringLiteral("max_wal_senders.zero")));
            QTest::qWait(100);
            QVERIFY(m_window->grab().save(shot));
        }
    }

    void cleanupTestCase()
    {
        if (m_app)
            m_app->jobs().waitForDone(30000);
        m_window.reset();
        m_app.reset();
    }
};

QTEST_MAIN(TestConfigView)
#include "tst_configview.moc"
