#include "core/ChunkId.h"
#include "core/Sha256.h"
#include "core/TarReader.h"
#include "core/Zstd.h"
#include "repo/BackupManifest.h"
#include "repo/DurableFile.h"
#include "repo/ChunkStore.h"
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
        QCOMPARE(store.list(), QStringList{hex});
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
        m.files << repo::BackupFileEntry{QStringLiteral("base/1/1"), 0, repo::BackupFileEntry::Type::File, 0600, 1, 6, {},
                                         {*ChunkId::fromHex(QString(64, QLatin1Char('a'))), *ChunkId::fromHex(QString(64, QLatin1Char('b')))}};
        m.files << repo::BackupFileEntry{QStringLiteral("base"), 0, repo::BackupFileEntry::Type::Directory, 0700, 1, 0, {}, {}};
        // Unfinished (no manifest.json yet) is invisible.
        QVERIFY(QDir().mkpath(cat.dir(m.id)));
        QVERIFY(cat.ids().isEmpty());
        QCOMPARE(cat.unfinishedIds(), QStringList{m.id});
        QVERIFY(cat.publish(m, "{}"));
        QCOMPARE(cat.ids(), QStringList{m.id});
        auto back = cat.read(m.id);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->systemIdentifier, m.systemIdentifier);
        QCOMPARE(back->files.size(), 2);
        QCOMPARE(back->files[0].chunks, m.files[0].chunks);
        QCOMPARE(back->chunkSizes().value(*ChunkId::fromHex(QString(64, QLatin1Char('b')))), 2);
        // On disk the chunk ids are the hex names of the chunk files; one that is not a SHA-256 is damage.
        const QString manifestPath = cat.dir(m.id) + QStringLiteral("/manifest.json");
        QByteArray text = *repo::readWholeFile(manifestPath);
        QVERIFY(text.contains(QByteArray(64, 'b')));
        QVERIFY(repo::writeFileDurably(manifestPath, QByteArray(text).replace(QByteArray(64, 'b'), QByteArray(QByteArray(63, 'b') + 'x'))));
        auto notAHash = cat.read(m.id);
        QVERIFY(!notAHash);
        QCOMPARE(notAHash.error().code, Error::Code::Corrupt);
        QVERIFY(repo::writeFileDurably(manifestPath, text));
        // Truncated: a clear Corrupt error naming the backup.
        const QString path = cat.dir(m.id) + QStringLiteral("/manifest.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.resize(f.size() / 2);
        f.close();
        auto bad = cat.read(m.id);
        QCOMPARE(bad.error().code, Error::Code::Corrupt);
        QVERIFY(bad.error().message.contains(m.id) && bad.error().message.contains(QStringLiteral("truncated")));
        QVERIFY(cat.remove(m.id));
        QVERIFY(cat.ids().isEmpty() && cat.unfinishedIds().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBackupFormat)
#include "tst_backupformat.moc"
