#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"

#include <QtTest>

#include <csignal>

using namespace pga;
using pga::test::TestCluster;

// pgarchivist-cli dump and restore-dump against real PostgreSQL 15 clusters (issue 13): a dump set of several
// databases with the roles, restored into a new cluster with every table equal; one table picked from the table of
// contents; the client matched to the server (and refused when none fits); cancel publishes nothing; a damaged
// file is named by verify and refused by restore-dump; dumps kept by their own retention.
class TestDump : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_src, m_dst;
    QString m_repo, m_setId;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("src")}; }
    QString dumpsDir() const { return m_repo + QStringLiteral("/servers/src/dumps"); }
    static QString scalar(const QString &conninfo, const QString &sql) { return TestCluster::scalarAt(conninfo, sql); }
    // What a DBA compares: the row count and an md5 over every row, in key order.
    static QString fingerprint(const QString &conninfo, const QString &table, const QString &key)
    {
        return scalar(conninfo, QStringLiteral("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY %2)), '-') FROM %1 t")
                                    .arg(table, key));
    }
    test::CliOutput dump(const QStringList &extra) const
    {
        return test::cli(QStringList{QStringLiteral("dump")} + rs() + QStringList{QStringLiteral("--conninfo"), m_src->conninfo()} + extra);
    }
    QStringList publishedDumps() const { return QDir(dumpsDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden); }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QString why;
        m_src = TestCluster::create({}, &why);
        if (!m_src)
            QSKIP(qPrintable(why));
        m_dst = TestCluster::create({}, &why);
        QVERIFY2(m_dst, qPrintable(why));
        m_repo = m_src->baseDir() + QStringLiteral("/repo");
        auto init = test::cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), m_repo});
        QVERIFY2(init.code == 0, init.err.constData());
        QVERIFY(m_src->createRole(QStringLiteral("reporter"), QStringLiteral("s3cret")));
        QVERIFY(m_src->query(QStringLiteral("CREATE DATABASE shop")));
        QVERIFY(m_src->query(QStringLiteral("CREATE DATABASE crm")));
        const QString shop = m_src->conninfo(QStringLiteral("shop"));
        for (const QString &sql : {QStringLiteral("CREATE TABLE orders(id int PRIMARY KEY, note text, placed timestamptz)"),
                                   QStringLiteral("INSERT INTO orders SELECT g, md5(g::text), '2026-01-01'::timestamptz + g * interval '1 min' "
                                                  "FROM generate_series(1, 30000) g"),
                                   QStringLiteral("CREATE SCHEMA stock"),
                                   QStringLiteral("CREATE TABLE stock.items(sku text PRIMARY KEY, qty int)"),
                                   QStringLiteral("INSERT INTO stock.items SELECT 'sku' || g, g % 7 FROM generate_series(1, 500) g"),
                                   QStringLiteral("GRANT SELECT ON orders TO reporter")}) {
            auto c = pg::Connection::connect({shop});
            QVERIFY(c);
            QVERIFY2((*c)->exec(sql), qPrintable(sql));
        }
        auto crm = pg::Connection::connect({m_src->conninfo(QStringLiteral("crm"))});
        QVERIFY(crm);
        QVERIFY((*crm)->exec(QStringLiteral("CREATE TABLE contacts(id int PRIMARY KEY, name text)")));
        QVERIFY((*crm)->exec(QStringLiteral("INSERT INTO contacts SELECT g, 'contact ' || g FROM generate_series(1, 2000) g")));
    }

    void dumpSetRestoresIntoANewCluster()
    {
        auto d = dump({QStringLiteral("--all"), QStringLiteral("--label"), QStringLiteral("nightly"), QStringLiteral("--json")});
        QVERIFY2(d.code == 0, d.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(d.out).object();
        m_setId = j[QStringLiteral("id")].toString();
        QVERIFY2(m_setId.endsWith(QLatin1String("-D")), d.out.constData());
        QCOMPARE(j[QStringLiteral("globals")].toBool(), true);
        QStringList names;
        for (const QJsonValue &v : j[QStringLiteral("databases")].toArray())
            names << v[QStringLiteral("name")].toString();
        QCOMPARE(names, (QStringList{QStringLiteral("crm"), QStringLiteral("postgres"), QStringLiteral("shop")}));
        // The manifest keeps the binary and the command lines, without the password.
        QVERIFY2(j[QStringLiteral("pg_dump")].toString().endsWith(QLatin1String("/15/bin/pg_dump")), d.out.constData());
        const QByteArray manifest = [&] {
            QFile f(dumpsDir() + QLatin1Char('/') + m_setId + QStringLiteral("/manifest.json"));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QVERIFY(manifest.contains("\"sha256\""));
        QVERIFY(manifest.contains("--globals-only"));
        QVERIFY(!manifest.contains("s3cret"));

        // info lists it beside the base backups.
        auto info = test::cli(QStringList{QStringLiteral("info")} + rs() + QStringList{QStringLiteral("--json")});
        QVERIFY2(info.code == 0, info.err.constData());
        const QJsonArray listed = QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0][QStringLiteral("kind")].toString(), QStringLiteral("dump"));
        QCOMPARE(listed[0][QStringLiteral("label")].toString(), QStringLiteral("nightly"));

        auto r = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), m_setId, QStringLiteral("--conninfo"), m_dst->conninfo(), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject rj = QJsonDocument::fromJson(r.out).object();
        // "postgres" exists in any cluster: said as a warning with its statement, not a failure.
        bool sawExists = false;
        for (const QJsonValue &w : rj[QStringLiteral("warnings")].toArray())
            sawExists = sawExists || w.toString().contains(QLatin1String("already exists"));
        QVERIFY2(sawExists, r.out.constData());
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("shop")), QStringLiteral("orders"), QStringLiteral("id")),
                 fingerprint(m_src->conninfo(QStringLiteral("shop")), QStringLiteral("orders"), QStringLiteral("id")));
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("shop")), QStringLiteral("stock.items"), QStringLiteral("sku")),
                 fingerprint(m_src->conninfo(QStringLiteral("shop")), QStringLiteral("stock.items"), QStringLiteral("sku")));
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("crm")), QStringLiteral("contacts"), QStringLiteral("id")),
                 fingerprint(m_src->conninfo(QStringLiteral("crm")), QStringLiteral("contacts"), QStringLiteral("id")));
        QVERIFY(fingerprint(m_dst->conninfo(QStringLiteral("shop")), QStringLiteral("orders"), QStringLiteral("id")).startsWith(QLatin1String("30000:")));
        // The role came with the globals, and its grant with the database.
        QCOMPARE(scalar(m_dst->conninfo(), QStringLiteral("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'reporter'")), QStringLiteral("t"));
        QCOMPARE(scalar(m_dst->conninfo(QStringLiteral("shop")), QStringLiteral("SELECT has_table_privilege('reporter', 'orders', 'SELECT')")),
                 QStringLiteral("t"));
    }

    void oneTablePickedFromTheTableOfContents()
    {
        QVERIFY(!m_setId.isEmpty());
        auto l = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), m_setId, QStringLiteral("--database"), QStringLiteral("shop"), QStringLiteral("--list")});
        QVERIFY2(l.code == 0, l.err.constData());
        const QJsonArray toc = QJsonDocument::fromJson(l.out).array();
        QVERIFY(toc.size() > 5);
        // Keep the table stock.items and its data, as the Restore dump dialog does with two checkboxes.
        QByteArray list;
        int kept = 0;
        for (const QJsonValue &e : toc) {
            const bool keep = e[QStringLiteral("schema")].toString() == QLatin1String("stock") && e[QStringLiteral("name")].toString() == QLatin1String("items")
                && (e[QStringLiteral("desc")].toString() == QLatin1String("TABLE") || e[QStringLiteral("desc")].toString() == QLatin1String("TABLE DATA"));
            kept += keep;
            list += (keep ? "" : ";") + QByteArray::number(e[QStringLiteral("id")].toInt()) + "; 0 0 " + e[QStringLiteral("desc")].toString().toUtf8() + '\n';
        }
        QCOMPARE(kept, 2);
        const QString listFile = m_src->baseDir() + QStringLiteral("/items.list");
        QFile f(listFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(list);
        f.close();
        auto r = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), m_setId, QStringLiteral("--database"), QStringLiteral("shop"), QStringLiteral("--into"),
                                         QStringLiteral("picked"), QStringLiteral("--use-list"), listFile, QStringLiteral("--conninfo"), m_dst->conninfo()});
        // stock.items needs its schema, which the list left out: that is pg_restore's ignored error, reported as a warning.
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("warning"), r.out.constData());
        QCOMPARE(scalar(m_dst->conninfo(QStringLiteral("picked")), QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")),
                 QStringLiteral("0"));

        // With --table the same through pg_restore's own filter, into a database that has the schema.
        QVERIFY(m_dst->query(QStringLiteral("CREATE DATABASE picked2")));
        auto p2 = pg::Connection::connect({m_dst->conninfo(QStringLiteral("picked2"))});
        QVERIFY(p2 && (*p2)->exec(QStringLiteral("CREATE SCHEMA stock")));
        auto t = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), m_setId, QStringLiteral("--database"), QStringLiteral("shop"), QStringLiteral("--use-list"),
                                         listFile, QStringLiteral("--conninfo"), m_dst->conninfo(QStringLiteral("picked2")), QStringLiteral("--json")});
        QVERIFY2(t.code == 0, t.err.constData());
        QCOMPARE(QDir(QDir::tempPath()).entryList({QStringLiteral("pgarchivist-restore-dump-*")}, QDir::Dirs).size(), 0);
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("picked2")), QStringLiteral("stock.items"), QStringLiteral("sku")),
                 fingerprint(m_src->conninfo(QStringLiteral("shop")), QStringLiteral("stock.items"), QStringLiteral("sku")));
        QCOMPARE(scalar(m_dst->conninfo(QStringLiteral("picked2")), QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")),
                 QStringLiteral("0"));
    }

    void clientMatchedToTheServer()
    {
        // Two more clients on this machine, a 14 and a 17 (shell wrappers around the real pg_dump that report those
        // versions): the 17 is picked for a 15 server, and the job log and the manifest say so.
        const QString real = *pg::ClientTools::program(QStringLiteral("pg_dump"), 15);
        const QString realAll = *pg::ClientTools::program(QStringLiteral("pg_dumpall"), 15);
        const QString root = m_src->baseDir() + QStringLiteral("/clients");
        for (const QString &v : {QStringLiteral("14.9"), QStringLiteral("17.2")}) {
            const QString dir = root + QLatin1Char('/') + v + QStringLiteral("/bin");
            QVERIFY(QDir().mkpath(dir));
            for (const auto &[tool, target] : {std::pair{QStringLiteral("pg_dump"), real}, std::pair{QStringLiteral("pg_dumpall"), realAll}}) {
                QFile f(dir + QLatin1Char('/') + tool);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(QStringLiteral("#!/bin/sh\nif [ \"$1\" = --version ]; then echo '%1 (PostgreSQL) %2'; exit 0; fi\nexec %3 \"$@\"\n")
                            .arg(tool, v, target)
                            .toUtf8());
                f.close();
                f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
            }
        }
        const QString dirs = root + QStringLiteral("/14.9/bin:") + root + QStringLiteral("/17.2/bin");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGA_PG_CLIENT_DIRS"), dirs);
        QByteArray out, err;
        const int code = test::runCli(QStringList{QStringLiteral("dump")} + rs()
                                          + QStringList{QStringLiteral("--conninfo"), m_src->conninfo(QStringLiteral("crm"))},
                                      &out, &err, env);
        QVERIFY2(code == 0, err.constData());
        const QString used = root + QStringLiteral("/17.2/bin/pg_dump");
        // The job log says which binary ran, and so does the manifest.
        QVERIFY2(err.contains(QStringLiteral("pg_dump: %1 (17.2)").arg(used).toUtf8()), err.constData());
        QFile manifest(dumpsDir() + QLatin1Char('/') + publishedDumps().last() + QStringLiteral("/manifest.json"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(manifest.readAll())[QStringLiteral("pg_dump")][QStringLiteral("path")].toString(), used);

        // A server newer than every client (faked at the detection seam; the server itself is real) is refused before
        // anything starts, with what was found and the package to install.
        const QStringList before = publishedDumps();
        env.insert(QStringLiteral("PGA_TEST_SERVER_VERSION_NUM"), QStringLiteral("180001"));
        const int refused = test::runCli(QStringList{QStringLiteral("dump")} + rs() + QStringList{QStringLiteral("--conninfo"), m_src->conninfo()},
                                         &out, &err, env);
        QCOMPARE(refused, 1);
        QVERIFY2(err.contains("18") && err.contains("postgresql-client-18") && err.contains("17.2"), err.constData());
        QCOMPARE(publishedDumps(), before);
    }

    void cancelPublishesNothing()
    {
        // pg_dump waits for a lock the test holds, so the dump is surely running when it is cancelled.
        auto holder = pg::Connection::connect({m_src->conninfo(QStringLiteral("shop"))});
        QVERIFY(holder);
        QVERIFY((*holder)->exec(QStringLiteral("BEGIN")));
        QVERIFY((*holder)->exec(QStringLiteral("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")));
        const QStringList before = publishedDumps();
        QProcess p;
        p.start(test::cliPath(), QStringList{QStringLiteral("dump")} + rs()
                                     + QStringList{QStringLiteral("--conninfo"), m_src->conninfo(), QStringLiteral("--database"), QStringLiteral("shop")});
        QVERIFY(p.waitForStarted());
        QDeadlineTimer deadline(30000);
        bool waiting = false;
        while (!waiting && !deadline.hasExpired()) {
            waiting = scalar(m_src->conninfo(), QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgarchivist dump %' "
                                                               "AND wait_event_type = 'Lock'")) == QLatin1String("1");
            QTest::qWait(100);
        }
        QVERIFY2(waiting, "pg_dump never waited for the lock");
        QCOMPARE(publishedDumps().size(), before.size() + 1);  // the unpublished dump's directory
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(p.readAllStandardError().contains("ancel"), "no word of the cancel");
        QCOMPARE(publishedDumps(), before);
        // pg_dump was stopped, not left waiting on the server.
        QTRY_COMPARE_WITH_TIMEOUT(scalar(m_src->conninfo(), QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgarchivist dump %'")),
                                  QStringLiteral("0"), 10000);
        QVERIFY((*holder)->exec(QStringLiteral("ROLLBACK")));
    }

    void damagedFileIsNamedAndRefused()
    {
        auto d = dump({QStringLiteral("--database"), QStringLiteral("crm"), QStringLiteral("--json")});
        QVERIFY2(d.code == 0, d.err.constData());
        const QString id = QJsonDocument::fromJson(d.out)[QStringLiteral("id")].toString();
        const QString file = dumpsDir() + QLatin1Char('/') + id + QStringLiteral("/db1.dump.zst");
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() / 2));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(f.size() / 2));
        QVERIFY(f.putChar(char(c ^ 0x55)));
        f.close();
        auto v = test::cli(QStringList{QStringLiteral("verify")} + rs() + QStringList{QStringLiteral("--backup"), id});
        QCOMPARE(v.code, 1);
        QVERIFY2(v.out.contains("db1.dump.zst") && v.out.contains("DAMAGED"), v.out.constData());
        auto r = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), id, QStringLiteral("--into"), QStringLiteral("crm_copy"), QStringLiteral("--conninfo"), m_dst->conninfo()});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("damaged") && r.err.contains("db1.dump.zst"), r.err.constData());
        // Nothing was changed on the target: the new database was never made.
        QCOMPARE(scalar(m_dst->conninfo(), QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'crm_copy'")), QStringLiteral("0"));
        // verify of everything names the same dump and passes the others.
        auto all = test::cli(QStringList{QStringLiteral("verify")} + rs());
        QCOMPARE(all.code, 1);
        QVERIFY2(all.out.contains(QStringLiteral("Dump %1: OK").arg(m_setId).toUtf8()), all.out.constData());
        QVERIFY(QDir(dumpsDir() + QLatin1Char('/') + id).removeRecursively());
    }

    void plainDumpNeedsAPsqlThatKnowsRestrict()
    {
        auto d = dump({QStringLiteral("--database"), QStringLiteral("crm"), QStringLiteral("--format"), QStringLiteral("plain"), QStringLiteral("--json")});
        QVERIFY2(d.code == 0, d.err.constData());
        const QString id = QJsonDocument::fromJson(d.out)[QStringLiteral("id")].toString();
        // A psql 16.2 on this machine (newer than the server, older than \restrict): it would be picked, and is refused.
        const QString dir = m_src->baseDir() + QStringLiteral("/old-psql/bin");
        QVERIFY(QDir().mkpath(dir));
        QFile f(dir + QStringLiteral("/psql"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'psql (PostgreSQL) 16.2'; exit 0; fi\nexec %1 \"$@\"\n")
                    .arg(*pg::ClientTools::program(QStringLiteral("psql"), 15))
                    .toUtf8());
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGA_PG_CLIENT_DIRS"), dir);
        QByteArray out, err;
        const QStringList args = QStringList{QStringLiteral("restore-dump")} + rs()
            + QStringList{QStringLiteral("--dump"), id, QStringLiteral("--into"), QStringLiteral("crm_plain"), QStringLiteral("--conninfo"), m_dst->conninfo()};
        QCOMPARE(test::runCli(args, &out, &err, env), 1);
        QVERIFY2(err.contains("\\restrict") && err.contains("postgresql-client-16") && err.contains("Nothing was restored"), err.constData());
        QCOMPARE(scalar(m_dst->conninfo(), QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'crm_plain'")), QStringLiteral("0"));
        // With the psql that came with the server it runs.
        auto r = test::cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("crm_plain")), QStringLiteral("contacts"), QStringLiteral("id")),
                 fingerprint(m_src->conninfo(QStringLiteral("crm")), QStringLiteral("contacts"), QStringLiteral("id")));
    }

    void dumpsKeptByTheirOwnRetention()
    {
        auto a = dump({QStringLiteral("--database"), QStringLiteral("crm"), QStringLiteral("--format"), QStringLiteral("plain"), QStringLiteral("--json")});
        QVERIFY2(a.code == 0, a.err.constData());
        auto b = dump({QStringLiteral("--database"), QStringLiteral("crm"), QStringLiteral("--format"), QStringLiteral("directory"), QStringLiteral("--jobs"),
                       QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());
        const QString newest = QJsonDocument::fromJson(b.out)[QStringLiteral("id")].toString();
        // The directory dump restores like the others.
        auto r = test::cli(QStringList{QStringLiteral("restore-dump")} + rs()
                           + QStringList{QStringLiteral("--dump"), newest, QStringLiteral("--into"), QStringLiteral("crm_dir"), QStringLiteral("--jobs"),
                                         QStringLiteral("2"), QStringLiteral("--conninfo"), m_dst->conninfo()});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(fingerprint(m_dst->conninfo(QStringLiteral("crm_dir")), QStringLiteral("contacts"), QStringLiteral("id")),
                 fingerprint(m_src->conninfo(QStringLiteral("crm")), QStringLiteral("contacts"), QStringLiteral("id")));
        const int before = int(publishedDumps().size());
        QVERIFY(before >= 3);
        auto dry = test::cli(QStringList{QStringLiteral("expire")} + rs() + QStringList{QStringLiteral("--retain-dumps"), QStringLiteral("1"), QStringLiteral("--dry-run")});
        QVERIFY2(dry.code == 0, dry.err.constData());
        QCOMPARE(int(publishedDumps().size()), before);
        auto e = test::cli(QStringList{QStringLiteral("expire")} + rs() + QStringList{QStringLiteral("--retain-dumps"), QStringLiteral("1")});
        QVERIFY2(e.code == 0, e.err.constData());
        QCOMPARE(publishedDumps(), QStringList{newest});
        QVERIFY2(e.out.contains(QStringLiteral("Kept 1 dump(s): %1").arg(newest).toUtf8()), e.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestDump)
#include "tst_dump.moc"
