#include "CliRunner.h"
#include "engine/Sandbox.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"

#include <QtTest>

using namespace pga;

// The sandbox is what a new user sees first: it must come up archiving, and the CLI must drive it.
class TestSandbox : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp{QStringLiteral("/tmp/pga-sbx-test.XXXXXX")};

    static int cli(const QStringList &args, QByteArray *out = nullptr) { return test::runCli(args, out); }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QVERIFY(QFileInfo(test::cliPath()).isExecutable());
    }

    void lifecycleThroughTheCli()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("sb"));
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("status"), QStringLiteral("--dir"), dir}), 4);
        QByteArray out;
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("create"), QStringLiteral("--dir"), dir, QStringLiteral("--json")}, &out), 0);
        const QJsonObject o = QJsonDocument::fromJson(out).object();
        QVERIFY(o.value(QStringLiteral("running")).toBool());
        const QString conninfo = o.value(QStringLiteral("conninfo")).toString();

        // A live server that archives: archive_mode on, archive_command set to our push into its repository.
        auto c = pg::Connection::connect({conninfo});
        QVERIFY2(c, qPrintable(c ? QString() : c.error().toString()));
        auto r = (*c)->exec(QStringLiteral("SELECT current_setting('archive_mode'), current_setting('archive_command'), "
                                           "current_setting('wal_level'), current_setting('data_checksums')"));
        QVERIFY(r);
        QCOMPARE(r->value(0, 0), QStringLiteral("on"));
        QVERIFY2(r->value(0, 1).contains(QStringLiteral("archive-push --repo ") + dir + QStringLiteral("/repo")), qPrintable(r->value(0, 1)));
        QCOMPARE(r->value(0, 2), QStringLiteral("replica"));
        QCOMPARE(r->value(0, 3), QStringLiteral("on"));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/repo/pgarchivist-repo.json")));
        c->reset();

        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("create"), QStringLiteral("--dir"), dir}), 1);  // exists already
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("stop"), QStringLiteral("--dir"), dir}), 0);
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("status"), QStringLiteral("--dir"), dir}), 3);
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("start"), QStringLiteral("--dir"), dir}), 0);
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("status"), QStringLiteral("--dir"), dir}), 0);
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("destroy"), QStringLiteral("--dir"), dir}), 0);
        QVERIFY(!QFileInfo::exists(dir));
    }

    void destroyRefusesAForeignDirectory()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("precious"));
        QDir().mkpath(dir);
        QFile f(dir + QStringLiteral("/keep.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        engine::Sandbox s(dir);
        QVERIFY(!s.destroy());
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/keep.txt")));
    }

    void usageErrors()
    {
        QCOMPARE(cli({QStringLiteral("sandbox")}), 64);
        QCOMPARE(cli({QStringLiteral("sandbox"), QStringLiteral("explode")}), 64);
        QCOMPARE(cli({QStringLiteral("no-such-command")}), 64);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
