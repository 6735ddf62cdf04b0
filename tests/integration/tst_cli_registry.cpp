// `pgarchivist-cli connect --server NAME` finds the server the DBA registered in the GUI.
#include "CliRunner.h"
#include "TestCluster.h"
#include "app/ServerRegistry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace pga;

class TestCliRegistry : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    QString m_registry;

    int cli(const QStringList &args, QByteArray *out = nullptr, QByteArray *err = nullptr)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGARCHIVIST_REGISTRY"), m_registry);
        return test::runCli(args, out, err, env);
    }

private slots:
    void initTestCase()
    {
        QString why;
        m_cluster = test::TestCluster::create({}, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        m_registry = m_dir.filePath(QStringLiteral("registry.sqlite"));
        app::ServerRegistry reg;
        QVERIFY(reg.open(m_registry));
        app::ServerEntry e;
        e.name = QStringLiteral("local");
        e.conninfo = m_cluster->conninfo();
        QVERIFY(reg.save(e));
    }

    void connectsByName()
    {
        QByteArray out;
        QCOMPARE(cli({QStringLiteral("connect"), QStringLiteral("--server"), QStringLiteral("local"), QStringLiteral("--json")}, &out), 0);
        const QJsonObject o = QJsonDocument::fromJson(out).object();
        QCOMPARE(o.value(QStringLiteral("version_num")).toInt() / 10000, 15);
        QCOMPARE(o.value(QStringLiteral("system_identifier")).toString(),
                 m_cluster->scalar(QStringLiteral("SELECT system_identifier FROM pg_control_system()")));
    }

    void checksByName()
    {
        QByteArray out;
        const int code = cli({QStringLiteral("check"), QStringLiteral("--server"), QStringLiteral("local"), QStringLiteral("--json")}, &out);
        QVERIFY2(code >= 0 && code <= 2, out.constData());  // audited, whatever it found
        QVERIFY(QJsonDocument::fromJson(out).object().value(QStringLiteral("findings")).isArray());
    }

    void unknownNameAndBadUsageSaySo()
    {
        QByteArray err;
        QCOMPARE(cli({QStringLiteral("connect"), QStringLiteral("--server"), QStringLiteral("nope")}, nullptr, &err), 1);
        QVERIFY2(err.contains("no registered server named 'nope'"), err.constData());
        QCOMPARE(cli({QStringLiteral("connect")}, nullptr, &err), 64);
        QVERIFY2(err.contains("--conninfo or --server"), err.constData());
        // Help names the command as typed, from either half of the CLI (archive-push runs in pgarchivist-cli
        // itself, connect in pgarchivist-cli-full).
        for (const QString &command : {QStringLiteral("archive-push"), QStringLiteral("connect")}) {
            QByteArray out;
            QCOMPARE(cli({command, QStringLiteral("--help")}, &out, nullptr), 0);
            QVERIFY2(out.startsWith(QByteArray("Usage: pgarchivist-cli " + command.toLatin1() + " [options]")), out.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRegistry)
#include "tst_cli_registry.moc"
