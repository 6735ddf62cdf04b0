#include "SyntheticWal.h"
#include "core/BlunderFinder.h"
#include "core/CatalogSnapshot.h"
#include "core/WalActivity.h"

#include <QtTest>

using namespace pga;
using Rel = test::SyntheticWal::Rel;

// The blunder finder's pieces without a server: decoding the records it reads from synthetic segments, the cache
// encoding, catalog snapshots, and how transactions are judged (subtransactions, aborts, TOAST, catalogs, rewrites).
class TestBlunderFinder : public QObject {
    Q_OBJECT

    static CatalogSnapshot catalog()
    {
        CatalogSnapshot s;
        s.takenUtc = QDateTime(QDate(2026, 12, 1), QTime(9, 0), Qt::UTC);
        s.lsn = Lsn(0x1000);
        s.timeline = 1;
        s.systemIdentifier = 42;
        CatalogDatabase db;
        db.oid = 5;
        db.name = QStringLiteral("shop");
        db.complete = true;
        db.relations = {{16400, 16400, 0, QStringLiteral("public"), QStringLiteral("orders"), 'r', 16403, 1000},
                        {16403, 16403, 0, QStringLiteral("pg_toast"), QStringLiteral("pg_toast_16400"), 't', 0, 0},
                        {16405, 16405, 0, QStringLiteral("public"), QStringLiteral("orders_pkey"), 'i', 0, 1000},
                        {16410, 16410, 0, QStringLiteral("public"), QStringLiteral("events"), 'r', 0, 50},
                        {1259, 1259, 0, QStringLiteral("pg_catalog"), QStringLiteral("pg_class"), 'r', 0, 400}};
        s.databases.push_back(db);
        return s;
    }

    static wal::SegmentActivity scan(const test::SyntheticWal &w)
    {
        const QByteArray seg = w.build();
        auto a = wal::scanActivity(seg.constData(), size_t(seg.size()));
        return a ? *a : wal::SegmentActivity();
    }

    static QList<BlunderEvent> find(const QList<wal::SegmentActivity> &segments, BlunderFilter f = {})
    {
        CatalogNames names;
        const CatalogSnapshot s = catalog();
        names.add(s);
        BlunderFinder finder(names, {s}, f);
        for (const wal::SegmentActivity &a : segments)
            finder.addSegment(a);
        return finder.events();
    }

private slots:
    void decodesTheRecordsItReads()
    {
        test::SyntheticWal w(42, 1, 3);
        const Rel orders{1663, 5, 16400};
        for (int i = 0; i < 3; ++i)
            w.heap(0x10, 900, orders);
        w.heap(0x10, 900, orders, 0x08);          // a withdrawn speculative insert, not a delete
        w.heap(0x20, 900, orders, 0, true);       // UPDATE with a page image and a second block (same relation)
        w.heap(0x40, 900, orders);
        w.multiInsert(900, orders, 17);
        w.storageCreate(900, {1663, 5, 17000});
        w.fullPage(900, {1663, 5, 17000}, 0);
        w.databaseDrop(901, 16384);
        w.xactEnd(900, 1000000, false, {905, 906}, {orders}, {{2, 5, 16400}});
        w.xactEnd(902, 2000000, true, {}, {}, {});
        const wal::SegmentActivity a = scan(w);
        QCOMPARE(a.timeline, 1u);
        QCOMPARE(a.changes.size(), size_t(2));
        const wal::RelChange &c = a.changes[0];
        QCOMPARE(c.xid, 900u);
        QCOMPARE(c.node.rel, 16400u);
        QCOMPARE(c.deleted, 3);
        QCOMPARE(c.updated, 2);
        QCOMPARE(c.inserted, 17 - 1);
        QCOMPARE(a.changes[1].node.rel, 17000u);
        QCOMPARE(a.changes[1].pages, 1);
        QCOMPARE(a.creates.size(), size_t(1));
        QCOMPARE(a.creates[0].node.rel, 17000u);
        QCOMPARE(a.dbDrops.size(), size_t(1));
        QCOMPARE(a.dbDrops[0].db, 16384u);
        QCOMPARE(a.ends.size(), size_t(2));
        QVERIFY(a.ends[0].committed);
        QCOMPARE(a.ends[0].subxids, (std::vector<quint32>{905, 906}));
        QCOMPARE(a.ends[0].rels.size(), size_t(1));
        QCOMPARE(a.ends[0].dropped.size(), size_t(1));
        QCOMPARE(a.ends[0].dropped[0].obj, 16400u);
        QCOMPARE(a.ends[0].timeUs, 1000000 + wal::kPgEpochOffsetUs);
        QVERIFY(!a.ends[1].committed);
    }

    void cacheEncodingRoundTripsAndRefusesDamage()
    {
        test::SyntheticWal w(42, 1, 3);
        w.heap(0x10, 900, {1663, 5, 16400});
        w.xactEnd(900, 1000000, false, {901}, {{1663, 5, 16400}}, {{2, 5, 16400}});
        const wal::SegmentActivity a = scan(w);
        const QByteArray bytes = wal::encodeActivity(a);
        auto back = wal::decodeActivity(bytes);
        QVERIFY(back);
        QVERIFY(*back == a);
        QVERIFY(!wal::decodeActivity(bytes.left(bytes.size() / 2)));
        QVERIFY(!wal::decodeActivity(QByteArray("not zstd")));
        QVERIFY(!wal::decodeActivity({}));
    }

    void catalogSnapshotJsonRoundTrips()
    {
        const CatalogSnapshot s = catalog();
        auto back = parseCatalogSnapshot(catalogSnapshotJson(s));
        QVERIFY(back);
        QVERIFY(*back == s);
        QVERIFY(back->sameCatalog(s));
        CatalogSnapshot estimates = s;
        estimates.databases[0].relations[0].reltuples = 5;
        QVERIFY(estimates.sameCatalog(s));  // new estimates alone make no new rolling snapshot
        estimates.databases[0].relations[0].name = QStringLiteral("orders2");
        QVERIFY(!estimates.sameCatalog(s));
        auto refused = [](const QByteArray &json) { auto r = parseCatalogSnapshot(json); return r ? Error::Code::None : r.error().code; };
        QCOMPARE(refused("{\"format\": 9}"), Error::Code::Unsupported);
        QCOMPARE(refused("{"), Error::Code::Corrupt);
        QByteArray bad = catalogSnapshotJson(s);
        bad.replace("\"orders\"", "17");
        QCOMPARE(refused(bad), Error::Code::Corrupt);
    }

    void subtransactionsCountToTheirTopAndAbortsNothing()
    {
        test::SyntheticWal w(42, 1, 3);
        const Rel orders{1663, 5, 16400};
        for (int i = 0; i < 150; ++i)
            w.heap(0x10, 905, orders);          // in a subtransaction that commits with its parent
        for (int i = 0; i < 150; ++i)
            w.heap(0x10, 906, orders);          // in one rolled back to a savepoint
        w.xactEnd(906, 500, true, {}, {}, {});
        for (int i = 0; i < 200; ++i)
            w.heap(0x10, 910, orders);          // a whole transaction that rolls back
        w.xactEnd(910, 600, true, {}, {}, {});
        w.xactEnd(900, 1000, false, {905}, {}, {});
        const auto events = find({scan(w)});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, QStringLiteral("delete"));
        QCOMPARE(events[0].xid, 900u);
        QCOMPARE(*events[0].rows, 150);
        QCOMPARE(events[0].objects[0].name, QStringLiteral("orders"));
        QCOMPARE(events[0].database, QStringLiteral("shop"));
    }

    void toastBelongsToItsTableAndCatalogsAreLeftOut()
    {
        test::SyntheticWal w(42, 1, 3);
        for (int i = 0; i < 120; ++i) {
            w.heap(0x20, 920, {1663, 5, 16400});
            w.heap(0x10, 920, {1663, 5, 16403});  // old TOAST chunks
            w.heap(0x00, 920, {1663, 5, 16403});  // new ones
            w.heap(0x10, 920, {1663, 5, 1259});   // catalog rows
        }
        w.xactEnd(920, 1000, false, {}, {}, {});
        const auto events = find({scan(w)}, {{}, {}, 100});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, QStringLiteral("update"));
        QCOMPARE(*events[0].rows, 120);
        QCOMPARE(events[0].objects.size(), 1);
        QCOMPARE(events[0].changes.size(), 1);   // the TOAST table is not a table of its own
        QCOMPARE(events[0].changes[0].deleted, 0);
    }

    void truncateIsAnEmptyNewFileAndVacuumFullIsNot()
    {
        const Rel events{1663, 5, 16410};
        test::SyntheticWal w(42, 1, 3);
        w.storageCreate(930, {1663, 5, 17001});            // VACUUM FULL: the new file is written page by page
        w.fullPage(930, {1663, 5, 17001}, 0);
        w.storageCreate(930, {1663, 5, 17004});            // and a hash index's new file gets no page image at all
        w.storageCreate(930, {1663, 5, 17005});
        w.xactEnd(930, 1000, false, {}, {events}, {});
        const auto kept = find({scan(w)});
        QVERIFY(kept.isEmpty());

        test::SyntheticWal t(42, 1, 3);
        t.storageCreate(931, {1663, 5, 17002});            // TRUNCATE: the new file stays empty ...
        t.storageCreate(931, {1663, 5, 17003});            // ... while its index's new file gets a metapage
        t.fullPage(931, {1663, 5, 17003}, 0, true);
        t.xactEnd(931, 2000, false, {}, {events}, {});
        const auto cut = find({scan(t)});
        QCOMPARE(cut.size(), 1);
        QCOMPARE(cut[0].kind, QStringLiteral("truncate"));
        QCOMPARE(cut[0].objects[0].name, QStringLiteral("events"));
        QCOMPARE(*cut[0].objects[0].rows, 50);             // the snapshot's estimate ...
        QVERIFY(cut[0].objects[0].rowsEstimated);          // ... and said to be one
    }

    void dropNamesTheTableAndCountsItsRowsFromTheWal()
    {
        test::SyntheticWal w(42, 1, 3);
        const Rel fresh{1663, 5, 17100};
        w.storageCreate(0, fresh);                         // created (no xid yet) after the snapshot, never seen by one
        w.multiInsert(940, fresh, 300);
        w.xactEnd(940, 1000, false, {}, {}, {});
        w.xactEnd(941, 2000, false, {}, {{1663, 5, 16400}, {1663, 5, 16403}, {1663, 5, 16405}, fresh},
                  {{2, 5, 16400}, {2, 5, 16403}, {2, 5, 16405}, {2, 5, 17100}});
        const auto events = find({scan(w)});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, QStringLiteral("drop_table"));
        QCOMPARE(events[0].objects.size(), 2);             // the table and the unknown one; not TOAST or index
        QCOMPARE(events[0].objects[0].name, QStringLiteral("orders"));
        QVERIFY(events[0].objects[0].rowsEstimated);
        QCOMPARE(events[0].objects[1].name, QStringLiteral("shop/17100 (created after the last snapshot)"));
        QVERIFY(!events[0].objects[1].named);
        QCOMPARE(*events[0].objects[1].rows, 300);
        QVERIFY(!events[0].objects[1].rowsEstimated);
    }

    void dropDatabaseTimeFilterAndTimelineCopies()
    {
        test::SyntheticWal w(42, 1, 3);
        w.databaseDrop(950, 5);
        w.xactEnd(950, 1000, false, {}, {}, {{1, 5, 0}});
        const wal::SegmentActivity a = scan(w);
        const auto events = find({a, a});  // the same transaction again, as a new timeline's first segment repeats it
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, QStringLiteral("drop_database"));
        QCOMPARE(events[0].database, QStringLiteral("shop"));
        const qint64 at = 1000 + wal::kPgEpochOffsetUs;
        QCOMPARE(find({a}, {at, at, 100}).size(), 1);      // bounds are included
        QCOMPARE(find({a}, {at + 1, {}, 100}).size(), 0);
        QCOMPARE(find({a}, {{}, at - 1, 100}).size(), 0);
    }

    void aCommitCrossingTheSegmentBoundaryIsGluedFromBothHalves()
    {
        test::SyntheticWal a(42, 1, 3);
        const qsizetype n = a.capacity();
        while (a.stream().size() < n - 4000)
            a.filler(2000);
        // A filler that ends 40 bytes before the segment does: the DROP's commit starts there and ends in the next one.
        const qsizetype room = n - 40 - a.stream().size();
        a.filler(int(room - 24 - 5));
        QCOMPARE(a.stream().size(), n - 40);
        a.xactEnd(970, 1000, false, {}, {{1663, 5, 16410}}, {{2, 5, 16410}});
        QVERIFY(a.stream().size() > n);
        test::SyntheticWal b(42, 1, 4);
        quint32 total = 0;  // the record's own length: the rest of it, without the padding after it
        std::memcpy(&total, a.stream().constData() + n - 40, 4);
        const QByteArray rest = a.stream().mid(n, qsizetype(total) - 40);
        b.heap(0x10, 971, {1663, 5, 16400});
        b.xactEnd(971, 2000, false, {}, {}, {});
        const QByteArray segA = a.build(), segB = b.build(quint32(rest.size()), rest);
        const auto actA = wal::scanActivity(segA.constData(), size_t(segA.size()));
        const auto actB = wal::scanActivity(segB.constData(), size_t(segB.size()));
        QVERIFY(actA && actB);
        QVERIFY(actA->ends.empty());            // in neither segment alone
        QCOMPARE(actB->ends.size(), size_t(1));
        QCOMPARE(actA->carryHead.size(), 40);
        QCOMPARE(actB->carryTail.size(), rest.size());
        const auto joined = wal::joinedRecord(*actA, *actB);
        QVERIFY(joined);
        QCOMPARE(joined->ends.size(), size_t(1));
        QCOMPARE(joined->ends[0].xid, 970u);
        QCOMPARE(joined->ends[0].lsn, actA->carryHeadLsn);
        const auto events = find({*actA, *joined, *actB});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, QStringLiteral("drop_table"));
        QCOMPARE(events[0].objects[0].name, QStringLiteral("events"));
        // The cache keeps the halves; unrelated segments do not glue.
        QVERIFY(*wal::decodeActivity(wal::encodeActivity(*actA)) == *actA);
        QVERIFY(!wal::joinedRecord(*actB, *actA));
    }

    void malformedSegmentsAreRefusedOrSkipped()
    {
        QVERIFY(!wal::scanActivity("nope", 4));
        test::SyntheticWal w(42, 1, 3);
        w.heap(0x10, 960, {1663, 5, 16400});
        QByteArray seg = w.build();
        seg.truncate(8192 + 100);  // cut inside the second page: what was whole is still read
        auto a = wal::scanActivity(seg.constData(), size_t(seg.size()));
        QVERIFY(a);
        QCOMPARE(a->changes.size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestBlunderFinder)
#include "tst_blunderfinder.moc"
