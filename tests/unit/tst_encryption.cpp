// Encryption at rest (repo/Encryption, repo/KeySlots, and the repository functions that seal and open): the
// sealed format refuses every kind of damage, keys unlock only with the right credential, and an encrypted
// repository's files hold no plain content.
#include "SyntheticWal.h"
#include "core/Sha256.h"
#include "core/Zstd.h"
#include "repo/BackupFileList.h"
#include "repo/ChunkStore.h"
#include "repo/ContentReader.h"
#include "repo/DurableFile.h"
#include "repo/Encryption.h"
#include "repo/KeySlots.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QtTest>

using namespace pga;
using namespace pga::repo;

namespace {

std::shared_ptr<const crypto::Keys> testKeys(unsigned char seed)
{
    crypto::Key master{};
    master.fill(seed);
    return crypto::Keys::derive(master);
}

QByteArray pattern(qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char((i * 131 + i / 977) & 0xff);
    return b;
}

crypto::Credential passphrase(const QByteArray &p)
{
    return {crypto::Credential::Kind::Passphrase, p, QStringLiteral("the test passphrase")};
}

QByteArray readRaw(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A new encrypted repository in tmp (unlocked in this process).
Result<Repository> encryptedRepository(const QTemporaryDir &tmp)
{
    Repository::InitOptions o;
    o.encryptWith = passphrase("s3cret");
    return Repository::init(tmp.filePath(QStringLiteral("repo")), o);
}

void writeRaw(const QString &path, const QByteArray &b)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(b), b.size());
}

} // namespace

class TestEncryption : public QObject {
    Q_OBJECT

private slots:
    void sealedRoundTripAtSegmentEdges_data()
    {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype n : {0, 1, 65535, 65536, 65537, 3 * 65536, 200000})
            QTest::addRow("%lld", qlonglong(n)) << n;
    }
    void sealedRoundTripAtSegmentEdges()
    {
        QFETCH(qsizetype, size);
        const auto keys = testKeys(1);
        const QByteArray plain = pattern(size);
        // Given in two parts split off the segment grid, as the WAL archive's header and frame are.
        const qsizetype cut = size / 3;
        const QByteArray sealed = crypto::seal(*keys, QStringLiteral("a/b"), {QByteArrayView(plain).first(cut), QByteArrayView(plain).sliced(cut)});
        QCOMPARE(sealed.size(), crypto::sealedSize(size));
        QVERIFY(!sealed.contains(plain.left(64)) || size < 64);
        auto back = crypto::open(*keys, QStringLiteral("a/b"), sealed, QStringLiteral("x"));
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(*back, plain);
        // Streamed (as files.jsonl and dumps are) it is the same format.
        crypto::Sealer s(keys, QStringLiteral("a/b"));
        QByteArray streamed;
        for (qsizetype at = 0; at < size; at += 1000)
            streamed += s.add(plain.constData() + at, size_t(std::min<qsizetype>(1000, size - at)));
        streamed += s.finish();
        QCOMPARE(streamed.size(), sealed.size());
        auto back2 = crypto::open(*keys, QStringLiteral("a/b"), streamed, QStringLiteral("x"));
        QVERIFY(back2);
        QCOMPARE(*back2, plain);
        QVERIFY(streamed != sealed);  // a fresh salt each time
    }

    void everyDamageIsRefused()
    {
        const auto keys = testKeys(2);
        const QByteArray plain = pattern(150000);  // three segments
        const QByteArray sealed = crypto::seal(*keys, QStringLiteral("servers/a/wal/1"), {QByteArrayView(plain)});
        auto refused = [&](const QByteArray &bytes, const QString &rel, const crypto::Keys &k) {
            auto r = crypto::open(k, rel, bytes, QStringLiteral("/repo/x"));
            return !r && r.error().code == Error::Code::Corrupt && r.error().message.contains(QStringLiteral("/repo/x"));
        };
        for (qsizetype at : {qsizetype(0), qsizetype(5), qsizetype(10), qsizetype(30), qsizetype(65560), sealed.size() - 1}) {
            QByteArray flipped = sealed;
            flipped[at] = char(flipped[at] ^ 0x40);
            QVERIFY2(refused(flipped, QStringLiteral("servers/a/wal/1"), *keys), qPrintable(QString::number(at)));
        }
        // Cut at a segment boundary: what remains is whole segments, and still refused (the last one is marked).
        const qsizetype boundary = crypto::kHeader + 2 * (crypto::kSegment + crypto::kTag);
        QVERIFY(refused(sealed.left(boundary), QStringLiteral("servers/a/wal/1"), *keys));
        QVERIFY(refused(sealed.left(sealed.size() - 1), QStringLiteral("servers/a/wal/1"), *keys));
        QVERIFY(refused(sealed + QByteArray(1, 'x'), QStringLiteral("servers/a/wal/1"), *keys));
        QVERIFY(refused(sealed, QStringLiteral("servers/a/wal/2"), *keys));  // put in another object's place
        QVERIFY(refused(sealed, QStringLiteral("servers/a/wal/1"), *testKeys(3)));  // another key
        QVERIFY(refused(plain, QStringLiteral("servers/a/wal/1"), *keys));  // not sealed at all
        QVERIFY(refused(QByteArray(), QStringLiteral("servers/a/wal/1"), *keys));
    }

    void chunkNamesAreKeyed()
    {
        const QByteArray raw = pattern(4096);
        const ChunkId plainName = crypto::chunkName(nullptr, raw.constData(), size_t(raw.size()));
        QCOMPARE(plainName.hex(), Sha256::hexOf(raw));
        const ChunkId a = crypto::chunkName(testKeys(4).get(), raw.constData(), size_t(raw.size()));
        const ChunkId b = crypto::chunkName(testKeys(5).get(), raw.constData(), size_t(raw.size()));
        QVERIFY(a != plainName);
        QVERIFY(a != b);
        QCOMPARE(crypto::chunkName(testKeys(4).get(), raw.constData(), size_t(raw.size())), a);
    }

    void keySlotsUnlockOnlyWithTheirCredential()
    {
        auto made = crypto::createKeys(QStringLiteral("repo1"), passphrase("correct horse"));
        QVERIFY(made);
        auto ok = crypto::unlock(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo1"), made->keyCheck, passphrase("correct horse"));
        QVERIFY(ok);
        QVERIFY((*ok)->data == made->keys->data);
        auto wrong = crypto::unlock(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo1"), made->keyCheck, passphrase("correct horsf"));
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, Error::Code::Authentication);
        QVERIFY(wrong.error().message.contains(QStringLiteral("Wrong passphrase")));
        // keys.json of another repository, or one whose key is not the marker's.
        auto other = crypto::unlock(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo2"), made->keyCheck, passphrase("correct horse"));
        QVERIFY(!other);
        QCOMPARE(other.error().code, Error::Code::Corrupt);
        auto swapped = crypto::unlock(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo1"), QStringLiteral("00"), passphrase("correct horse"));
        QVERIFY(!swapped);
        QVERIFY(swapped.error().message.contains(QStringLiteral("keys.json was replaced")));
        // A key file is another kind of slot.
        const crypto::Credential keyFile{crypto::Credential::Kind::KeyFile, QByteArray(32, 'k'), QStringLiteral("the key file")};
        auto noSlot = crypto::unlock(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo1"), made->keyCheck, keyFile);
        QVERIFY(!noSlot);
        QVERIFY(noSlot.error().message.contains(QStringLiteral("no key file slot")));
        // Rekey: the same master key under a new passphrase; a key file slot added beside it.
        auto rekeyed = crypto::rekey(made->keysJson, QStringLiteral("keys.json"), QStringLiteral("repo1"), made->keyCheck,
                                     passphrase("correct horse"), passphrase("battery staple"));
        QVERIFY(rekeyed);
        QVERIFY(!crypto::unlock(*rekeyed, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, passphrase("correct horse")));
        auto after = crypto::unlock(*rekeyed, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, passphrase("battery staple"));
        QVERIFY(after);
        QVERIFY((*after)->data == made->keys->data);
        auto both = crypto::rekey(*rekeyed, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, passphrase("battery staple"), keyFile);
        QVERIFY(both);
        QVERIFY(crypto::unlock(*both, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, keyFile));
        QVERIFY(crypto::unlock(*both, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, passphrase("battery staple")));
        QVERIFY(!crypto::rekey(*both, QStringLiteral("k"), QStringLiteral("repo1"), made->keyCheck, passphrase("nope"), keyFile));
    }

    void repositoryFilesAreSealedAndSwapsRefused()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("repo"));
        auto repo = encryptedRepository(tmp);
        QVERIFY2(repo, qPrintable(repo ? QString() : repo.error().message));
        QVERIFY(repo->encrypted());
        // Files written through the repository functions are sealed, and read back open.
        const QByteArray a = pattern(1000), b = QByteArray(1000, 'b');
        QVERIFY(writeFileDurably(dir + QStringLiteral("/servers/a.json"), a));
        QVERIFY(writeFileDurably(dir + QStringLiteral("/servers/b.json"), b));
        QVERIFY(readRaw(dir + QStringLiteral("/servers/a.json")).startsWith("PGAX"));
        QVERIFY(!readRaw(dir + QStringLiteral("/servers/b.json")).contains("bbbbbbbb"));
        QCOMPARE(*readWholeFile(dir + QStringLiteral("/servers/a.json")), a);
        // Two objects of the same length swapped on disk: each is refused in the other's place.
        const QByteArray ra = readRaw(dir + QStringLiteral("/servers/a.json")), rb = readRaw(dir + QStringLiteral("/servers/b.json"));
        QCOMPARE(ra.size(), rb.size());
        writeRaw(dir + QStringLiteral("/servers/a.json"), rb);
        auto swapped = readWholeFile(dir + QStringLiteral("/servers/a.json"));
        QVERIFY(!swapped);
        QCOMPARE(swapped.error().code, Error::Code::Corrupt);
        QVERIFY(swapped.error().message.contains(QStringLiteral("cannot be decrypted")));
        // The marker and keys.json stay readable: they say what the repository is and hold the wrapped key.
        QVERIFY(readRaw(dir + QStringLiteral("/pgarchivist-repo.json")).contains("\"encryption\""));
        QVERIFY(readRaw(dir + QStringLiteral("/keys.json")).contains("argon2id13"));

        // Chunks: sealed, named by HMAC; a chunk swapped for another of the same size is refused.
        ChunkStore store(repo->chunksDir());
        QVERIFY(store.encrypted());
        // Incompressible, so both frames (and sealed chunks) have the same length.
        QByteArray raw1 = crypto::randomBytes(8192), raw2 = crypto::randomBytes(8192);
        const ChunkId id1 = store.nameOf(raw1.constData(), size_t(raw1.size())), id2 = store.nameOf(raw2.constData(), size_t(raw2.size()));
        QVERIFY(id1.hex() != Sha256::hexOf(raw1));
        for (const QByteArray *raw : {&raw1, &raw2}) {
            Buffer frame(zstd::bound(size_t(raw->size())));
            const size_t n = zstd::compressInto(raw->constData(), size_t(raw->size()), frame.data(), frame.capacity(), 1);
            QVERIFY(n > 0);
            const ChunkId id = store.nameOf(raw->constData(), size_t(raw->size()));
            QVERIFY(store.put(id.hex(), frame.data(), n));
        }
        Buffer out(size_t(raw1.size()));
        out.resize(size_t(raw1.size()));
        QVERIFY(store.readInto(id1.hex(), out.data(), size_t(raw1.size())));
        QCOMPARE(out.view(), raw1);
        const QByteArray c1 = readRaw(store.pathFor(id1.hex())), c2 = readRaw(store.pathFor(id2.hex()));
        QVERIFY(c1.startsWith("PGAX"));
        QCOMPARE(c1.size(), c2.size());
        writeRaw(store.pathFor(id1.hex()), c2);
        Status s = store.readInto(id1.hex(), out.data(), size_t(raw1.size()));
        QVERIFY(!s);
        QCOMPARE(s.error().code, Error::Code::Corrupt);

        // WAL: the header is read from the first segment alone; the whole file verifies.
        WalArchive archive(*repo, QStringLiteral("db1"));
        test::SyntheticWal w(1, 1, 3);
        for (int i = 0; i < 50; ++i) {
            w.filler(1000 + i);
            w.commit(800000000LL * 1000000 + i);
        }
        const QByteArray seg = w.build();
        WalFileMeta m;
        m.name = QStringLiteral("000000010000000000000003");
        m.kind = QStringLiteral("segment");
        m.timeline = 1;
        m.segmentSize = 1u << 20;
        m.arrivedUtc = QDateTime::currentDateTimeUtc();
        const WalArchive::Encoded enc = WalArchive::encode(seg.constData(), size_t(seg.size()), m);
        QVERIFY(archive.store(*WalName::parse(m.name), enc, m));
        QCOMPARE(archive.store(*WalName::parse(m.name), enc, m).value(), WalArchive::Stored::AlreadyArchived);
        auto meta = archive.meta(*WalName::parse(m.name));
        QVERIFY2(meta, qPrintable(meta ? QString() : meta.error().message));
        QCOMPARE(meta->sha256, m.sha256);
        QCOMPARE(meta->storedSize, QFileInfo(archive.pathFor(*WalName::parse(m.name))).size());
        auto back = archive.fetch(*WalName::parse(m.name));
        QVERIFY(back);
        QCOMPARE(back->view(), seg);
        QVERIFY(!readRaw(archive.pathFor(*WalName::parse(m.name))).contains(m.sha256.toLatin1()));  // the header is sealed too
    }

    void streamedFilesReadInPieces()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("repo"));
        auto repo = encryptedRepository(tmp);
        QVERIFY(repo);
        const QString path = dir + QStringLiteral("/servers/list.jsonl");
        auto w = HashingFileWriter::create(path);
        QVERIFY(w);
        const QByteArray content = pattern(300000);
        QVERIFY((*w)->write(content));
        auto sha = (*w)->finish();
        QVERIFY(sha);
        QCOMPARE(*sha, Sha256::hexOf(content));  // of the content, not of what is stored
        auto r = ContentReader::open(path);
        QVERIFY(r);
        QByteArray back;
        for (;;) {
            auto piece = (*r)->read(10000);
            QVERIFY2(piece, qPrintable(piece ? QString() : piece.error().message));
            if (piece->isEmpty())
                break;
            back += *piece;
        }
        QCOMPARE(back, content);
        qint64 stored = 0;
        auto head = readContentHead(path, 100, &stored);
        QVERIFY(head);
        QVERIFY(head->startsWith(content.left(100)));
        QCOMPARE(stored, crypto::sealedSize(content.size()));
        // Cut off at a segment boundary: the reader reports it at the end, never a short but "complete" file.
        QFile::resize(path, crypto::kHeader + 2 * (crypto::kSegment + crypto::kTag));
        auto cut = ContentReader::open(path);
        QVERIFY(cut);
        Status s;
        for (;;) {
            auto piece = (*cut)->read(1 << 20);
            if (!piece) {
                s = piece.error();
                break;
            }
            if (piece->isEmpty())
                break;
        }
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Corrupt);
    }

    void openingNeedsTheRightCredential()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("repo"));
        QVERIFY(encryptedRepository(tmp));
        crypto::bindRepository(QFileInfo(dir).absoluteFilePath(), nullptr);  // as a new process: nothing unlocked
        auto none = Repository::open(dir);
        QVERIFY(!none);
        QCOMPARE(none.error().code, Error::Code::Authentication);
        QVERIFY(none.error().message.contains(QStringLiteral("--passphrase-file")));
        crypto::provideCredential(QFileInfo(dir).absoluteFilePath(), passphrase("wrong"));
        auto wrong = Repository::open(dir);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, Error::Code::Authentication);
        crypto::provideCredential(QFileInfo(dir).absoluteFilePath(), passphrase("s3cret"));
        auto right = Repository::open(dir);
        QVERIFY(right);
        QVERIFY(right->encrypted());
        QVERIFY(Repository::rekey(dir, passphrase("s3cret"), passphrase("n3w")));
        crypto::bindRepository(QFileInfo(dir).absoluteFilePath(), nullptr);
        QVERIFY(!Repository::open(dir));  // the provided old passphrase no longer opens it
        crypto::provideCredential(QFileInfo(dir).absoluteFilePath(), passphrase("n3w"));
        QVERIFY(Repository::open(dir));
        crypto::forgetCredential(QFileInfo(dir).absoluteFilePath());
    }
};

QTEST_GUILESS_MAIN(TestEncryption)
#include "tst_encryption.moc"
