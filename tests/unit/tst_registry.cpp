#include <sys/stat.h>
// The server registry and the job runner: what a DBA registered survives restarts, damage and
// upgrades; jobs report, cancel and leave a history.
#include "app/JobRunner.h"
#include "app/ServerImport.h"
#include "app/ServerRegistry.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include <atomic>

using namespace pga;
using namespace pga::app;

class TestRegistry : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    static ServerEntry entry(const QString &name, const QString &conninfo = QStringLiteral("host=db1 user=postgres"))
    {
        ServerEntry e;
        e.name = name;
        e.group = QStringLiteral("prod");
        e.conninfo = conninfo;
        return e;
    }

private slots:
    void aSharedFolderKeepsItsMode()
    {
        // $PGARCHIVIST_REGISTRY=/tmp/x.sqlite once made /tmp 0700 and locked every other user out of it.
        const QString folder = path(QStringLiteral("shared"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 01777) == 0);
        {
            ServerRegistry r;
            QVERIFY(r.open(folder + QStringLiteral("/registry.sqlite")));
        }
        struct stat st {};
        QVERIFY(::stat(QFile::encodeName(folder).constData(), &st) == 0);
        QCOMPARE(st.st_mode & 07777, mode_t(01777));
        QCOMPARE(QFileInfo(folder + QStringLiteral("/registry.sqlite")).permissions() & QFile::Permissions(0x00ff), QFile::Permissions());
    }

    void stateIsPrivateToTheUser()
    {
        // The inventory, audit history and job logs: folder 0700, database 0600, also when an older version left
        // them world-readable (issue 10).
        const QString folder = path(QStringLiteral("state"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                                                  | QFile::ReadOther | QFile::ExeOther));
        const QString db = folder + QStringLiteral("/registry.sqlite");
        for (int round = 0; round < 2; ++round) {
            {
                ServerRegistry r;
                QVERIFY(r.open(db));
                QVERIFY(r.save(entry(QStringLiteral("db%1").arg(round))));
            }
            const QFile::Permissions groupOrOther(0x00ff);
            QCOMPARE(QFileInfo(folder).permissions() & groupOrOther, QFile::Permissions());
            QCOMPARE(QFileInfo(db).permissions() & groupOrOther, QFile::Permissions());
            QCOMPARE(QFileInfo(db).permissions() & QFile::Permissions(0xf000), QFile::ReadOwner | QFile::WriteOwner);
            QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));  // as 0644 was
        }
    }

    void roundTripSurvivesReopen()
    {
        const QString db = path(QStringLiteral("rt.sqlite"));
        qint64 id = 0;
        {
            ServerRegistry r;
            QVERIFY(r.open(db));
            QSignalSpy added(&r, &ServerRegistry::serverAdded);
            auto saved = r.save(entry(QStringLiteral("orders")));
            QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
            QVERIFY(saved->id > 0);
            QVERIFY(saved->secretKey.startsWith(QStringLiteral("server/")));
            QCOMPARE(added.count(), 1);
            id = saved->id;
        }
        ServerRegistry r;
        QVERIFY(r.open(db));
        QVERIFY(r.notice().isEmpty());
        auto back = r.server(id);
        QVERIFY(back);
        QCOMPARE(back->name, QStringLiteral("orders"));
        QCOMPARE(back->group, QStringLiteral("prod"));
        QCOMPARE(back->conninfo, QStringLiteral("host=db1 user=postgres"));
        ServerEntry renamed = *back;
        renamed.name = QStringLiteral("orders-eu");
        auto updated = r.save(renamed);
        QVERIFY(updated);
        QCOMPARE(updated->secretKey, back->secretKey);  // the keychain entry follows the server
        QCOMPARE(r.servers().size(), 1);
        QVERIFY(r.remove(id));
        QVERIFY(r.servers().isEmpty());
    }

    void badInputIsRefusedAndNothingChanges()
    {
        ServerRegistry r;
        QVERIFY(r.open(path(QStringLiteral("bad.sqlite"))));
        QVERIFY(r.save(entry(QStringLiteral("a"))));
        auto dup = r.save(entry(QStringLiteral("a")));
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, Error::Code::Conflict);
        auto empty = r.save(entry(QStringLiteral("  ")));
        QVERIFY(!empty);
        QVERIFY(empty.error().message.contains(QStringLiteral("name")));
        auto bogus = r.save(entry(QStringLiteral("b"), QStringLiteral("host=x bogus=1")));
        QVERIFY(!bogus);
        QVERIFY2(bogus.error().message.contains(QStringLiteral("bogus")), qPrintable(bogus.error().message));
        auto pw = r.save(entry(QStringLiteral("c"), QStringLiteral("host=x password=hunter2")));
        QVERIFY(!pw);
        QVERIFY(pw.error().message.contains(QStringLiteral("keychain")));
        QCOMPARE(r.servers().size(), 1);
    }

    void damagedDatabaseIsMovedAsideNotDeleted()
    {
        const QString db = path(QStringLiteral("damaged.sqlite"));
        QByteArray garbage(8192, 'x');
        garbage.prepend("this is not an SQLite database\n");
        {
            QFile f(db);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(garbage);
        }
        ServerRegistry r;
        QVERIFY(r.open(db));
        QVERIFY2(r.notice().contains(QStringLiteral(".corrupt-")), qPrintable(r.notice()));
        const QStringList kept = QDir(m_dir.path()).entryList({QStringLiteral("damaged.sqlite.corrupt-*")});
        QCOMPARE(kept.size(), 1);
        QFile old(m_dir.filePath(kept.first()));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), garbage);  // byte for byte what the user had
        QVERIFY(r.save(entry(QStringLiteral("fresh"))));
    }

    void oldSchemaIsMigratedNewerIsRefused()
    {
        const QString db = path(QStringLiteral("v1.sqlite"));
        {
            // A registry as schema version 1 wrote it.
            QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            d.setDatabaseName(db);
            QVERIFY(d.open());
            QSqlQuery q(d);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE servers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT "
                                          "NULL UNIQUE, grp TEXT NOT NULL DEFAULT '', conninfo TEXT NOT NULL, repo_dir "
                                          "TEXT NOT NULL DEFAULT '', repo_server TEXT NOT NULL DEFAULT '', sandbox "
                                          "INTEGER NOT NULL DEFAULT 0, secret_key TEXT NOT NULL, created_at TEXT NOT NULL)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO servers (name, conninfo, secret_key, created_at) VALUES "
                                          "('legacy', 'host=old', 'server/k', '2025-01-01T00:00:00Z')")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
            d.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        {
            ServerRegistry r;
            QVERIFY(r.open(db));
            QCOMPARE(r.servers().size(), 1);
            QCOMPARE(r.servers().first().name, QStringLiteral("legacy"));
            QVERIFY(r.jobHistory().isEmpty());  // the v2 table exists
            // The v3 table exists; audits go with their server.
            const qint64 legacy = r.servers().first().id;
            QVERIFY(r.audits(legacy).isEmpty());
            QVERIFY(r.addAudit(legacy, QDateTime::currentDateTimeUtc(), "{\"format\": 1}"));
            QVERIFY(!r.addAudit(legacy + 1000, QDateTime::currentDateTimeUtc(), "{}")); // no such server
            QCOMPARE(r.audits(legacy).size(), 1);
            QCOMPARE(r.audits(legacy).first().json, QByteArray("{\"format\": 1}"));
            QCOMPARE(r.audits(legacy).first().takenAt.timeSpec(), Qt::UTC);
            QVERIFY(r.remove(legacy));
            QVERIFY(r.audits(legacy).isEmpty());
        }
        {
            QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v99"));
            d.setDatabaseName(db);
            QVERIFY(d.open());
            QSqlQuery q(d);
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
            d.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v99"));
        ServerRegistry r;
        Status s = r.open(db);
        QVERIFY(!s);
        QCOMPARE(s.error().code, Error::Code::Unsupported);
        QVERIFY(s.error().message.contains(QStringLiteral("newer")));
        QVERIFY(QFile::exists(db));  // left as it is
    }

    void importsPgServiceFile()
    {
        const QString file = path(QStringLiteral("services.conf"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\n[orders]\nhost=db1.example.com\nport=5433\ndbname=orders\nuser=dba\npassword=secret\n\n"
                "[reports]\nhost=db2\n");
        f.close();
        auto r = importPgServiceFile(file);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(r->servers.size(), 2);
        QCOMPARE(r->servers[0].name, QStringLiteral("orders"));
        QVERIFY(r->servers[0].conninfo.contains(QStringLiteral("port='5433'")));
        QVERIFY(!r->servers[0].conninfo.contains(QStringLiteral("secret")));  // passwords go to the keychain
        QCOMPARE(r->warnings.size(), 1);

        // The file libpq reads itself is referenced by service name, not copied.
        qputenv("PGSERVICEFILE", file.toLocal8Bit());
        auto own = importPgServiceFile(file);
        qunsetenv("PGSERVICEFILE");
        QVERIFY(own);
        QCOMPARE(own->servers[1].conninfo, QStringLiteral("service='reports'"));

        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("host=orphan\n");
        f.close();
        auto bad = importPgServiceFile(file);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QStringLiteral("line 1")), qPrintable(bad.error().message));
    }

    void importsPgAdminExport()
    {
        const QString file = path(QStringLiteral("servers.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"Servers": {
          "1": {"Name": "Billing", "Group": "Finance", "Host": "10.0.0.5", "Port": 5432, "MaintenanceDB": "postgres",
                "Username": "dba", "SSLMode": "require"},
          "2": {"Name": "New style", "Group": "Servers", "Host": "db9", "Port": 6432, "MaintenanceDB": "app",
                "Username": "ops", "ConnectionParameters": {"sslmode": "verify-full", "connect_timeout": 10}},
          "3": {"Group": "x", "Host": "nameless"}
        }})");
        f.close();
        auto r = importPgAdminServers(file);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(r->servers.size(), 2);
        QCOMPARE(r->servers[0].name, QStringLiteral("Billing"));
        QCOMPARE(r->servers[0].group, QStringLiteral("Finance"));
        QCOMPARE(r->servers[0].conninfo,
                 QStringLiteral("host='10.0.0.5' port='5432' dbname='postgres' user='dba' sslmode='require'"));
        QVERIFY(r->servers[1].conninfo.contains(QStringLiteral("sslmode='verify-full'")));
        QVERIFY(r->servers[1].conninfo.contains(QStringLiteral("connect_timeout='10'")));
        QCOMPARE(r->warnings.size(), 1);

        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        auto bad = importPgAdminServers(file);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("not valid JSON")));
    }

    void jobsReportCancelAndLeaveHistory()
    {
        ServerRegistry history;
        QVERIFY(history.open(path(QStringLiteral("jobs.sqlite"))));
        JobRunner runner(&history);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);

        const int ok = runner.start({QStringLiteral("test"), QStringLiteral("Count"), 0}, [](JobContext &ctx) -> Status {
            for (int i = 1; i <= 5; ++i)
                ctx.progress(i, 5);
            ctx.info(QStringLiteral("counted to five"));
            return {};
        });
        std::atomic_bool started{false};
        const int slow = runner.start({QStringLiteral("test"), QStringLiteral("Forever"), 0}, [&](JobContext &ctx) -> Status {
            started = true;
            while (!ctx.isCancelled())
                QThread::msleep(5);
            return Error(Error::Code::Cancelled, QStringLiteral("stopped"));
        });
        const int bad = runner.start({QStringLiteral("test"), QStringLiteral("Fails"), 0}, [](JobContext &) -> Status {
            return Error(Error::Code::Io, QStringLiteral("disk on fire"));
        });
        QTRY_VERIFY(started);
        runner.cancel(slow);
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(runner.job(ok).state, JobInfo::State::Succeeded);
        QCOMPARE(runner.job(ok).done, 5);
        QCOMPARE(runner.job(ok).currentStep, QStringLiteral("counted to five"));
        QCOMPARE(runner.job(slow).state, JobInfo::State::Cancelled);
        QCOMPARE(runner.job(bad).state, JobInfo::State::Failed);
        QCOMPARE(runner.job(bad).error.message, QStringLiteral("disk on fire"));

        const auto records = history.jobHistory();
        QCOMPARE(records.size(), 3);
        QStringList states;
        for (const JobRecord &r : records)
            states << r.state;
        states.sort();
        QCOMPARE(states, (QStringList{QStringLiteral("cancelled"), QStringLiteral("failed"), QStringLiteral("succeeded")}));
        for (const JobRecord &r : records)
            if (r.state == QLatin1String("failed"))
                QVERIFY(r.log.contains(QStringLiteral("disk on fire")));

        runner.clearFinished();
        QVERIFY(runner.jobIds().isEmpty());
    }

    void doneCallbackSkippedWhenContextIsGone()
    {
        JobRunner runner;
        auto *ctx = new QObject;
        bool called = false;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        runner.start({QStringLiteral("t"), QStringLiteral("t"), 0, false},
                     [](JobContext &) -> Status { QThread::msleep(50); return {}; }, ctx,
                     [&](const JobInfo &) { called = true; });
        delete ctx;
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
