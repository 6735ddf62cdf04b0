#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// The blunder finder and undo against a real PostgreSQL 15 cluster: after a base backup, a workload of five committed
// blunders among ordinary writes, catalog noise and a rolled-back delete. blunders must report exactly those five with
// their xids, times, names and row counts; undo must bring the data back without touching anything else.
class TestBlunders : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    struct Done {
        quint32 xid = 0;
        QDateTime before, after;
    };
    Done m_drop, m_truncate, m_delete, m_update, m_dropDb, m_rollback;
    QString m_ordersMd5, m_eventsMd5, m_accountsMd5;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }

    // Runs the statements in one transaction and says which it was and when.
    Done transaction(const QStringList &statements, bool commit = true, const QString &db = QStringLiteral("postgres"))
    {
        Done d;
        auto c = pg::Connection::connect({m_c->conninfo(db)});
        if (!c)
            return d;
        d.before = QDateTime::currentDateTimeUtc().addMSecs(-5);
        bool ok = bool((*c)->exec(QStringLiteral("BEGIN")));
        auto x = (*c)->exec(QStringLiteral("SELECT txid_current()"));
        ok = ok && x;
        for (const QString &s : statements)
            ok = ok && bool((*c)->exec(s));
        ok = ok && bool((*c)->exec(commit ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK")));
        d.after = QDateTime::currentDateTimeUtc().addMSecs(5);
        if (ok)
            d.xid = x->value(0, 0).toUInt();
        return d;
    }

    // One statement on its own, as a DBA types it (autocommit): its xid is the next one.
    Done autocommit(const QString &sql)
    {
        Done d;
        const quint32 next = m_c->scalar(QStringLiteral("SELECT txid_current()")).toUInt() + 1;
        d.before = QDateTime::currentDateTimeUtc().addMSecs(-5);
        if (m_c->query(sql))
            d.xid = next;
        d.after = QDateTime::currentDateTimeUtc().addMSecs(5);
        return d;
    }

    QString md5Of(const QString &table, const QString &db = QStringLiteral("postgres"))
    {
        return TestCluster::scalarAt(m_c->conninfo(db),
                                     QStringLiteral("SELECT md5(COALESCE(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(t::text) AS h FROM %1 t) s").arg(table));
    }

    QJsonArray blunders(const QStringList &extra = {})
    {
        auto r = test::cli(QStringList{QStringLiteral("blunders")} + rs() + extra + QStringList{QStringLiteral("--json")});
        if (r.code != 0)
            qWarning("%s", r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }

    QJsonObject eventOf(const QJsonArray &events, quint32 xid)
    {
        for (const QJsonValue &v : events)
            if (v[QStringLiteral("xid")].toInteger() == xid)
                return v.toObject();
        return {};
    }

    void checkEvent(const QJsonObject &e, const QString &kind, const Done &d, const QString &db, const QString &object, qint64 rows)
    {
        QCOMPARE(e[QStringLiteral("kind")].toString(), kind);
        QCOMPARE(e[QStringLiteral("xid")].toInteger(), qint64(d.xid));
        QCOMPARE(e[QStringLiteral("database")].toString(), db);
        QCOMPARE(e[QStringLiteral("timeline")].toInt(), 1);
        QVERIFY(e[QStringLiteral("commit_lsn")].toString().contains(QLatin1Char('/')));
        const QDateTime t = QDateTime::fromString(e[QStringLiteral("commit_time")].toString(), Qt::ISODateWithMs);
        QVERIFY2(t >= d.before && t <= d.after, qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(t.toString(Qt::ISODateWithMs),
                                                                                                 d.before.toString(Qt::ISODateWithMs),
                                                                                                 d.after.toString(Qt::ISODateWithMs))));
        if (!object.isEmpty()) {
            const QJsonArray objects = e[QStringLiteral("objects")].toArray();
            QCOMPARE(objects.size(), 1);
            QCOMPARE(objects[0][QStringLiteral("schema")].toString() + QLatin1Char('.') + objects[0][QStringLiteral("name")].toString(), object);
            QVERIFY(objects[0][QStringLiteral("oid")].toInteger() >= 16384);
            QCOMPARE(objects[0][QStringLiteral("rows")].toInteger(), rows);
        }
        if (rows >= 0)
            QCOMPARE(e[QStringLiteral("rows")].toInteger(), rows);
    }

    test::CliOutput undo(quint32 xid, const QStringList &extra = {})
    {
        const QString scratch = m_c->makeServerWritableDir(QStringLiteral("undo")) + QStringLiteral("/x%1-%2").arg(xid).arg(QDateTime::currentMSecsSinceEpoch());
        return test::cli(QStringList{QStringLiteral("undo")} + rs() +
                         QStringList{QStringLiteral("--xid"), QString::number(xid), QStringLiteral("--conninfo"), m_c->conninfo(),
                                     QStringLiteral("--scratch-dir"), scratch, QStringLiteral("--json")} + extra);
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE orders(id serial PRIMARY KEY, note text)")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE events(id int PRIMARY KEY, what text)")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE accounts(id int PRIMARY KEY, balance int)")));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE docs(id int PRIMARY KEY, body text)")));
        QVERIFY(m_c->query(QStringLiteral("ALTER TABLE docs ALTER body SET STORAGE EXTERNAL")));  // out of line, uncompressed: TOAST
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE keep(id int)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO orders(note) SELECT md5(g::text) FROM generate_series(1, 1000) g")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO events SELECT g, 'e' || g FROM generate_series(1, 800) g")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 1000) g")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO docs SELECT g, repeat(md5(g::text), 100) FROM generate_series(1, 200) g")));
        QVERIFY(m_c->query(QStringLiteral("CREATE ROLE shopkeeper")));
        QVERIFY(m_c->query(QStringLiteral("CREATE DATABASE scratchdb OWNER shopkeeper")));
        QVERIFY(m_c->query(QStringLiteral("COMMENT ON DATABASE scratchdb IS 'scratch'")));
        {
            auto c = pg::Connection::connect({m_c->conninfo(QStringLiteral("scratchdb"))});
            QVERIFY(c);
            QVERIFY((*c)->exec(QStringLiteral("CREATE TABLE t AS SELECT g AS x FROM generate_series(1, 10) g")));
        }
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());

        // After the backup: a new table, more rows, a rolling catalog snapshot (what the app's sampler records).
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE fresh(id int, v text)")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO fresh SELECT g, 'f' FROM generate_series(1, 500) g")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO orders(note) SELECT 'later' FROM generate_series(1, 200) g")));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO events SELECT g, 'late' FROM generate_series(801, 1000) g")));
        auto snap = test::cli(QStringList{QStringLiteral("catalog-snapshot")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(snap.code == 0, snap.err.constData());
        m_ordersMd5 = md5Of(QStringLiteral("orders"));
        m_eventsMd5 = md5Of(QStringLiteral("events"));
        m_accountsMd5 = md5Of(QStringLiteral("accounts"));

        m_drop = autocommit(QStringLiteral("DROP TABLE orders"));
        QVERIFY(m_drop.xid);
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO keep SELECT g FROM generate_series(1, 50) g")));  // good writes after the blunder
        m_truncate = autocommit(QStringLiteral("TRUNCATE events"));
        QVERIFY(m_truncate.xid);
        m_delete = transaction({QStringLiteral("SAVEPOINT s"), QStringLiteral("DELETE FROM accounts WHERE id <= 300"), QStringLiteral("RELEASE s")});
        QVERIFY(m_delete.xid);
        m_update = transaction({QStringLiteral("UPDATE docs SET body = repeat(md5((id + 1)::text), 100) WHERE id <= 150")});
        QVERIFY(m_update.xid);
        QVERIFY(m_c->query(QStringLiteral("VACUUM FULL fresh")));       // a rewrite that keeps its rows: no blunder
        QVERIFY(m_c->query(QStringLiteral("DELETE FROM accounts WHERE id = 1000")));  // one row: below --min-rows
        m_rollback = transaction({QStringLiteral("DELETE FROM fresh")}, false);
        QVERIFY(m_rollback.xid);
        // DROP DATABASE cannot run in a transaction block anyway. The database has an owner of its own, so the drop has
        // more to clean up (and an xid) before it marks the database invalid.
        m_dropDb = autocommit(QStringLiteral("DROP DATABASE scratchdb"));
        QVERIFY(m_dropDb.xid);
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO keep SELECT g FROM generate_series(51, 100) g")));
        QVERIFY(m_c->waitForArchived(m_c->switchWal()));
        QVERIFY(m_c->waitForArchiverIdle());
    }

    void findsExactlyTheFiveBlunders()
    {
        const QJsonArray events = blunders();
        QStringList kinds;
        for (const QJsonValue &v : events)
            kinds << v[QStringLiteral("kind")].toString() + QLatin1Char(':') + QString::number(v[QStringLiteral("xid")].toInteger());
        QVERIFY2(events.size() == 5, QJsonDocument(events).toJson().constData());
        // Newest first.
        QCOMPARE(kinds, (QStringList{QStringLiteral("drop_database:%1").arg(m_dropDb.xid), QStringLiteral("update:%1").arg(m_update.xid),
                                     QStringLiteral("delete:%1").arg(m_delete.xid), QStringLiteral("truncate:%1").arg(m_truncate.xid),
                                     QStringLiteral("drop_table:%1").arg(m_drop.xid)}));
        checkEvent(events[4].toObject(), QStringLiteral("drop_table"), m_drop, QStringLiteral("postgres"), QStringLiteral("public.orders"), 1200);
        checkEvent(events[3].toObject(), QStringLiteral("truncate"), m_truncate, QStringLiteral("postgres"), QStringLiteral("public.events"), 1000);
        // The DELETE ran in a subtransaction: counted to its top-level transaction.
        checkEvent(events[2].toObject(), QStringLiteral("delete"), m_delete, QStringLiteral("postgres"), QStringLiteral("public.accounts"), 300);
        // TOAST rows changed with the UPDATE belong to docs and count no rows of their own.
        checkEvent(events[1].toObject(), QStringLiteral("update"), m_update, QStringLiteral("postgres"), QStringLiteral("public.docs"), 150);
        checkEvent(events[0].toObject(), QStringLiteral("drop_database"), m_dropDb, QStringLiteral("scratchdb"), QString(), -1);
        // Replaying DROP DATABASE's first record (its in-place invalidation) already ruins it: undo stops before that.
        QVERIFY(events[0][QStringLiteral("stop_before_lsn")].isString());
        QVERIFY(events[1][QStringLiteral("stop_before_lsn")].isNull());
        QVERIFY(eventOf(events, m_rollback.xid).isEmpty());

        // Filters: the time window (bounds included to the microsecond, given in any zone) and the row threshold.
        const QString deleted = events[2][QStringLiteral("commit_time")].toString();  // "…T16:31:42.074008Z"
        const QString truncated = events[3][QStringLiteral("commit_time")].toString();
        const QDateTime seconds = QDateTime::fromString(truncated.left(19) + QLatin1Char('Z'), Qt::ISODate);
        const QString inKolkata = seconds.toOffsetFromUtc(19800).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QLatin1Char('.') +
                                  truncated.mid(20, 6) + QStringLiteral("+05:30");
        QCOMPARE(blunders({QStringLiteral("--since"), deleted}).size(), 3);
        QCOMPARE(blunders({QStringLiteral("--until"), inKolkata}).size(), 2);
        QCOMPARE(blunders({QStringLiteral("--min-rows"), QStringLiteral("1")}).size(), 6);  // the one-row DELETE too
        QCOMPARE(blunders({QStringLiteral("--min-rows"), QStringLiteral("301")}).size(), 3);
    }

    void secondScanComesFromTheCache()
    {
        const QString cacheDir = m_repo + QStringLiteral("/servers/main/walscan/00000001");
        QVERIFY(!QDir(cacheDir).entryList(QDir::Files).isEmpty());
        const QJsonArray first = blunders();
        const QJsonArray second = blunders();
        QCOMPARE(second, first);
        // And it really came from the cache: every file read was a cache entry.
        auto human = test::cli(QStringList{QStringLiteral("blunders")} + rs());
        const QRegularExpressionMatch read = QRegularExpression(QStringLiteral("Read (\\d+) WAL files of main \\((\\d+) from the scan cache\\)"))
                                                 .match(QString::fromUtf8(human.err));
        QVERIFY2(read.hasMatch(), human.err.constData());
        QVERIFY(read.captured(1).toInt() >= 3);
        QCOMPARE(read.captured(2), read.captured(1));
        // A damaged cache entry is never trusted: it is read from the WAL again, and the answer is the same.
        const QStringList entries = QDir(cacheDir).entryList(QDir::Files, QDir::Name);
        for (const QString &e : entries) {
            QFile f(cacheDir + QLatin1Char('/') + e);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() / 2);
            f.write("garbage!");
        }
        QCOMPARE(blunders(), first);
    }

    void undoDropBringsTheTableBack()
    {
        auto dry = undo(m_drop.xid, {QStringLiteral("--dry-run")});
        QVERIFY2(dry.code == 0, dry.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(dry.out).object();
        QCOMPARE(plan[QStringLiteral("items")].toArray().size(), 1);
        QCOMPARE(plan[QStringLiteral("items")][0][QStringLiteral("target")].toString(), QStringLiteral("public.orders"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT to_regclass('orders') IS NULL")), QStringLiteral("t"));  // a dry run creates nothing

        auto r = undo(m_drop.xid);
        QVERIFY2(r.code == 0, QByteArray(r.out + r.err).constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QVERIFY(j[QStringLiteral("all_match")].toBool());
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("1200"));
        QCOMPARE(md5Of(QStringLiteral("orders")), m_ordersMd5);
        // Its index and sequence came with it; the good writes made after the blunder are still there.
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT to_regclass('orders_pkey') IS NOT NULL")), QStringLiteral("t"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM keep")), QStringLiteral("100"));
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM accounts")), QStringLiteral("699"));
        QVERIFY2(!QFileInfo::exists(j[QStringLiteral("scratch_dir")].toString()), "the scratch copy must be removed");

        // Undoing it again: the name is taken now, so it is refused and nothing changes.
        auto again = undo(m_drop.xid);
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains("already exists"), again.err.constData());
    }

    void undoTruncateAndDeleteMakeBeforeTables()
    {
        auto t = undo(m_truncate.xid);
        QVERIFY2(t.code == 0, QByteArray(t.out + t.err).constData());
        const QString events = QStringLiteral("events_before_%1").arg(m_truncate.xid);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM %1").arg(events)), QStringLiteral("1000"));
        QCOMPARE(md5Of(events), m_eventsMd5);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM events")), QStringLiteral("0"));  // live rows untouched

        auto d = undo(m_delete.xid, {QStringLiteral("--into-schema"), QStringLiteral("recovered")});
        QVERIFY2(d.code == 0, QByteArray(d.out + d.err).constData());
        const QString accounts = QStringLiteral("recovered.accounts_before_%1").arg(m_delete.xid);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM %1 WHERE id <= 300").arg(accounts)), QStringLiteral("300"));
        QCOMPARE(md5Of(accounts), m_accountsMd5);
        const QJsonObject j = QJsonDocument::fromJson(d.out).object();
        QVERIFY(j[QStringLiteral("items")][0][QStringLiteral("create_schema")].toBool());

        // The same again clashes with the table it made: refused before any restore.
        auto clash = undo(m_truncate.xid, {QStringLiteral("--dry-run")});
        QCOMPARE(clash.code, 1);
        QVERIFY2(clash.err.contains(events.toUtf8()) && clash.err.contains("already exists"), clash.err.constData());
    }

    void undoDropDatabaseMakesANewDatabase()
    {
        auto dry = undo(m_dropDb.xid, {QStringLiteral("--dry-run")});
        QVERIFY2(dry.code == 0, dry.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(dry.out).object();
        QCOMPARE(plan[QStringLiteral("items")][0][QStringLiteral("kind")].toString(), QStringLiteral("database"));
        QCOMPARE(plan[QStringLiteral("items")][0][QStringLiteral("target")].toString(), QStringLiteral("scratchdb_before_%1").arg(m_dropDb.xid));
        auto r = undo(m_dropDb.xid);
        QVERIFY2(r.code == 0, QByteArray(r.out + r.err).constData());
        const QString db = QStringLiteral("scratchdb_before_%1").arg(m_dropDb.xid);
        QCOMPARE(TestCluster::scalarAt(m_c->conninfo(db), QStringLiteral("SELECT sum(x) FROM t")), QStringLiteral("55"));
        QVERIFY(QJsonDocument::fromJson(r.out)[QStringLiteral("all_match")].toBool());
        auto none = undo(m_rollback.xid, {QStringLiteral("--dry-run")});
        QCOMPARE(none.code, 1);
        QVERIFY2(none.err.contains("made no DROP TABLE"), none.err.constData());
    }

    void aTableNoSnapshotSawIsNamedByItsFile()
    {
        const QDateTime since = QDateTime::currentDateTimeUtc();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE ghost AS SELECT g FROM generate_series(1, 150) g")));
        const QString file = m_c->scalar(QStringLiteral("SELECT pg_relation_filenode('ghost')"));
        const Done gone = transaction({QStringLiteral("DROP TABLE ghost")});
        QVERIFY(m_c->waitForArchived(m_c->switchWal()));
        const QJsonArray events = blunders({QStringLiteral("--since"), since.toString(Qt::ISODateWithMs)});
        QCOMPARE(events.size(), 1);
        const QJsonObject e = events[0].toObject();
        QCOMPARE(e[QStringLiteral("xid")].toInteger(), qint64(gone.xid));
        QCOMPARE(e[QStringLiteral("objects")][0][QStringLiteral("name")].toString(),
                 QStringLiteral("postgres/%1 (created after the last snapshot)").arg(file));
        QVERIFY(e[QStringLiteral("objects")][0][QStringLiteral("schema")].isNull());
        QCOMPARE(e[QStringLiteral("rows")].toInteger(), 150);
    }

    void expireTrimsTheScanCacheAndSnapshots()
    {
        const QString server = m_repo + QStringLiteral("/servers/main");
        auto snap = [&] { return test::cli(QStringList{QStringLiteral("catalog-snapshot")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()}); };
        QVERIFY(snap().code == 0);  // the catalog changed since the first (ghost came and went, orders came back)
        QCOMPARE(QDir(server + QStringLiteral("/catalog")).entryList(QDir::Files).size(), 2);
        QCOMPARE(snap().out, QByteArray("The catalog has not changed since the last snapshot; nothing written.\n"));
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE later(i int)")));
        QVERIFY(snap().code == 0);
        QCOMPARE(QDir(server + QStringLiteral("/catalog")).entryList(QDir::Files).size(), 3);
        QVERIFY(m_c->waitForArchived(m_c->switchWal()));
        (void)blunders();  // every segment cached
        const QString first = QStringLiteral("000000010000000000000001");
        QVERIFY(QFileInfo::exists(server + QStringLiteral("/walscan/00000001/%1.act").arg(first)));

        auto e = test::cli(QStringList{QStringLiteral("expire")} + rs() + QStringList{QStringLiteral("--retain-full"), QStringLiteral("1")});
        QVERIFY2(e.code == 0, e.err.constData());
        QVERIFY2(e.out.contains("scan cache entr"), e.out.constData());
        QVERIFY(!QFileInfo::exists(m_repo + QStringLiteral("/servers/main/wal/00000001/%1.zst").arg(first)));
        QVERIFY(!QFileInfo::exists(server + QStringLiteral("/walscan/00000001/%1.act").arg(first)));
        // The snapshot taken before the kept backup stays (it names what the kept WAL changes); the older one goes.
        QCOMPARE(QDir(server + QStringLiteral("/catalog")).entryList(QDir::Files).size(), 2);
        auto after = test::cli(QStringList{QStringLiteral("blunders")} + rs());
        QCOMPARE(after.code, 0);
    }
};

QTEST_GUILESS_MAIN(TestBlunders)
#include "tst_blunders.moc"
