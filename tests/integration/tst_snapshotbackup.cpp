#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::TestCluster;

// Snapshot backups: pg_backup_start, a snapshot command (here a copy of the running data directory, the stand-in for an
// LVM/ZFS/cloud snapshot), pg_backup_stop. The catalog entry restores once the snapshot is "mounted": backup_label and the
// recovery settings are written into it and the server reaches consistency and replays to the end of the WAL.
class TestSnapshotBackup : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo, m_snaps;

    QStringList rs() const { return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main")}; }

    QJsonObject backupEntry(const QString &id)
    {
        auto r = test::cli(QStringList{QStringLiteral("info")} + rs() + QStringList{QStringLiteral("--json")});
        for (const QJsonValue &b : QJsonDocument::fromJson(r.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray())
            if (b[QStringLiteral("id")].toString() == id)
                return b.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        m_snaps = m_c->makeServerWritableDir(QStringLiteral("snaps"));
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g")));
    }

    void failingCommandPublishesNothing()
    {
        auto r = test::cli(QStringList{QStringLiteral("backup")} + rs()
                           + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--snapshot-command"), QStringLiteral("echo lvcreate failed >&2; exit 3")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("snapshot command failed (exit 3)"), r.err.constData());
        QVERIFY2(r.err.contains("lvcreate failed"), r.err.constData());
        auto info = test::cli(QStringList{QStringLiteral("info")} + rs() + QStringList{QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray().size(), 0);
        // Backup mode was ended: another backup can start at once.
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_backup_start('probe', true)")));
    }

    void snapshotRestoresAndReplays()
    {
        const QString cmd = QStringLiteral("cp -a \"$PGARCHIVIST_DATA_DIRECTORY\" '%1'/\"$PGARCHIVIST_BACKUP_ID\" && echo \"copy:$PGARCHIVIST_BACKUP_ID at $PGARCHIVIST_START_LSN\"")
                                .arg(m_snaps);
        auto b = test::cli(QStringList{QStringLiteral("backup")} + rs()
                           + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--snapshot-command"), cmd, QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());
        const QJsonObject made = QJsonDocument::fromJson(b.out).object();
        const QString id = made[QStringLiteral("id")].toString();
        QCOMPARE(made[QStringLiteral("kind")].toString(), QStringLiteral("snapshot"));
        QCOMPARE(made[QStringLiteral("snapshot_id")].toString(), QStringLiteral("copy:%1 at %2").arg(id, made[QStringLiteral("start_lsn")].toString()));
        QVERIFY(m_c->query(QStringLiteral("INSERT INTO t SELECT g FROM generate_series(1001, 1500) g")));
        m_c->switchWal();
        QVERIFY(m_c->waitForArchiverIdle());

        // In the catalog like any backup: its WAL checked, verify passes.
        const QJsonObject entry = backupEntry(id);
        QCOMPARE(entry[QStringLiteral("kind")].toString(), QStringLiteral("snapshot"));
        QCOMPARE(entry[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QCOMPARE(entry[QStringLiteral("snapshot_id")].toString(), made[QStringLiteral("snapshot_id")].toString());
        auto v = test::cli(QStringList{QStringLiteral("verify")} + rs());
        QVERIFY2(v.code == 0, v.err.constData());

        // Not mounted: it says what to mount where.
        const QString target = m_c->makeServerWritableDir(QStringLiteral("mnt")) + QStringLiteral("/data");
        auto early = test::cli(QStringList{QStringLiteral("restore")} + rs() + QStringList{QStringLiteral("--backup"), id, QStringLiteral("--target-dir"), target});
        QCOMPARE(early.code, 1);
        QVERIFY2(early.err.contains(QStringLiteral("snapshot '%1'").arg(made[QStringLiteral("snapshot_id")].toString()).toUtf8()), early.err.constData());
        QVERIFY2(early.err.contains(target.toUtf8()), early.err.constData());

        // "Mounted" (a copy of the snapshot at the target): restored, it reaches consistency and replays past the snapshot.
        QProcess cp;
        cp.start(QStringLiteral("cp"), {QStringLiteral("-a"), m_snaps + QLatin1Char('/') + id, target});
        QVERIFY(cp.waitForFinished() && cp.exitCode() == 0);
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/backup_label")));
        auto r = test::cli(QStringList{QStringLiteral("restore")} + rs()
                           + QStringList{QStringLiteral("--backup"), id, QStringLiteral("--target-dir"), target, QStringLiteral("--target-action"), QStringLiteral("promote")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(target + QStringLiteral("/backup_label")));
        QVERIFY(QFileInfo::exists(target + QStringLiteral("/recovery.signal")));
        QVERIFY(!QFileInfo::exists(target + QStringLiteral("/postmaster.pid")));
        QCOMPARE(test::queryRestored(target, m_c->baseDir(), QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1500"));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotBackup)
#include "tst_snapshotbackup.moc"
