#include "core/Sha256.h"
#include "core/Zstd.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QtTest>

using namespace pga;
using namespace pga::repo;

class TestRepository : public QObject {
    Q_OBJECT
private slots:
    void initThenOpen()
    {
        QTemporaryDir tmp;
        auto r = Repository::init(tmp.filePath(QStringLiteral("r")));
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QVERIFY(QFileInfo::exists(tmp.filePath(QStringLiteral("r/pgarchivist-repo.json"))));
        QVERIFY(Repository::open(tmp.filePath(QStringLiteral("r"))));
        auto again = Repository::init(tmp.filePath(QStringLiteral("r")));
        QVERIFY(!again);
        QCOMPARE(again.error().code, Error::Code::Conflict);
    }

    void openRefusesUnknownFormatAndGarbage()
    {
        QTemporaryDir tmp;
        QVERIFY(Repository::init(tmp.path()));
        const QString marker = tmp.filePath(QStringLiteral("pgarchivist-repo.json"));
        QVERIFY(writeFileDurably(marker, R"({"format": 99})"));
        auto r = Repository::open(tmp.path());
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Unsupported);
        QVERIFY(r.error().message.contains(QStringLiteral("format 99")));
        QVERIFY(writeFileDurably(marker, "{\"format\": 1"));  // truncated
        r = Repository::open(tmp.path());
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Corrupt);
        QVERIFY(!Repository::open(tmp.filePath(QStringLiteral("nothing-here"))));
    }

    void serverBelongsToOneCluster()
    {
        QTemporaryDir tmp;
        auto repo = Repository::init(tmp.path());
        QVERIFY(repo);
        QVERIFY(repo->ensureServer(QStringLiteral("db1"), 111, 150000));
        QVERIFY(repo->ensureServer(QStringLiteral("db1"), 111, 150000));  // same cluster again: fine
        auto other = repo->ensureServer(QStringLiteral("db1"), 222, 150000);
        QVERIFY(!other);
        QCOMPARE(other.error().code, Error::Code::WrongCluster);
        QCOMPARE(repo->server(QStringLiteral("db1"))->systemIdentifier, quint64(111));
        QCOMPARE(*repo->servers(), QStringList{QStringLiteral("db1")});
    }

    void serverNamesAreSafePaths_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << "db1" << true;
        QTest::newRow("dots") << "prod.eu-1" << true;
        QTest::newRow("dotdot") << ".." << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("space") << "a b" << false;
    }
    void serverNamesAreSafePaths()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(bool(Repository::validateServerName(name)), valid);
    }

    void publishIfAbsentNeverOverwrites()
    {
        QTemporaryDir tmp;
        const QString p = tmp.filePath(QStringLiteral("f"));
        QVERIFY(writeFileDurably(p, "one", Publish::IfAbsent));
        Status s = writeFileDurably(p, "two", Publish::IfAbsent);
        QVERIFY(!s);
        QCOMPARE(s.error().code, Error::Code::Conflict);
        QCOMPARE(*readWholeFile(p), QByteArray("one"));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporaries left
    }

    void exclusiveLockIsExclusive()
    {
        QTemporaryDir tmp;
        auto repo = Repository::init(tmp.path());
        auto a = repo->lock(QStringLiteral("db1"), Repository::LockMode::Exclusive);
        QVERIFY(a);
        auto b = repo->lock(QStringLiteral("db1"), Repository::LockMode::Exclusive, 100);
        QVERIFY(!b);
        QCOMPARE(b.error().code, Error::Code::Busy);
        a->reset();
        QVERIFY(repo->lock(QStringLiteral("db1"), Repository::LockMode::Exclusive));
    }

    void zstdRoundTripAndDamage()
    {
        QByteArray data(1 << 20, 'x');
        for (int i = 0; i < data.size(); i += 7)
            data[i] = char(i);
        const QByteArray z = zstd::compress(data);
        QVERIFY(z.size() < data.size());
        QCOMPARE(*zstd::decompress(z), data);
        QVERIFY(!zstd::decompress(z.left(z.size() / 2)));
        QVERIFY(!zstd::decompress(QByteArray("not zstd at all")));
    }

    void sha256KnownAnswer()
    {
        QCOMPARE(Sha256::hexOf("abc"), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Sha256 h;
        h.add("a", 1);
        h.add("bc", 2);
        QCOMPARE(h.finishHex(), Sha256::hexOf("abc"));
    }
};

QTEST_GUILESS_MAIN(TestRepository)
#include "tst_repository.moc"
