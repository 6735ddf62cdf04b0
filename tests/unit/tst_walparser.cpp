#include "SyntheticWal.h"
#include "core/ArchiveSummary.h"
#include "core/WalName.h"
#include "core/WalParser.h"

#include <QtTest>

using namespace pga;
using pga::test::SyntheticWal;

// Pure WAL logic: names, the page header, commit timestamps in records, gaps and the recoverable window.
class TestWalParser : public QObject {
    Q_OBJECT

    static constexpr qint64 kT0 = 820000000LL * 1000000LL;  // a PostgreSQL-epoch timestamp (2025-12-26)

private slots:
    void parsesEveryArchivedName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("kind");
        QTest::addColumn<quint32>("tli");
        QTest::addColumn<quint64>("segNo");
        QTest::newRow("segment") << "000000010000000A000000FF" << int(WalName::Kind::Segment) << 1u << quint64(0xA * 256 + 0xFF);
        QTest::newRow("partial") << "000000020000000000000003.partial" << int(WalName::Kind::Partial) << 2u << quint64(3);
        QTest::newRow("backup") << "000000010000000000000002.00000028.backup" << int(WalName::Kind::Backup) << 1u << quint64(2);
        QTest::newRow("history") << "0000000A.history" << int(WalName::Kind::History) << 10u << quint64(0);
    }
    void parsesEveryArchivedName()
    {
        QFETCH(QString, name);
        QFETCH(int, kind);
        QFETCH(quint32, tli);
        QFETCH(quint64, segNo);
        const auto w = WalName::parse(name);
        QVERIFY(w);
        QCOMPARE(int(w->kind), kind);
        QCOMPARE(w->timeline, tli);
        if (w->hasSegment()) {
            QCOMPARE(w->segNo(16u << 20), segNo);
            QCOMPARE(WalName::segmentName(tli, segNo, 16u << 20), name.left(24));
        }
    }

    void rejectsOtherNames()
    {
        for (const char *n : {"", "RECOVERYXLOG", "00000001000000000000000", "000000010000000000000001.gz",
                              "00000000000000000000000A", "00000001.history", "0000000g0000000000000001", "../00000002.history"})
            QVERIFY2(!WalName::parse(QString::fromLatin1(n)), n);
    }

    void segmentNamesFollowTheSegmentSize()
    {
        // 64 MiB segments: 64 per xlogid, so segment 65 is 00000001/00000001.
        QCOMPARE(WalName::segmentName(1, 65, 64u << 20), QStringLiteral("000000010000000100000001"));
        QCOMPARE(WalName::parse(QStringLiteral("000000010000000100000001"))->segNo(64u << 20), quint64(65));
    }

    void readsTheLongHeader()
    {
        SyntheticWal w(7000000000000000001ull, 3, 5);
        const QByteArray seg = w.build();
        auto h = wal::readSegmentHeader(seg.constData(), size_t(seg.size()));
        QVERIFY2(h, qPrintable(h ? QString() : h.error().message));
        QCOMPARE(h->systemIdentifier, 7000000000000000001ull);
        QCOMPARE(h->timeline, 3u);
        QCOMPARE(h->pgVersionNum, 150000);
        QCOMPARE(h->segmentSize, 1u << 20);
        QCOMPARE(h->pageAddress.value(), quint64(5) << 20);
        QCOMPARE(wal::versionForMagic(0xD113), 160000);
    }

    void refusesWhatIsNotWal()
    {
        QByteArray junk(1 << 20, 'j');
        QCOMPARE(wal::readSegmentHeader(junk.constData(), size_t(junk.size())).error().code, Error::Code::Corrupt);
        QVERIFY(!wal::readSegmentHeader("short", 5));
        QByteArray seg = SyntheticWal(1, 1, 1).build();
        seg[32] = 3;  // segment size no longer a power of two
        QVERIFY(!wal::readSegmentHeader(seg.constData(), size_t(seg.size())));
    }

    void findsFirstAndLastTransactionTimes()
    {
        SyntheticWal w(42, 1, 7);
        w.filler(100);
        w.commit(kT0 + 5);
        for (int i = 0; i < 40; ++i) {  // records crossing page boundaries, commits between them
            w.filler(3000 + i * 37);
            w.commit(kT0 + 1000 + i, i % 7 == 3);
        }
        w.commit(kT0 + 99999, false, true);   // main data behind a block reference
        w.commit(kT0 + 50);                   // out of order: the first is the minimum, not the first seen
        const QByteArray seg = w.build(/*remLen=*/1234);
        auto s = wal::scanSegment(seg.constData(), size_t(seg.size()));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QCOMPARE(s->commits + s->aborts, 43);
        QCOMPARE(s->aborts, 6);
        QCOMPARE(*s->firstXactTimeUs, kT0 + 5 + wal::kPgEpochOffsetUs);
        QCOMPARE(*s->lastXactTimeUs, kT0 + 99999 + wal::kPgEpochOffsetUs);
        QVERIFY(!s->walSwitch);
        QCOMPARE(s->startLsn.value(), quint64(7) << 20);
        QVERIFY(s->endLsn > s->startLsn);
        QVERIFY(s->endLsn.value() < (quint64(8) << 20));
    }

    void findsRestorePointsAndTransactions()
    {
        // Restore points (name, time, the LSN pg_create_restore_point returns) and every top-level commit and
        // abort with its xid, across page boundaries, for --target-name and --target-xid.
        SyntheticWal w(42, 1, 7, 1u << 20, 0xD110, 8192);
        w.commit(kT0 + 1, false, false, 700);
        w.filler(8100);  // the restore point's record crosses into the next page
        const qsizetype end = w.restorePoint("before-deploy", kT0 + 2);
        w.commit(kT0 + 3, true, false, 702);
        w.commit(kT0 + 4, false, true, 701);
        w.restorePoint(QByteArray(80, 'n'), kT0 + 5);  // longer than PostgreSQL keeps: cut to 63
        const QByteArray seg = w.build();
        std::vector<wal::XactOutcome> xacts;
        auto s = wal::scanSegment(seg.constData(), size_t(seg.size()), &xacts);
        QVERIFY(s);
        QCOMPARE(s->restorePoints.size(), 2);
        QCOMPARE(s->restorePoints[0].name, QStringLiteral("before-deploy"));
        QCOMPARE(s->restorePoints[0].timeUs, kT0 + 2 + wal::kPgEpochOffsetUs);
        // Stream offset `end` on pages of 8192 bytes with headers of 40 (first) and 24 bytes.
        const quint64 p0 = 8192 - 40, pn = 8192 - 24;
        const quint64 e = quint64(end);
        const quint64 expected = e <= p0 ? 40 + e : (1 + (e - p0 - 1) / pn) * 8192 + 24 + (e - p0 - 1) % pn + 1;
        QCOMPARE(s->restorePoints[0].lsn.value(), (quint64(7) << 20) + expected);
        QCOMPARE(s->restorePoints[1].name, QString(63, QLatin1Char('n')));
        QCOMPARE(int(xacts.size()), 3);
        QCOMPARE(xacts[0].xid, 700u);
        QVERIFY(xacts[0].committed);
        QCOMPARE(xacts[1].xid, 702u);
        QVERIFY(!xacts[1].committed);
        QCOMPARE(xacts[2].xid, 701u);
        QVERIFY(xacts[2].lsn > xacts[1].lsn);
        QCOMPARE(*s->minXid, 700u);
        QCOMPARE(*s->maxXid, 702u);
    }

    void stopsAtWalSwitchAndAtStalePages()
    {
        SyntheticWal w(42, 1, 2);
        w.commit(kT0);
        w.walSwitch();
        w.commit(kT0 + 777);  // after the switch: not part of this segment's WAL
        QByteArray seg = w.build();
        auto s = wal::scanSegment(seg.constData(), size_t(seg.size()));
        QVERIFY(s);
        QVERIFY(s->walSwitch);
        QCOMPARE(s->commits, 1);
        QCOMPARE(s->endLsn.value(), quint64(3) << 20);

        // A recycled segment: the second page still carries an old address, so the scan ends there.
        SyntheticWal r(42, 1, 2);
        for (int i = 0; i < 10; ++i) {
            r.filler(2000);
            r.commit(kT0 + i);
        }
        seg = r.build();
        const quint64 stale = 12345 * 8192;
        std::memcpy(seg.data() + 8192 + 8, &stale, 8);
        s = wal::scanSegment(seg.constData(), size_t(seg.size()));
        QVERIFY(s);
        QVERIFY(s->commits < 10);
        QVERIFY(s->endLsn.value() <= (quint64(2) << 20) + 8192 + 24);
    }

    void summarizesGapsAndWindow()
    {
        const quint64 seg = 16u << 20;
        QList<ArchivedSegment> segs;
        auto add = [&](quint32 tli, quint64 no, std::optional<qint64> lastUs = std::nullopt) {
            ArchivedSegment s;
            s.timeline = tli;
            s.segNo = no;
            s.name = WalName::segmentName(tli, no, seg);
            s.startLsn = Lsn(no * seg);
            s.endLsn = Lsn((no + 1) * seg);
            s.lastXactTimeUs = lastUs;
            s.firstXactTimeUs = lastUs;
            s.size = qint64(seg);
            s.arrivedUtc = QDateTime::fromSecsSinceEpoch(qint64(1700000000 + no), Qt::UTC);
            segs << s;
        };
        for (quint64 n : {1, 2, 3, 6, 7, 10})
            add(1, n, qint64(1700000000000000LL + qint64(n) * 1000000));
        add(2, 11);
        // No backup: no window, but ranges and gaps.
        auto sum = summarizeArchive(segs, {}, seg);
        QCOMPARE(sum.size(), 2);
        const TimelineSummary &t1 = sum[0];
        QCOMPARE(t1.firstSegment, QStringLiteral("000000010000000000000001"));
        QCOMPARE(t1.lastSegment, QStringLiteral("00000001000000000000000A"));
        QCOMPARE(t1.gaps.size(), 2);
        QCOMPARE(t1.gaps[0].firstName, QStringLiteral("000000010000000000000004"));
        QCOMPARE(t1.gaps[0].lastName, QStringLiteral("000000010000000000000005"));
        QCOMPARE(t1.gaps[1].count(), quint64(2));
        QCOMPARE(t1.lastArrivedSegment, QStringLiteral("00000001000000000000000A"));
        QVERIFY(!t1.window);
        QCOMPARE(sum[1].timeline, 2u);

        // A backup in segments 1..2: the window runs to the end of segment 3 (the first gap).
        BackupPoint b{QStringLiteral("b1"), 1, Lsn(1 * seg + 40), Lsn(2 * seg + 100),
                      QDateTime::fromSecsSinceEpoch(1700000001, Qt::UTC)};
        sum = summarizeArchive(segs, {b}, seg);
        QVERIFY(sum[0].window);
        QCOMPARE(sum[0].window->fromLsn, b.stopLsn);
        QCOMPARE(sum[0].window->toLsn, Lsn(4 * seg));
        QCOMPARE(sum[0].window->toTimeUtc, QDateTime::fromSecsSinceEpoch(1700000003, Qt::UTC));
        QCOMPARE(sum[0].window->toTimeUs, std::optional<qint64>(1700000003000000LL));
        QVERIFY(!sum[1].window);
        // The window's end keeps the last commit's microseconds (the QDateTime beside it keeps only ms).
        segs[2].lastXactTimeUs = 1700000003123457LL;
        sum = summarizeArchive(segs, {b}, seg);
        QCOMPARE(sum[0].window->toTimeUs, std::optional<qint64>(1700000003123457LL));
        QCOMPARE(sum[0].window->toTimeUtc.toMSecsSinceEpoch(), 1700000003123LL);

        // A backup whose WAL is missing gives no window; a later one whose WAL is complete does.
        BackupPoint broken{QStringLiteral("b0"), 1, Lsn(4 * seg), Lsn(4 * seg + 10), {}};
        BackupPoint late{QStringLiteral("b2"), 1, Lsn(6 * seg), Lsn(6 * seg + 8), QDateTime::fromSecsSinceEpoch(1700000006, Qt::UTC)};
        sum = summarizeArchive(segs, {broken, late}, seg);
        QVERIFY(sum[0].window);
        QCOMPARE(sum[0].window->backupId, QStringLiteral("b2"));
        QCOMPARE(sum[0].window->toLsn, Lsn(8 * seg));
    }
};

QTEST_GUILESS_MAIN(TestWalParser)
#include "tst_walparser.moc"
