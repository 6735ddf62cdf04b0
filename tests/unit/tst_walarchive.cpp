#include "SyntheticWal.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QtTest>

#include <csignal>
#include <random>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pga;
using namespace pga::repo;
using pga::test::SyntheticWal;

// The archive's invariants, each attacked: durable publish, no overwrite, identical retry, checksum on
// read, full disk, concurrent writers, a writer killed at any moment.
class TestWalArchive : public QObject {
    Q_OBJECT

    static QByteArray segment(quint64 sysid, quint64 segNo, int fill = 0)
    {
        SyntheticWal w(sysid, 1, segNo);
        for (int i = 0; i < 50; ++i) {
            w.filler(1000 + i + fill);
            w.commit(800000000LL * 1000000 + i);
        }
        return w.build();
    }

    struct Fixture {
        QTemporaryDir tmp;
        std::optional<WalArchive> archive;
        Fixture()
        {
            auto r = Repository::init(tmp.filePath(QStringLiteral("repo")));
            if (r)
                archive.emplace(*r, QStringLiteral("db1"));
        }
    };

    static Result<WalArchive::Stored> push(WalArchive &a, const QString &name, const QByteArray &data)
    {
        WalFileMeta m;
        m.name = name;
        m.kind = QStringLiteral("segment");
        m.timeline = 1;
        m.segmentSize = 1u << 20;
        m.arrivedUtc = QDateTime::currentDateTimeUtc();
        const WalArchive::Encoded enc = WalArchive::encode(data.constData(), size_t(data.size()), m);
        return a.store(*WalName::parse(name), enc, m);
    }

    static QStringList visible(const QString &dir) { return QDir(dir).entryList(QDir::Files); }
    static QStringList all(const QString &dir) { return QDir(dir).entryList(QDir::Files | QDir::Hidden); }

private slots:
    void storeThenFetchVerified()
    {
        Fixture f;
        QVERIFY(f.archive);
        const QString name = QStringLiteral("000000010000000000000003");
        const QByteArray seg = segment(1, 3);
        auto r = push(*f.archive, name, seg);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(*r, WalArchive::Stored::New);
        const QString path = f.archive->pathFor(*WalName::parse(name));
        QVERIFY(path.endsWith(QStringLiteral("/servers/db1/wal/00000001/000000010000000000000003.zst")));
        QVERIFY(QFileInfo(path).size() < seg.size() / 4);  // compressed
        WalFileMeta meta;
        auto back = f.archive->fetch(*WalName::parse(name), &meta);
        QVERIFY(back);
        QCOMPARE(back->view(), seg);
        QCOMPARE(meta.size, seg.size());
        QCOMPARE(meta.sha256.size(), 64);
        auto listed = f.archive->list();
        QVERIFY(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().storedSize, QFileInfo(path).size());
        QCOMPARE(f.archive->fetch(*WalName::parse(QStringLiteral("000000010000000000000004"))).error().code,
                 Error::Code::NotFound);
    }

    void identicalAgainIsFineDifferentIsSplitBrain()
    {
        Fixture f;
        const QString name = QStringLiteral("000000010000000000000005");
        QVERIFY(push(*f.archive, name, segment(1, 5)));
        const QString path = f.archive->pathFor(*WalName::parse(name));
        const QByteArray before = *readWholeFile(path);
        auto again = push(*f.archive, name, segment(1, 5));
        QVERIFY(again);
        QCOMPARE(*again, WalArchive::Stored::AlreadyArchived);
        auto other = push(*f.archive, name, segment(1, 5, /*fill=*/1));
        QVERIFY(!other);
        QCOMPARE(other.error().code, Error::Code::Conflict);
        QVERIFY2(other.error().message.contains(QStringLiteral("possible split brain")), qPrintable(other.error().message));
        QCOMPARE(*readWholeFile(path), before);  // untouched
        QCOMPARE(all(QFileInfo(path).absolutePath()), QStringList{QFileInfo(path).fileName()});
    }

    void flippedByteIsCaughtAndAnIdenticalPushRepairsIt()
    {
        Fixture f;
        const QString name = QStringLiteral("000000010000000000000006");
        const QByteArray seg = segment(1, 6);
        QVERIFY(push(*f.archive, name, seg));
        const QString path = f.archive->pathFor(*WalName::parse(name));
        QByteArray file = *readWholeFile(path);
        for (qsizetype at : {file.size() / 2, file.size() - 3}) {  // in the compressed data and near its end
            QByteArray bad = file;
            bad[at] = char(bad[at] ^ 0x20);
            QVERIFY(writeFileDurably(path, bad));
            auto got = f.archive->fetch(*WalName::parse(name));
            QVERIFY(!got);
            QCOMPARE(got.error().code, Error::Code::Corrupt);
        }
        QByteArray badHeader = file;
        badHeader[12] = char(badHeader[12] ^ 0x01);  // inside the header's own checksum; always a change
        QVERIFY(writeFileDurably(path, badHeader));
        auto hdr = f.archive->fetch(*WalName::parse(name));
        QVERIFY(!hdr);
        QCOMPARE(hdr.error().code, Error::Code::Corrupt);
        // PostgreSQL pushing the same segment again (it still has it) heals the archive.
        QVERIFY(writeFileDurably(path, file.left(file.size() - 100) + QByteArray(100, 'z')));
        auto healed = push(*f.archive, name, seg);
        QVERIFY(healed);
        QCOMPARE(*healed, WalArchive::Stored::Repaired);
        QCOMPARE(f.archive->fetch(*WalName::parse(name))->view(), seg);
    }

    void fullDiskLeavesNothingVisible()
    {
        Fixture f;
        const QString name = QStringLiteral("000000010000000000000007");
        QByteArray seg = segment(1, 7);
        std::mt19937 rng(7);
        for (qsizetype i = 64 * 1024; i < seg.size(); ++i)  // incompressible tail: the archived file is large
            seg[i] = char(rng());
        const QString dir = f.archive->repository().timelineDir(QStringLiteral("db1"), 1);
        QVERIFY(makeDirectoryDurably(dir));
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit lim{1024, 1024};  // any file larger than 1 KiB: EFBIG, like a full disk
            ::setrlimit(RLIMIT_FSIZE, &lim);
            auto r = push(*f.archive, name, seg);
            ::_exit(r ? 0 : r.error().code == Error::Code::DiskFull ? 3 : 4);
        }
        int st = 0;
        QCOMPARE(::waitpid(pid, &st, 0), pid);
        QVERIFY(WIFEXITED(st));
        QCOMPARE(WEXITSTATUS(st), 3);
        QVERIFY(all(dir).isEmpty());
        QVERIFY(push(*f.archive, name, seg));  // with space again it works
    }

    void concurrentPushesOfOneSegmentBothSucceedWithOneCopy()
    {
        Fixture f;
        const QString name = QStringLiteral("000000010000000000000008");
        const QByteArray seg = segment(1, 8);
        for (int round = 0; round < 5; ++round) {
            const QString dir = f.archive->repository().timelineDir(QStringLiteral("db1"), 1);
            QDir(dir).removeRecursively();
            std::vector<pid_t> kids;
            for (int k = 0; k < 4; ++k) {
                const pid_t pid = ::fork();
                if (pid == 0) {
                    auto r = push(*f.archive, name, seg);
                    ::_exit(r ? 0 : 1);
                }
                kids.push_back(pid);
            }
            for (pid_t p : kids) {
                int st = 0;
                QCOMPARE(::waitpid(p, &st, 0), p);
                QVERIFY(WIFEXITED(st));
                QCOMPARE(WEXITSTATUS(st), 0);
            }
            QCOMPARE(all(dir), QStringList{name + QStringLiteral(".zst")});
            QCOMPARE(f.archive->fetch(*WalName::parse(name))->view(), seg);
        }
    }

    void killedWriterLeavesNoVisiblePartialAndRetrySucceeds()
    {
        Fixture f;
        const QString name = QStringLiteral("000000010000000000000009");
        const QByteArray seg = segment(1, 9);
        const QString dir = f.archive->repository().timelineDir(QStringLiteral("db1"), 1);
        std::mt19937 rng(12345);
        for (int round = 0; round < 25; ++round) {
            QDir(dir).removeRecursively();
            const pid_t pid = ::fork();
            if (pid == 0) {
                auto r = push(*f.archive, name, seg);
                ::_exit(r ? 0 : 1);
            }
            ::usleep(std::uniform_int_distribution<int>(0, 15000)(rng));
            ::kill(pid, SIGKILL);
            int st = 0;
            ::waitpid(pid, &st, 0);
            // Either nothing or the complete, verified file: never a partial under the real name.
            for (const QString &v : visible(dir)) {
                QCOMPARE(v, name + QStringLiteral(".zst"));
                QVERIFY(f.archive->fetch(*WalName::parse(name)));
            }
            auto retry = push(*f.archive, name, seg);
            QVERIFY2(retry, qPrintable(retry ? QString() : retry.error().toString()));
            QCOMPARE(f.archive->fetch(*WalName::parse(name))->view(), seg);
            QCOMPARE(all(dir), QStringList{name + QStringLiteral(".zst")});  // the killed writer's temporary is gone
        }
    }
};

QTEST_GUILESS_MAIN(TestWalArchive)
#include "tst_walarchive.moc"
