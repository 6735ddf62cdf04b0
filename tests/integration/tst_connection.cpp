#include "TestCluster.h"
#include "pg/ServerFacts.h"

#include <QtTest>

#include <thread>

using namespace pga;

class TestConnection : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_cluster;

private slots:
    void initTestCase()
    {
        QString why;
        m_cluster = test::TestCluster::create({}, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        QVERIFY(m_cluster->createRole(QStringLiteral("alice"), QStringLiteral("s3cret")));
    }

    void readsFactsOverSocket()
    {
        auto c = pg::Connection::connect({m_cluster->conninfo()});
        QVERIFY2(c, qPrintable(c ? QString() : c.error().toString()));
        auto f = pg::readServerFacts(**c);
        QVERIFY2(f, qPrintable(f ? QString() : f.error().toString()));
        QCOMPARE(f->majorVersion(), 15);
        QVERIFY(f->systemIdentifier != 0);
        QVERIFY(!f->inRecovery);
        QCOMPARE(f->timeline, 1);
        QVERIFY(f->currentLsn.isValid());
        QCOMPARE(f->user, QStringLiteral("postgres"));
    }

    // libpq's own ways of naming a server work unchanged: a pg_service.conf entry, PG* variables.
    void serviceFileAndEnvironment()
    {
        const QString host = pg::conninfoValue(m_cluster->conninfo(), QStringLiteral("host"));
        const QString port = pg::conninfoValue(m_cluster->conninfo(), QStringLiteral("port"));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pg_service.conf"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("[testdb]\nhost=%1\nport=%2\nuser=postgres\ndbname=postgres\n").arg(host, port).toUtf8());
        f.close();
        qputenv("PGSERVICEFILE", file.toLocal8Bit());
        auto viaService = pg::Connection::connect({QStringLiteral("service=testdb")});
        qunsetenv("PGSERVICEFILE");
        QVERIFY2(viaService, qPrintable(viaService ? QString() : viaService.error().toString()));
        QCOMPARE((*viaService)->port(), port);

        qputenv("PGHOST", host.toLocal8Bit());
        qputenv("PGPORT", port.toLocal8Bit());
        qputenv("PGUSER", "postgres");
        auto viaEnv = pg::Connection::connect({QStringLiteral("dbname=postgres")});
        qunsetenv("PGHOST");
        qunsetenv("PGPORT");
        qunsetenv("PGUSER");
        QVERIFY2(viaEnv, qPrintable(viaEnv ? QString() : viaEnv.error().toString()));
        QCOMPARE((*viaEnv)->port(), port);
    }

    // sslmode is used as given: requiring SSL from a server without it fails and says so.
    void sslmodeIsHonoured()
    {
        pg::ConnectOptions o{m_cluster->tcpConninfo(QStringLiteral("alice")) + QStringLiteral(" sslmode=require"),
                             QStringLiteral("s3cret")};
        auto c = pg::Connection::connect(o);
        QVERIFY(!c);
        QVERIFY2(c.error().toString().contains(QStringLiteral("SSL"), Qt::CaseInsensitive), qPrintable(c.error().toString()));
    }

    void passwordOverTcp()
    {
        pg::ConnectOptions o{m_cluster->tcpConninfo(QStringLiteral("alice")), QStringLiteral("s3cret")};
        auto c = pg::Connection::connect(o);
        QVERIFY2(c, qPrintable(c ? QString() : c.error().toString()));
        QCOMPARE((*c)->user(), QStringLiteral("alice"));
    }

    void wrongPasswordSaysSo()
    {
        pg::ConnectOptions o{m_cluster->tcpConninfo(QStringLiteral("alice")), QStringLiteral("wrong")};
        auto c = pg::Connection::connect(o);
        QVERIFY(!c);
        QCOMPARE(c.error().code, Error::Code::Authentication);
        QVERIFY2(c.error().message.contains(QStringLiteral("password")), qPrintable(c.error().message));
        QVERIFY(!c.error().toString().contains(QStringLiteral("wrong")));  // never echo the secret
    }

    void invalidConninfoNamesTheProblem()
    {
        auto c = pg::Connection::connect({QStringLiteral("host=localhost bogus=1"), {}});
        QVERIFY(!c);
        QCOMPARE(c.error().code, Error::Code::InvalidArgument);
        QVERIFY2(c.error().message.contains(QStringLiteral("bogus")), qPrintable(c.error().message));
    }

    void refusedPortSaysNothingListens()
    {
        const int port = pg::pickFreePort();
        auto c = pg::Connection::connect({QStringLiteral("host=127.0.0.1 port=%1 user=x").arg(port)});
        QVERIFY(!c);
        QCOMPARE(c.error().code, Error::Code::Connection);
        QVERIFY2(c.error().message.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(c.error().message));
    }

    void queryCancelStopsALongQuery()
    {
        auto c = pg::Connection::connect({m_cluster->conninfo()});
        QVERIFY(c);
        CancelToken token;
        QElapsedTimer t;
        t.start();
        // Cancel from another thread, as the job runner does.
        std::thread canceller([&] { QThread::msleep(200); token.cancel(); });
        auto r = (*c)->exec(QStringLiteral("SELECT pg_sleep(30)"), {}, &token);
        canceller.join();
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QVERIFY(t.elapsed() < 10000);
        // The connection stays usable after a cancel.
        auto again = (*c)->exec(QStringLiteral("SELECT 1"));
        QVERIFY(again);
        QCOMPARE(again->value(0, 0), QStringLiteral("1"));
    }

    void queryTimeoutCancels()
    {
        auto c = pg::Connection::connect({m_cluster->conninfo()});
        QVERIFY(c);
        auto r = (*c)->exec(QStringLiteral("SELECT pg_sleep(30)"), {}, nullptr, 300);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Timeout);
    }

    void serverErrorIsAQueryError()
    {
        auto c = pg::Connection::connect({m_cluster->conninfo()});
        QVERIFY(c);
        auto r = (*c)->exec(QStringLiteral("SELECT * FROM no_such_table"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Query);
        QVERIFY(r.error().message.contains(QStringLiteral("no_such_table")));
        QVERIFY(r.error().detail.contains(QStringLiteral("42P01")));
    }

    void paramsAreBound()
    {
        auto c = pg::Connection::connect({m_cluster->conninfo()});
        QVERIFY(c);
        auto r = (*c)->exec(QStringLiteral("SELECT $1::text || $2::text"), {QStringLiteral("a'b"), QStringLiteral("ü")});
        QVERIFY(r);
        QCOMPARE(r->value(0, 0), QStringLiteral("a'bü"));
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
