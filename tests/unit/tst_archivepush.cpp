#include "SyntheticWal.h"
#include "engine/ArchiveGet.h"
#include "engine/ArchivePush.h"
#include "engine/RepoInfo.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"

#include <QtTest>

using namespace pga;
using pga::test::SyntheticWal;

// The engine operations without a server: synthetic 1 MiB segments in a fake pg_wal.
class TestArchivePush : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_repo, m_walDir;

    static constexpr quint64 kSysid = 7300000000000000042ull;

    QString writeSegment(quint64 sysid, quint32 tli, quint64 segNo, bool ready = true, qint64 lastCommitPg = 0)
    {
        SyntheticWal w(sysid, tli, segNo);
        w.filler(500);
        w.commit(lastCommitPg ? lastCommitPg - 1000 : 820000000LL * 1000000 + qint64(segNo) * 1000000);
        w.commit(lastCommitPg ? lastCommitPg : 820000000LL * 1000000 + qint64(segNo) * 1000000 + 500);
        const QString name = WalName::segmentName(tli, segNo, 1u << 20);
        const QString path = m_walDir + QLatin1Char('/') + name;
        if (!repo::writeFileDurably(path, w.build()))
            return {};
        if (ready)
            (void)repo::writeFileDurably(m_walDir + QStringLiteral("/archive_status/") + name + QStringLiteral(".ready"), {});
        return path;
    }

    Result<engine::ArchivePushResult> push(const QString &path, int ahead = 0, const QString &server = QStringLiteral("db"))
    {
        engine::ArchivePushOptions o;
        o.repoDir = m_repo;
        o.server = server;
        o.walPath = path;
        o.pushAhead = ahead;
        NullProgressSink sink;
        CancelToken cancel;
        return engine::ArchivePush(o).run(sink, cancel);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_repo = m_tmp.filePath(QStringLiteral("repo"));
        m_walDir = m_tmp.filePath(QStringLiteral("pg_wal"));
        QVERIFY(repo::Repository::init(m_repo));
        QVERIFY(QDir().mkpath(m_walDir + QStringLiteral("/archive_status")));
    }

    void pushAheadArchivesReadySegmentsInParallel()
    {
        QStringList paths;
        for (quint64 s = 1; s <= 5; ++s)
            paths << writeSegment(kSysid, 1, s);
        auto r = push(paths[0], /*ahead=*/3);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(r->outcome, repo::WalArchive::Stored::New);
        QCOMPARE(r->pushedAhead, 3);
        // Another repository (archive_command pointed elsewhere) holding a same-named, same-sized file: the marker
        // is not for it, so its push takes the full check (here: a different cluster's content is refused).
        {
            const QString otherRepo = m_tmp.filePath(QStringLiteral("other-repo"));
            QVERIFY(repo::Repository::init(otherRepo));
            auto other = repo::Repository::open(otherRepo);
            QVERIFY(other);
            const QString foreign = m_tmp.filePath(QStringLiteral("foreign/") + QFileInfo(paths[1]).fileName());
            QVERIFY(QDir().mkpath(QFileInfo(foreign).absolutePath()));
            SyntheticWal w(kSysid + 7, 1, 2);
            w.filler(500);
            QVERIFY(repo::writeFileDurably(foreign, w.build()));
            QVERIFY(engine::ArchivePush::pushOne(*other, QStringLiteral("db"), foreign, 1));
            engine::ArchivePushOptions o;
            o.repoDir = otherRepo;
            o.server = QStringLiteral("db");
            o.walPath = paths[1];
            NullProgressSink sink;
            CancelToken cancel;
            auto elsewhere = engine::ArchivePush(o).run(sink, cancel);
            QVERIFY(!elsewhere);
            QCOMPARE(elsewhere.error().code, Error::Code::WrongCluster);
        }
        // PostgreSQL's own calls for the segments pushed ahead only check that the file is the one pushed.
        for (int i = 1; i <= 2; ++i) {
            auto again = push(paths[i]);
            QVERIFY(again);
            QCOMPARE(again->outcome, repo::WalArchive::Stored::AlreadyArchived);
            QVERIFY(again->acknowledgedAhead);
        }
        // A file that changed since it was pushed ahead (here: rewritten with other bytes, as a restored or
        // recycled file would be) is not acknowledged by its marker: the full check refuses it.
        QFile f(paths[3]);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() - 100);
        f.write("different bytes at the end of the segment");
        f.close();
        auto changed = push(paths[3]);
        QVERIFY(!changed);
        QCOMPARE(changed.error().code, Error::Code::Conflict);
        QVERIFY(changed.error().message.contains(QStringLiteral("split brain")));
        QCOMPARE(push(paths[4])->outcome, repo::WalArchive::Stored::New);
        // Used markers are gone; nothing is left for segments PostgreSQL has archived.
        QStringList markers = QDir(m_walDir + QStringLiteral("/.pgarchivist-ahead")).entryList(QDir::Files);
        QVERIFY2(markers.size() <= 1 && (markers.isEmpty() || markers.first().startsWith(QFileInfo(paths[3]).fileName())),
                 qPrintable(markers.join(QLatin1Char(' '))));
    }

    void refusesTheWrongClusterAndMisnamedFiles()
    {
        const QString foreign = writeSegment(kSysid + 1, 1, 9, false);
        auto r = push(foreign);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::WrongCluster);
        QVERIFY(r.error().message.contains(QStringLiteral("system identifier")));
        // A segment renamed to another position is refused too.
        const QString renamed = m_walDir + QStringLiteral("/000000010000000000000011");
        QVERIFY(QFile::copy(writeSegment(kSysid, 1, 12, false), renamed));
        r = push(renamed);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Corrupt);
        QVERIFY(!push(m_walDir + QStringLiteral("/RECOVERYXLOG")));
        // At promotion the first segment of the new timeline is a copy of the parent's: its header says
        // timeline 1 under a timeline 2 name, and that is PostgreSQL's normal WAL (found by tst_pitr).
        const QString firstOfTl2 = m_walDir + QStringLiteral("/000000020000000000000013");
        QVERIFY(QFile::copy(writeSegment(kSysid, 1, 0x13, false), firstOfTl2));
        r = push(firstOfTl2, 0, QStringLiteral("promoted"));
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        // A later timeline's header under an earlier timeline's name is not.
        const QString backwards = m_walDir + QStringLiteral("/000000010000000000000014");
        QVERIFY(QFile::copy(writeSegment(kSysid, 2, 0x14, false), backwards));
        r = push(backwards, 0, QStringLiteral("promoted"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Corrupt);
    }

    void acceptsHistoryPartialAndBackupFiles()
    {
        const QString history = m_walDir + QStringLiteral("/00000002.history");
        QVERIFY(repo::writeFileDurably(history, "1\t0/5000000\tno recovery target specified\n"));
        QVERIFY(push(history));
        const QString backup = m_walDir + QStringLiteral("/000000010000000000000002.00000028.backup");
        QVERIFY(repo::writeFileDurably(backup, "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n"));
        QVERIFY(push(backup));
        // A partial: the segment's bytes under the .partial name (PostgreSQL renames it at promotion).
        const QString partial = m_walDir + QStringLiteral("/000000010000000000000006.partial");
        QVERIFY(QFile::copy(writeSegment(kSysid, 1, 6, false), partial));
        QVERIFY(push(partial));
        QVERIFY(QFileInfo::exists(m_repo + QStringLiteral("/servers/db/wal/00000002/00000002.history.zst")));
    }

    void infoShowsRangesGapsAndNoWindowWithoutBackups()
    {
        (void)push(writeSegment(kSysid, 1, 8, false));  // 7 is missing: a gap
        auto sum = engine::archiveSummary(m_repo, QStringLiteral("db"));
        QVERIFY2(sum, qPrintable(sum ? QString() : sum.error().toString()));
        QCOMPARE(sum->size(), 1);
        const auto &s = sum->first();
        QCOMPARE(s.systemIdentifier, kSysid);
        QCOMPARE(s.pgVersionNum, 150000);
        QCOMPARE(s.historyFiles, QStringList{QStringLiteral("00000002.history")});
        QCOMPARE(s.timelines.size(), 1);
        const TimelineSummary &t = s.timelines.first();
        QCOMPARE(t.firstSegment, QStringLiteral("000000010000000000000001"));
        QCOMPARE(t.lastSegment, QStringLiteral("000000010000000000000008"));
        QCOMPARE(t.gaps.size(), 1);
        QCOMPARE(t.gaps.first().firstName, QStringLiteral("000000010000000000000007"));
        QVERIFY(!t.window);
        QVERIFY(t.lastXactTimeUs && t.firstXactTimeUs && *t.firstXactTimeUs < *t.lastXactTimeUs);
        const QJsonObject j = engine::toJson(s);
        QCOMPARE(j.value(QStringLiteral("system_identifier")).toString(), QString::number(kSysid));
        QVERIFY(j.value(QStringLiteral("timelines")).toArray().at(0).toObject().value(QStringLiteral("window")).isNull());
        QCOMPARE(engine::archiveSummary(m_repo, QStringLiteral("nope")).error().code, Error::Code::NotFound);

        // A damaged header hides nothing else: the file is named and shows as a gap.
        const QString victim = m_repo + QStringLiteral("/servers/db/wal/00000001/000000010000000000000003.zst");
        QByteArray bytes = *repo::readWholeFile(victim);
        const QByteArray original = bytes;
        bytes[50] = char(bytes[50] ^ 1);
        QVERIFY(repo::writeFileDurably(victim, bytes));
        auto damaged = engine::archiveSummary(m_repo, QStringLiteral("db"));
        QVERIFY(damaged);
        QCOMPARE(damaged->first().damagedFiles, QStringList{QStringLiteral("000000010000000000000003")});
        QCOMPARE(damaged->first().timelines.first().gaps.size(), 2);
        QVERIFY(repo::writeFileDurably(victim, original));

        // With a base backup in the repository the window opens at its stop LSN and runs to the gap.
        const QString b = m_repo + QStringLiteral("/servers/db/backups/20261125T120000");
        QVERIFY(QDir().mkpath(b));
        QVERIFY(repo::writeFileDurably(b + QStringLiteral("/manifest.json"),
                                       R"({"timeline": 1, "start_lsn": "0/200028", "stop_lsn": "0/300100", "stop_time": "2025-12-26T00:00:03.000Z"})"));
        sum = engine::archiveSummary(m_repo, QStringLiteral("db"));
        QVERIFY(sum);
        const auto &w = sum->first().timelines.first().window;
        QVERIFY(w);
        QCOMPARE(w->fromLsn.toString(), QStringLiteral("0/300100"));
        QVERIFY(w->toLsn > Lsn(6u << 20) && w->toLsn <= Lsn(7u << 20));
    }

    void getRestoresVerifiedAndUsesTheSpool()
    {
        const QString dest = m_tmp.filePath(QStringLiteral("restore/pg_wal/RECOVERYXLOG"));
        QVERIFY(QDir().mkpath(QFileInfo(dest).absolutePath()));
        const QString spoolRoot = engine::ArchiveGet::defaultSpoolDir(dest);
        const QString spool = engine::ArchiveGet::bootSpoolDir(spoolRoot);
        // A copy left from before a host crash (another boot) may be incomplete: never used, and removed.
        const QString oldBoot = spoolRoot + QStringLiteral("/boot-00000000-dead-beef-0000-000000000000");
        QVERIFY(QDir().mkpath(oldBoot));
        QVERIFY(repo::writeFileDurably(oldBoot + QStringLiteral("/000000010000000000000002.0000000000000000"), QByteArray(16 << 20, '\0')));
        CancelToken cancel;
        QVERIFY(engine::ArchiveGet::prefetch(m_repo, QStringLiteral("db"), QStringLiteral("000000010000000000000001"), spoolRoot, 3, cancel));
        QCOMPARE(QDir(spool).entryList(QDir::Files).size(), 3);  // 2, 3, 4
        QVERIFY(!QFileInfo::exists(oldBoot));
        QCOMPARE(QDir(spoolRoot).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral(".lock"), QFileInfo(spool).fileName()}));
        engine::ArchiveGetOptions o;
        o.repoDir = m_repo;
        o.server = QStringLiteral("db");
        o.walName = QStringLiteral("000000010000000000000002");
        o.destPath = dest;
        NullProgressSink sink;
        auto r = engine::ArchiveGet(o).run(sink, cancel);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QVERIFY(r->fromSpool);
        QCOMPARE(*repo::readWholeFile(dest), *repo::readWholeFile(m_walDir + QStringLiteral("/000000010000000000000002")));
        // A spooled copy that does not match the archived file's size is not used.
        const QStringList left = QDir(spool).entryList({QStringLiteral("000000010000000000000003.*")}, QDir::Files);
        QCOMPARE(left.size(), 1);
        QVERIFY(repo::writeFileDurably(spool + QLatin1Char('/') + left.first(), "short"));
        o.walName = QStringLiteral("000000010000000000000003");
        r = engine::ArchiveGet(o).run(sink, cancel);
        QVERIFY(r);
        QVERIFY(!r->fromSpool);
        QCOMPARE(*repo::readWholeFile(dest), *repo::readWholeFile(m_walDir + QStringLiteral("/000000010000000000000003")));
        o.walName = QStringLiteral("000000010000000000000007");
        QCOMPARE(engine::ArchiveGet(o).run(sink, cancel).error().code, Error::Code::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestArchivePush)
#include "tst_archivepush.moc"
