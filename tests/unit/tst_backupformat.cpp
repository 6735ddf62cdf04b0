#include "core/ChunkId.h"
#include "core/RecentChunkIds.h"
#include "core/Sha256.h"
#include "core/TarReader.h"
#include "core/Zstd.h"
#include "repo/BackupManifest.h"
#include "repo/DurableFile.h"
#include "repo/ChunkStore.h"
#include "repo/ReferencedChunks.h"
#include "repo/Repository.h"

#include <QtTest>

using namespace pga;

namespace {

// A ustar header (PostgreSQL's format) with an octal or base-256 size.
QByteArray header(const QByteArray &name, char type, qint64 size, const QByteArray &link = {}, bool base256 = false)
{
    QByteArray h(512, '\0');
    memcpy(h.data(), name.constData(), size_t(std::min<qsizetype>(name.size(), 100)));
    memcpy(h.data() + 100, "0000600", 7);
    memcpy(h.data() + 108, "0000000", 7);
    memcpy(h.data() + 116, "0000000", 7);
    if (base256) {
        h[124] = char(0x80);
        for (int i = 0; i < 8; ++i)
            h[135 - i] = char((size >> (8 * i)) & 0xff);
    } else {
        const QByteArray s = QByteArray::number(size, 8).rightJustified(11, '0');
        memcpy(h.data() + 124, s.constData(), 11);
    }
    memcpy(h.data() + 136, "14712345670", 11);
    h[156] = type;
    memcpy(h.data() + 157, link.constData(), size_t(link.size()));
    memcpy(h.data() + 257, "ustar\00000", 8);
    memset(h.data() + 148, ' ', 8);
    int sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    const QByteArray cs = QByteArray::number(sum, 8).rightJustified(6, '0');
    memcpy(h.data() + 148, cs.constData(), 6);
    h[154] = '\0';
    return h;
}

QByteArray member(const QByteArray &name, const QByteArray &content, bool base256 = false)
{
    QByteArray m = header(name, '0', content.size(), {}, base256) + content;
    m.append(QByteArray((512 - content.size() % 512) % 512, '\0'));
    return m;
}

struct Collect : TarReader::Handler {
    QStringList events;
    QHash<QString, QByteArray> files;
    QString current;
    Status entry(const TarEntry &e) override
    {
        current = e.path;
        events << QStringLiteral("%1:%2:%3").arg(int(e.type)).arg(e.path).arg(e.type == TarEntry::Type::Symlink ? e.linkTarget : QString::number(e.size));
        return {};
    }
    Status data(const char *p, size_t n) override
    {
        files[current].append(p, qsizetype(n));
        return {};
    }
    Status entryEnd() override { return {}; }
};

} // namespace

class TestBackupFormat : public QObject {
    Q_OBJECT
private slots:
    void chunkIdsRoundTripThroughHex()
    {
        const QByteArray digest = Sha256::of("chunk", 5);
        const ChunkId id = ChunkId::fromDigest(digest);
        QCOMPARE(id.hex(), QString::fromLatin1(digest.toHex()));
        QCOMPARE(*ChunkId::fromHex(id.hex()), id);
        QVERIFY(ChunkId::fromDigest(Sha256::of("other", 5)) != id);
        for (const QString &bad : {QString(), QString(63, QLatin1Char('a')), QString(65, QLatin1Char('a')), QString(64, QLatin1Char('g')),
                                   id.hex().toUpper()})
            QVERIFY2(!ChunkId::fromHex(bad), qPrintable(bad));
    }

    void tarInPiecesOfAnySize()
    {
        QByteArray big(70000, 'x');
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(i * 7);
        const QByteArray longName = QByteArray(120, 'n') + "/file";
        QByteArray tar = header("./base/", '5', 0) + member("./base/1", big) + header("pg_tblspc/16385", '2', 0, "/srv/ts")
                         + header("././@LongLink", 'L', longName.size() + 1) + longName + QByteArray(1, '\0')
                         + QByteArray(512 - longName.size() - 1, '\0') + member("placeholder", "hello")
                         + member("global/pg_control", "abc", true) + member("empty", QByteArray());
        for (int step : {1, 7, 511, 512, 513, 4096, int(tar.size())}) {
            Collect c;
            TarReader r(c);
            for (qsizetype off = 0; off < tar.size(); off += step)
                QVERIFY(r.feed(tar.constData() + off, size_t(std::min<qsizetype>(step, tar.size() - off))));
            QVERIFY(r.finish());
            QCOMPARE(c.events, (QStringList{QStringLiteral("1:base:0"), QStringLiteral("0:base/1:70000"), QStringLiteral("2:pg_tblspc/16385:/srv/ts"),
                                            QStringLiteral("0:%1:5").arg(QString::fromLatin1(longName)), QStringLiteral("0:global/pg_control:3"),
                                            QStringLiteral("0:empty:0")}));
            QCOMPARE(c.files.value(QStringLiteral("base/1")), big);
            QCOMPARE(c.files.value(QStringLiteral("global/pg_control")), QByteArray("abc"));
        }
    }

    void tarDamageIsCorrupt()
    {
        QByteArray tar = member("a", "content");
        Collect c;
        TarReader cut(c);
        QVERIFY(cut.feed(tar.constData(), 600));
        QCOMPARE(cut.finish().error().code, Error::Code::Corrupt);
        tar[3] = 'X';  // checksum no longer matches
        TarReader bad(c);
        QCOMPARE(bad.feed(tar.constData(), size_t(tar.size())).error().code, Error::Code::Corrupt);
    }

    void chunkStorePutDedupVerify()
    {
        QTemporaryDir tmp;
        repo::ChunkStore store(tmp.filePath(QStringLiteral("chunks")));
        const QByteArray raw(100000, 'q');
        const QString hex = Sha256::hexOf(raw.constData(), size_t(raw.size()));
        const QByteArray frame = zstd::compress(raw, 1);
        auto first = store.put(hex, frame.constData(), size_t(frame.size()));
        QVERIFY(first);
        QCOMPARE(*first, frame.size());
        auto again = store.put(hex, frame.constData(), size_t(frame.size()));
        QVERIFY(again);
        QCOMPARE(*again, 0);  // stored once
        QVERIFY(store.syncDirectories());
        QCOMPARE(*store.prefixes(), QStringList{hex.left(2)});
        QByteArray out(raw.size(), '\0');
        QVERIFY(store.readInto(hex, out.data(), size_t(out.size())));
        QCOMPARE(out, raw);
        // Another chunk's content under this name: caught on read.
        const QByteArray other = zstd::compress(QByteArray(100000, 'z'), 1);
        QFile f(store.pathFor(hex));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(other);
        f.close();
        Status s = store.verify(hex, size_t(raw.size()));
        QCOMPARE(s.error().code, Error::Code::Corrupt);
        QVERIFY(s.error().message.contains(hex));
        QVERIFY(QFile::remove(store.pathFor(hex)));
        QVERIFY(store.verify(hex, 5).error().message.contains(QStringLiteral("missing")));
    }

    void manifestRoundTripAndVisibility()
    {
        QTemporaryDir tmp;
        auto r = repo::Repository::init(tmp.filePath(QStringLiteral("repo")));
        QVERIFY(r);
        repo::BackupCatalog cat(*r, QStringLiteral("db"));
        repo::BackupManifest m;
        m.id = repo::BackupCatalog::makeId(QDateTime(QDate(2026, 11, 25), QTime(15, 56), Qt::UTC));
        QCOMPARE(m.id, QStringLiteral("20261125T155600Z-F"));
        m.server = QStringLiteral("db");
        m.systemIdentifier = 7712132231895134331ull;
        m.timeline = 1;
        m.startLsn = Lsn(0x3000028);
        m.stopLsn = Lsn(0x3000100);
        m.chunkSize = 4;
        const QList<repo::BackupFileEntry> entries{
            {QStringLiteral("base/1/1"), 0, repo::BackupFileEntry::Type::File, 0600, 1, 6, {},
             {*ChunkId::fromHex(QString(64, QLatin1Char('a'))), *ChunkId::fromHex(QString(64, QLatin1Char('b')))}},
            {QStringLiteral("base"), 0, repo::BackupFileEntry::Type::Directory, 0700, 1, 0, {}, {}},
            {QStringLiteral("pg_wal"), 0, repo::BackupFileEntry::Type::Symlink, 0777, 1, 0, QStringLiteral("/elsewhere/wal"), {}}};
        // Unfinished (no manifest.json yet) is invisible, whatever else its directory holds.
        QVERIFY(cat.begin(m.id));
        QVERIFY(cat.ids()->isEmpty());
        QCOMPARE(*cat.unfinishedIds(), QStringList{m.id});
        auto w = repo::BackupFileListWriter::create(cat.fileListPath(m.id));
        QVERIFY(w);
        for (const repo::BackupFileEntry &e : entries)
            QVERIFY((*w)->add(e));
        auto sha = (*w)->finish();
        QVERIFY(sha);
        m.fileCount = (*w)->count();
        m.fileListSha256 = *sha;
        QVERIFY(repo::writeFileDurably(cat.serverManifestPath(m.id), "{}"));
        m.backupManifestSha256 = Sha256::hexOf(QByteArray("{}"));
        QVERIFY(cat.ids()->isEmpty());
        QVERIFY(cat.publish(m));
        QCOMPARE(*cat.ids(), QStringList{m.id});
        auto back = cat.read(m.id);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->systemIdentifier, m.systemIdentifier);
        QCOMPARE(back->fileCount, 3);
        QCOMPARE(*cat.serverManifestSha256(m.id), m.backupManifestSha256);
        {
            // Without its backup_manifest the backup is damaged, and the message says which and what to do.
            QVERIFY(QFile::rename(cat.serverManifestPath(m.id), cat.serverManifestPath(m.id) + QStringLiteral(".away")));
            const auto gone = cat.serverManifestSha256(m.id);
            QCOMPARE(gone.error().code, Error::Code::Corrupt);
            QVERIFY(gone.error().message.contains(m.id) && gone.error().message.contains(QStringLiteral("restore another backup")));
            QVERIFY(QFile::rename(cat.serverManifestPath(m.id) + QStringLiteral(".away"), cat.serverManifestPath(m.id)));
        }
        auto list = cat.files(*back);
        QVERIFY(list);
        repo::BackupFileEntry e;
        for (const repo::BackupFileEntry &want : entries) {
            auto more = list->next(e);
            QVERIFY2(more && *more, qPrintable(more ? QString() : more.error().message));
            QCOMPARE(e.path, want.path);
            QCOMPARE(e.type, want.type);
            QCOMPARE(e.mode, want.mode);
            QCOMPARE(e.size, want.size);
            QCOMPARE(e.link, want.link);
            QCOMPARE(e.chunks, want.chunks);
        }
        auto end = list->next(e);
        QVERIFY(end && !*end);

        // manifest.json is small: no chunk id is in it.
        const QString manifestPath = cat.dir(m.id) + QStringLiteral("/manifest.json");
        const QByteArray text = *repo::readWholeFile(manifestPath);
        QVERIFY(!text.contains(QByteArray(64, 'b')));
        // Truncated: a clear Corrupt error naming the backup.
        QVERIFY(repo::writeFileDurably(manifestPath, text.left(text.size() / 2)));
        auto bad = cat.read(m.id);
        QCOMPARE(bad.error().code, Error::Code::Corrupt);
        QVERIFY(bad.error().message.contains(m.id) && bad.error().message.contains(QStringLiteral("truncated")));
        // A pre-release manifest (format 1) is refused with the way out.
        QVERIFY(repo::writeFileDurably(manifestPath, QByteArray(text).replace("\"format\":2", "\"format\":1")));
        auto old = cat.read(m.id);
        QCOMPARE(old.error().code, Error::Code::Unsupported);
        QVERIFY(old.error().message.contains(QStringLiteral("Take a new backup")));
        QVERIFY(repo::writeFileDurably(manifestPath, text));
        QVERIFY(cat.read(m.id));

        QVERIFY(cat.remove(m.id));
        QVERIFY(cat.ids()->isEmpty() && cat.unfinishedIds()->isEmpty());
    }

    // files.jsonl: every kind of damage is Corrupt, naming the backup, at the latest when the end is reached.
    void fileListDamageIsCorrupt_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<int>("cut");  // bytes cut off the end; -1: the whole last line
        QTest::addColumn<QString>("says");
        QTest::newRow("truncated mid-line") << QByteArray() << QByteArray() << 10 << QStringLiteral("cut off; truncated?");
        QTest::newRow("last line gone") << QByteArray() << QByteArray() << -1 << QStringLiteral("1 entries where the manifest records 2; truncated?");
        QTest::newRow("a chunk id edited") << QByteArray(64, 'b') << QByteArray(64, 'c') << 0 << QStringLiteral("checksum mismatch");
        QTest::newRow("not a SHA-256") << QByteArray(64, 'b') << QByteArray(QByteArray(63, 'b') + 'x') << 0 << QStringLiteral("not a SHA-256");
        QTest::newRow("size and chunks disagree") << QByteArray("\"size\":6") << QByteArray("\"size\":9") << 0 << QStringLiteral("but 2 chunks");
        QTest::newRow("path escapes") << QByteArray("base/1/1") << QByteArray("../../x") << 0 << QStringLiteral("has the path");
        QTest::newRow("not JSON") << QByteArray("{\"mode\":448") << QByteArray("{mode:448") << 0 << QStringLiteral("entry 2");
    }
    void fileListDamageIsCorrupt()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(int, cut);
        QFETCH(QString, says);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("files.jsonl"));
        auto w = repo::BackupFileListWriter::create(path);
        QVERIFY(w);
        QVERIFY((*w)->add({QStringLiteral("base/1/1"), 0, repo::BackupFileEntry::Type::File, 0600, 1, 6, {},
                           {*ChunkId::fromHex(QString(64, QLatin1Char('a'))), *ChunkId::fromHex(QString(64, QLatin1Char('b')))}}));
        QVERIFY((*w)->add({QStringLiteral("base"), 0, repo::BackupFileEntry::Type::Directory, 0700, 1, 0, {}, {}}));
        auto sha = (*w)->finish();
        QVERIFY(sha);
        const repo::BackupFileListReader::Expect expect{QStringLiteral("B1"), 2, *sha, 4};
        QVERIFY(repo::BackupFileListReader::open(path, expect)->checkToEnd());
        QByteArray text = *repo::readWholeFile(path);
        if (!from.isEmpty()) {
            QVERIFY2(text.contains(from), text.constData());
            text.replace(from, to);
        }
        if (cut < 0)
            cut = int(text.size() - (text.lastIndexOf('\n', text.size() - 2) + 1));
        QVERIFY(repo::writeFileDurably(path, text.left(text.size() - cut)));
        auto r = repo::BackupFileListReader::open(path, expect);
        QVERIFY(r);
        const Status s = r->checkToEnd();
        QVERIFY(!s);
        QCOMPARE(s.error().code, Error::Code::Corrupt);
        QVERIFY2(s.error().message.contains(says) && s.error().message.contains(QStringLiteral("B1")), qPrintable(s.error().message));
        QVERIFY(QFile::remove(path));
        QCOMPARE(repo::BackupFileListReader::open(path, expect).error().code, Error::Code::Corrupt);
    }

    // Lines of every length, across the reader's block boundaries: each entry comes back whole and in order.
    void fileListLongAndShortLines()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("files.jsonl"));
        auto w = repo::BackupFileListWriter::create(path);
        QVERIFY(w);
        QList<int> counts{0, 1, 5000, 3, 1024, 0, 20000, 7};  // 20000 ids: a 1.3 MB line
        for (int i = 0; i < 300; ++i)
            counts << (i * 37) % 50;
        for (int i = 0; i < counts.size(); ++i) {
            repo::BackupFileEntry e{QStringLiteral("base/5/%1").arg(i), 0, repo::BackupFileEntry::Type::File, 0600, i, qint64(counts[i]) * 4, {}, {}};
            for (int c = 0; c < counts[i]; ++c)
                e.chunks << ChunkId::fromDigest(Sha256::of(reinterpret_cast<const char *>(&c), sizeof c));
            QVERIFY((*w)->add(e));
        }
        auto sha = (*w)->finish();
        QVERIFY(sha);
        auto r = repo::BackupFileListReader::open(path, {QStringLiteral("B2"), qint64(counts.size()), *sha, 4});
        QVERIFY(r);
        repo::BackupFileEntry e;
        for (int i = 0; i < counts.size(); ++i) {
            auto more = r->next(e);
            QVERIFY2(more && *more, qPrintable(more ? QStringLiteral("ended early") : more.error().message));
            QCOMPARE(e.path, QStringLiteral("base/5/%1").arg(i));
            QCOMPARE(e.chunks.size(), counts[i]);
            if (const int last = counts[i] - 1; last >= 0)
                QCOMPARE(e.chunks.last(), ChunkId::fromDigest(Sha256::of(reinterpret_cast<const char *>(&last), sizeof last)));
        }
        auto end = r->next(e);
        QVERIFY2(end && !*end, qPrintable(end ? QString() : end.error().message));
    }

    // The dedup set of backup and verify: repeats are seen as repeats, and its size stays bounded.
    void recentChunkIdsAreBounded()
    {
        RecentChunkIds recent;
        auto idOf = [](int i) { return ChunkId::fromDigest(Sha256::of(reinterpret_cast<const char *>(&i), sizeof i)); };
        QVERIFY(recent.insert(idOf(0)));
        QVERIFY(!recent.insert(idOf(0)));
        recent.forget(idOf(0));
        QVERIFY(recent.insert(idOf(0)));
        // Far more distinct ids than it holds: the first is forgotten at some point, so it counts as new again.
        for (int i = 1; i < 200000; ++i)
            (void)recent.insert(idOf(i));
        QVERIFY(recent.insert(idOf(0)));
        QVERIFY(!recent.insert(idOf(199999)));  // a recent one is still known
    }

    // Expire's on-disk set: every id added is found in its prefix's parts, once, and nothing else is.
    void referencedChunksByPrefixAndPart()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("refs"));
        QSet<ChunkId> all;
        {
            // Parts of at most 64 ids' worth, so the prefix with many ids is read in several.
            auto refs = repo::ReferencedChunks::create(dir, {}, 64 * 32);
            QVERIFY(refs);
            for (int i = 0; i < 3000; ++i) {
                const ChunkId id = ChunkId::fromDigest(Sha256::of(reinterpret_cast<const char *>(&i), sizeof i));
                ChunkId crowded = id;
                crowded.bytes[0] = 0x7f;  // many in one prefix
                for (const ChunkId &c : {id, crowded, id}) {  // repeats, as several backups give
                    QVERIFY((*refs)->add(c));
                    all << c;
                }
            }
            QVERIFY((*refs)->finish());
            QVERIFY((*refs)->parts(0x7f) > 4);
            QCOMPARE((*refs)->parts(0x00), 1);
            QSet<ChunkId> found;
            qsizetype loaded = 0;
            for (int p = 0; p < 256; ++p)
                for (int part = 0; part < (*refs)->parts(p); ++part) {
                    auto ids = (*refs)->load(p, part);
                    QVERIFY(ids);
                    const auto [lo, hi] = (*refs)->secondByteRange(p, part);
                    QVERIFY(std::is_sorted(ids->begin(), ids->end(), [](const ChunkId &a, const ChunkId &b) { return a.bytes < b.bytes; }));
                    for (const ChunkId &c : *ids) {
                        QCOMPARE(int(c.bytes[0]), p);
                        QVERIFY(c.bytes[1] >= lo && c.bytes[1] <= hi);
                        found << c;
                    }
                    loaded += ids->size();
                }
            QCOMPARE(found, all);
            QCOMPARE(loaded, all.size());  // unique: each id once
        }
        QVERIFY(!QFileInfo::exists(dir));  // removed with the set
    }

    void chunkStoreScanSeesChunksAndTemporaries()
    {
        QTemporaryDir tmp;
        repo::ChunkStore store(tmp.filePath(QStringLiteral("chunks")));
        const QByteArray frame = zstd::compress(QByteArray("hello"), 1);
        const QString hex = Sha256::hexOf(QByteArray("hello"));
        QVERIFY(store.put(hex, frame.constData(), size_t(frame.size())));
        QVERIFY(store.syncDirectories());
        const QString sub = hex.left(2);
        QVERIFY(repo::writeFileDurably(tmp.filePath(QStringLiteral("chunks/%1/.%2.tmp.1.2").arg(sub, hex)), "x"));
        QVERIFY(repo::writeFileDurably(tmp.filePath(QStringLiteral("chunks/%1/README").arg(sub)), "not ours"));
        QCOMPARE(*store.prefixes(), QStringList{sub});
        QStringList chunks, temps;
        QVERIFY(store.scan(sub, [&](const QString &h, const QString &path) {
            (h.isEmpty() ? temps : chunks) << (h.isEmpty() ? QFileInfo(path).fileName() : h);
            return Status();
        }));
        QCOMPARE(chunks, QStringList{hex});
        QCOMPARE(temps.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBackupFormat)
#include "tst_backupformat.moc"
