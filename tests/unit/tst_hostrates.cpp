#include "app/RestoreService.h"
#include "engine/RtoEstimate.h"

#include <QtTest>

using pga::engine::HostRates;

// The speeds an RTO estimate is made from: the median of the last eight of each, kept across runs.
class TestHostRates : public QObject {
    Q_OBJECT
private slots:
    void medianOfTheLastEight()
    {
        HostRates r;
        QVERIFY(!r.restoreRate() && !r.replayRate());
        r.addRestore(100, 1.0);
        r.addRestore(300, 1.0);
        QCOMPARE(*r.restoreRate(), 200.0);  // even count: the mean of the middle two
        r.addRestore(1000, 0.0);            // no time measured: not a rate
        r.addRestore(-5, 1.0);
        QCOMPARE(r.restoreBytesPerSec.size(), 2);
        for (int i = 0; i < 10; ++i)
            r.addReplay(1000 * (i + 1), 1.0);
        QCOMPARE(r.replayBytesPerSec.size(), 8);
        QCOMPARE(r.replayBytesPerSec.first(), 3000.0);  // the oldest two went
        QCOMPARE(*r.replayRate(), 6500.0);
    }

    void rtoToTheEndOfWalFromTheNewestBackup()
    {
        // The Overview's RTO: the newest usable backup's bytes at the restore rate, its WAL to the window's end at
        // the replay rate (assumed until one was measured); nothing without a measured restore.
        pga::engine::ServerArchiveSummary s;
        pga::engine::BackupListing old, newest, broken;
        old.id = QStringLiteral("b1");
        old.status = QStringLiteral("ok");
        old.logicalBytes = 1 << 30;
        newest.id = QStringLiteral("b2");
        newest.status = QStringLiteral("ok");
        newest.logicalBytes = 100 << 20;
        newest.startLsn = pga::Lsn(quint64(10) << 24);
        newest.stopLsn = pga::Lsn((quint64(10) << 24) + 100);
        broken.id = QStringLiteral("b3");
        broken.status = QStringLiteral("wal-missing");
        s.backupList = {old, newest, broken};
        pga::TimelineSummary t;
        t.window = pga::RecoverableWindow{};
        t.window->toLsn = pga::Lsn(quint64(14) << 24);  // 64 MiB after the backup's start
        s.timelines = {t};
        HostRates r;
        QVERIFY(!pga::app::RestoreService::rtoToEndOfWal(s, r));
        r.addRestore(50 << 20, 1.0);
        auto e = pga::app::RestoreService::rtoToEndOfWal(s, r);
        QVERIFY(e);
        QCOMPARE(e->backup, QStringLiteral("b2"));
        QCOMPARE(e->restoreSeconds, 2.0);
        QCOMPARE(e->replayWalBytes, qint64(64) << 20);
        QCOMPARE(e->replaySeconds, double(64 << 20) / pga::engine::kAssumedReplayBytesPerSec);
        r.addReplay(32 << 20, 1.0);
        QCOMPARE(pga::app::RestoreService::rtoToEndOfWal(s, r)->replaySeconds, 2.0);
    }

    void survivesARoundTripAndIgnoresDamage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/host-rates.json"));
        HostRates r;
        r.addRestore(5 << 20, 2.0);
        r.addReplay(3 << 20, 1.5);
        QVERIFY(r.save(path));
        const HostRates back = HostRates::load(path);
        QCOMPARE(back.restoreBytesPerSec, r.restoreBytesPerSec);
        QCOMPARE(back.replayBytesPerSec, r.replayBytesPerSec);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"restore_bytes_per_sec\": [\"x\", -1, 7");  // damaged: nothing usable, and no crash
        f.close();
        QVERIFY(!HostRates::load(path).restoreRate());
        QVERIFY(!HostRates::load(dir.filePath(QStringLiteral("absent.json"))).restoreRate());
    }
};

QTEST_GUILESS_MAIN(TestHostRates)
#include "tst_hostrates.moc"
