#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// expire --retain-days against real PostgreSQL 15 backups through the CLI (issue 5). Backups are made old by
// moving start_time/stop_time back in their manifest.json: that is all expire reads to judge age, and the
// repository format keeps no checksum over manifest.json (only over backup_manifest), so the aged
// repository is exactly what a repository with days-old backups looks like.
class TestBackupRetention : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;

    using Run = test::CliOutput;
    static Run cli(const QStringList &args) { return test::cli(args); }
    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }
    Run expire(const QStringList &extra) { return cli(QStringList{QStringLiteral("expire")} + rs() + extra); }
    QJsonObject info()
    {
        Run r = cli(QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs());
        return QJsonDocument::fromJson(r.out)[QStringLiteral("servers")][0].toObject();
    }
    QStringList listedIds()
    {
        QStringList ids;
        for (const QJsonValue &b : info()[QStringLiteral("backups")].toArray())
            ids << b[QStringLiteral("id")].toString();
        return ids;
    }
    QString manifestPath(const QString &id) const { return m_repo + QStringLiteral("/servers/main/backups/") + id + QStringLiteral("/manifest.json"); }
    // Moves a backup's start and stop time `hours` into the past.
    bool age(const QString &id, int hours)
    {
        QFile f(manifestPath(id));
        if (!f.open(QIODevice::ReadOnly))
            return false;
        QJsonObject m = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        for (const QString &key : {QStringLiteral("start_time"), QStringLiteral("stop_time")}) {
            const QDateTime t = QDateTime::fromString(m[key].toString(), Qt::ISODateWithMs);
            if (!t.isValid())
                return false;
            m[key] = t.addSecs(-3600LL * hours).toUTC().toString(Qt::ISODateWithMs);
        }
        QSaveFile out(manifestPath(id));
        return out.open(QIODevice::WriteOnly) && out.write(QJsonDocument(m).toJson(QJsonDocument::Compact)) > 0 && out.commit();
    }
    // Archived WAL segment names of timeline 1 (with their .partial/.backup suffix).
    QStringList wal() const
    {
        QStringList names = QDir(m_repo + QStringLiteral("/servers/main/wal/00000001")).entryList({QStringLiteral("*.zst")}, QDir::Files, QDir::Name);
        for (QString &n : names)
            n.chop(4);
        return names;
    }
    int chunkFiles() const
    {
        int n = 0;
        QDirIterator it(m_repo + QStringLiteral("/chunks"), {QStringLiteral("*.zst")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++n;
        }
        return n;
    }
    // The segment a backup starts in: WAL from there on is what it needs.
    QString startSegment(const QString &id)
    {
        const QJsonObject s = info();
        for (const QJsonValue &b : s[QStringLiteral("backups")].toArray())
            if (b[QStringLiteral("id")].toString() == id) {
                const QStringList hl = b[QStringLiteral("start_lsn")].toString().split(QLatin1Char('/'));
                const quint64 lsn = (hl[0].toULongLong(nullptr, 16) << 32) | hl[1].toULongLong(nullptr, 16);
                const quint64 segSize = quint64(s[QStringLiteral("segment_size")].toInteger());
                const quint64 seg = lsn / segSize, perId = 0x100000000ULL / segSize;
                return QStringLiteral("%1%2%3").arg(b[QStringLiteral("timeline")].toInt(), 8, 16, QLatin1Char('0'))
                    .arg(seg / perId, 8, 16, QLatin1Char('0')).arg(seg % perId, 8, 16, QLatin1Char('0')).toUpper();
            }
        return {};
    }
    // WAL that only removed backups needed is gone; WAL from the oldest kept backup's start on is all still there.
    void checkWalAfterExpire(const QStringList &before, const QString &oldestKept)
    {
        const QString keepFrom = startSegment(oldestKept);
        QCOMPARE(keepFrom.size(), 24);
        const QStringList after = wal();
        QStringList gone, kept;
        for (const QString &w : before)
            (w.left(24) < keepFrom ? gone : kept) << w;
        QVERIFY2(!gone.isEmpty(), qPrintable(QStringLiteral("no WAL before %1 to expire: %2").arg(keepFrom, before.join(QLatin1Char(' ')))));
        for (const QString &w : gone)
            QVERIFY2(!after.contains(w), qPrintable(QStringLiteral("%1 is still archived; only expired backups needed it").arg(w)));
        for (const QString &w : kept)
            QVERIFY2(after.contains(w), qPrintable(QStringLiteral("%1 was removed; backup %2 needs it").arg(w, oldestKept)));
    }
    void verifyExactly(const QStringList &ids)
    {
        Run v = cli(QStringList{QStringLiteral("verify"), QStringLiteral("--json")} + rs());
        QVERIFY2(v.code == 0, QByteArray(v.out + v.err).constData());
        QStringList verified;
        for (const QJsonValue &b : QJsonDocument::fromJson(v.out)[QStringLiteral("backups")].toArray()) {
            QVERIFY2(b[QStringLiteral("ok")].toBool(), v.out.constData());
            verified << b[QStringLiteral("id")].toString();
        }
        QCOMPARE(verified, ids);
        QCOMPARE(listedIds(), ids);
    }
    void settle()
    {
        const QString last = m_c->switchWal();
        QVERIFY(m_c->waitForArchived(last, 60000));
        QVERIFY(m_c->waitForArchiverIdle(60000));  // the test compares the archive's files before and after
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QVERIFY(QFileInfo(test::cliPath()).isExecutable());
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t(i int)")));
    }

    void expireRetainDays()
    {
        // Four backups with WAL between them; then they ended 10 days, 6 days, 2 days ago and now.
        QStringList ids;
        for (int i = 0; i < 4; ++i) {
            QVERIFY(m_c->query(QStringLiteral("INSERT INTO t SELECT generate_series(1, 1000)")));
            settle();
            Run b = cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
            QVERIFY2(b.code == 0, b.err.constData());
            ids << QJsonDocument::fromJson(b.out)[QStringLiteral("id")].toString();
        }
        settle();
        QVERIFY(age(ids[0], 10 * 24));
        QVERIFY(age(ids[1], 6 * 24));
        QVERIFY(age(ids[2], 2 * 24));
        const QJsonArray listed = info()[QStringLiteral("backups")].toArray();
        QCOMPARE(listed.size(), 4);
        const QDateTime stop0 = QDateTime::fromString(listed[0][QStringLiteral("stop_time")].toString(), Qt::ISODateWithMs);
        QVERIFY2(stop0.isValid() && stop0 < QDateTime::currentDateTimeUtc().addDays(-9), qPrintable(listed[0][QStringLiteral("stop_time")].toString()));
        QCOMPARE(listed[0][QStringLiteral("status")].toString(), QStringLiteral("ok"));

        // --retain-days 3 keeps what recovery to any moment of the last 3 days needs: the two backups that ended
        // since, and the newest one before (6 days old). A dry run only says so.
        const QStringList walBefore = wal();
        const int chunksBefore = chunkFiles();
        Run dry = expire({QStringLiteral("--retain-days"), QStringLiteral("3"), QStringLiteral("--dry-run")});
        QVERIFY2(dry.code == 0, dry.err.constData());
        QVERIFY2(dry.out.contains(QByteArray("Would remove backup " + ids[0].toUtf8() + '\n')), dry.out.constData());
        QCOMPARE(dry.out.count("Would remove backup "), 1);
        QVERIFY2(dry.out.contains(QByteArray("Kept 3 backup(s): " + ids.mid(1).join(QStringLiteral(", ")).toUtf8())), dry.out.constData());
        for (const QString &id : ids)
            QVERIFY2(QFileInfo::exists(manifestPath(id)), qPrintable(id));
        QCOMPARE(listedIds(), ids);
        QCOMPARE(wal(), walBefore);
        QCOMPARE(chunkFiles(), chunksBefore);

        // What a push killed on a file system without O_TMPFILE leaves: an hour-old one goes, a fresh one (a push
        // that may still be writing) stays.
        const QString tlDir = m_repo + QStringLiteral("/servers/main/wal/00000001/");
        const QString staleTmp = tlDir + QStringLiteral(".000000010000000000000099.zst.tmp.999999.0badf00d");
        const QString freshTmp = tlDir + QStringLiteral(".00000001000000000000009A.zst.tmp.999998.0badf00d");
        for (const QString &t : {staleTmp, freshTmp}) {
            QFile f(t);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("partial");
        }
        {
            QFile f(staleTmp);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-2 * 3600), QFileDevice::FileModificationTime));
        }

        Run e = expire({QStringLiteral("--retain-days"), QStringLiteral("3")});
        QVERIFY2(e.code == 0, e.err.constData());
        QVERIFY(!QFileInfo::exists(staleTmp));
        QVERIFY(QFileInfo::exists(freshTmp));
        QVERIFY2(e.out.contains("leftover(s) of interrupted backups or pushes"), e.out.constData());
        QVERIFY(QFile::remove(freshTmp));
        QVERIFY2(e.out.contains(QByteArray("Removed backup " + ids[0].toUtf8() + '\n')), e.out.constData());
        QVERIFY(!QFileInfo::exists(m_repo + QStringLiteral("/servers/main/backups/") + ids[0]));
        checkWalAfterExpire(walBefore, ids[1]);
        if (QTest::currentTestFailed())
            return;
        verifyExactly(ids.mid(1));
        if (QTest::currentTestFailed())
            return;

        // All remaining backups older than the horizon: --retain-days alone still keeps the newest (recovery to
        // any moment of the last day starts there), and --retain-full keeps more, never fewer.
        QVERIFY(age(ids[3], 36));
        Run dry1 = expire({QStringLiteral("--retain-days"), QStringLiteral("1"), QStringLiteral("--dry-run")});
        QVERIFY2(dry1.code == 0, dry1.err.constData());
        QVERIFY2(dry1.out.contains(QByteArray("Would remove backup " + ids[1].toUtf8())) && dry1.out.contains(QByteArray("Would remove backup " + ids[2].toUtf8())),
                 dry1.out.constData());
        QVERIFY2(dry1.out.contains(QByteArray("Kept 1 backup(s): " + ids[3].toUtf8())), dry1.out.constData());
        QCOMPARE(listedIds(), ids.mid(1));
        const QStringList walBefore2 = wal();
        Run both = expire({QStringLiteral("--retain-days"), QStringLiteral("1"), QStringLiteral("--retain-full"), QStringLiteral("2")});
        QVERIFY2(both.code == 0, both.err.constData());
        QCOMPARE(both.out.count("Removed backup "), 1);
        QVERIFY2(both.out.contains(QByteArray("Removed backup " + ids[1].toUtf8())), both.out.constData());
        checkWalAfterExpire(walBefore2, ids[2]);
        if (QTest::currentTestFailed())
            return;
        verifyExactly(ids.mid(2));
    }
};

QTEST_GUILESS_MAIN(TestBackupRetention)
#include "tst_backup_retention.moc"
