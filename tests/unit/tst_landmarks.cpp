#include "SyntheticWal.h"
#include "engine/WalLandmarks.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QtTest>

using namespace pga;
using pga::repo::WalArchive;
using pga::repo::WalFileMeta;

// Restore points across an archive: from archive-push's headers, from the WAL itself for files archived before
// headers carried them, and from the cache of complete blocks of 1024 segments, which must notice any change.
class TestLandmarks : public QObject {
    Q_OBJECT

    static QString name(quint64 segNo) { return WalName::segmentName(1, segNo, 16u << 20); }
    static Result<WalArchive::Stored> put(WalArchive &a, quint64 segNo, const QList<wal::RestorePoint> &points, bool landmarks = true,
                                          const QByteArray &payload = QByteArray("x"))
    {
        WalFileMeta m;
        m.name = name(segNo);
        m.kind = QStringLiteral("segment");
        m.timeline = 1;
        m.segmentSize = 16u << 20;
        m.arrivedUtc = QDateTime::currentDateTimeUtc();
        m.landmarks = landmarks;
        m.restorePoints = points;
        const WalArchive::Encoded enc = WalArchive::encode(payload.constData(), size_t(payload.size()), m);
        return a.store(*WalName::parse(m.name), enc, m);
    }
    static QStringList names(const QList<engine::ArchivedRestorePoint> &points)
    {
        QStringList out;
        for (const auto &p : points)
            out << p.point.name;
        return out;
    }

private slots:
    void listsFromHeadersWalAndTheBlockCache()
    {
        QTemporaryDir tmp;
        auto repo = repo::Repository::init(tmp.filePath(QStringLiteral("repo")));
        QVERIFY(repo);
        WalArchive archive(*repo, QStringLiteral("db1"));
        for (quint64 n = 1; n <= 1100; ++n) {
            QList<wal::RestorePoint> points;
            if (n == 10 || n == 1050)
                points << wal::RestorePoint{QStringLiteral("rp-%1").arg(n), Lsn(n << 24), qint64(n) * 1000};
            if (n == 20) {  // archived before headers carried restore points: found by scanning its WAL
                test::SyntheticWal w(42, 1, 20);
                w.filler(100);
                w.restorePoint("legacy", 7);
                QVERIFY(put(archive, n, {}, false, w.build()));
                continue;
            }
            QVERIFY(put(archive, n, points));
        }
        auto listed = engine::listRestorePoints(archive);
        QVERIFY2(listed, qPrintable(listed ? QString() : listed.error().message));
        QCOMPARE(names(*listed), (QStringList{QStringLiteral("rp-10"), QStringLiteral("legacy"), QStringLiteral("rp-1050")}));
        QCOMPARE((*listed)[1].point.timeUs, 7 + wal::kPgEpochOffsetUs);
        QCOMPARE((*listed)[0].segment, name(10));

        // Block 0 (segments 0-1023) is cached; block 1, the timeline's last, is not (it still grows).
        const QString cache = repo->landmarksDir(QStringLiteral("db1")) + QStringLiteral("/00000001-00000000.json");
        QVERIFY(QFileInfo::exists(cache));
        QVERIFY(!QFileInfo::exists(repo->landmarksDir(QStringLiteral("db1")) + QStringLiteral("/00000001-00000001.json")));
        // The cache is what a second listing reads: a point planted in it shows.
        QFile f(cache);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray json = f.readAll();
        f.close();
        json.replace("\"rp-10\"", "\"planted\"");
        QVERIFY(repo::writeFileDurably(cache, json));
        QCOMPARE(names(*engine::listRestorePoints(archive)),
                 (QStringList{QStringLiteral("planted"), QStringLiteral("legacy"), QStringLiteral("rp-1050")}));

        // A file of the block goes (as expire removes WAL): the cache no longer matches and is rebuilt.
        QVERIFY(QFile::remove(archive.pathFor(*WalName::parse(name(5)))));
        QCOMPARE(names(*engine::listRestorePoints(archive)),
                 (QStringList{QStringLiteral("rp-10"), QStringLiteral("legacy"), QStringLiteral("rp-1050")}));
        QVERIFY(QFile(cache).open(QIODevice::ReadOnly));
    }
};

QTEST_GUILESS_MAIN(TestLandmarks)
#include "tst_landmarks.moc"
