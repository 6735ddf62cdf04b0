#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pga;
using pga::test::cli;
using pga::test::cliAs;
using pga::test::TestCluster;

// Issue 10: a repository written by root and read by postgres (and the reverse). Run as root, as CI does: the
// commands run as postgres, as nobody and as a group member through setpriv. A read error is never "nothing
// there", only the owner writes, root writes as the owner, and a shared group reads.
class TestRepoAccess : public QObject {
    Q_OBJECT
    std::unique_ptr<TestCluster> m_c;
    QString m_repo;
    uint m_postgresUid = 0;

    QStringList rs(const QString &repo = {}) const
    {
        return {QStringLiteral("--repo"), repo.isEmpty() ? m_repo : repo, QStringLiteral("--server"), QStringLiteral("main")};
    }
    int backupCount(const QByteArray &infoJson)
    {
        return int(QJsonDocument::fromJson(infoJson)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray().size());
    }
    // Regular files below dir, to see that a refused command removed nothing.
    static int fileCount(const QString &dir)
    {
        int n = 0;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++n;
        }
        return n;
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: it runs the commands as postgres, nobody and a group member");
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        const passwd *pw = ::getpwnam("postgres");
        QVERIFY(pw);
        m_postgresUid = pw->pw_uid;
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.repoGroup = QStringLiteral("users");
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 1000) g")));
    }

    void sharedRepositoryModes()
    {
        // repo-init --owner postgres --group users: setgid 2750 directories, 0640 files, that group.
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(m_repo).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(02750));
        QCOMPARE(st.st_uid, uid_t(m_postgresUid));
        QCOMPARE(QFileInfo(m_repo).group(), QStringLiteral("users"));
        QCOMPARE(::stat(QFile::encodeName(m_repo + QStringLiteral("/chunks")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(02750));
        QCOMPARE(::stat(QFile::encodeName(m_repo + QStringLiteral("/pgarchivist-repo.json")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0640));
        // Creating one for another user is root's alone; an unknown group is named.
        auto other = cliAs(QStringLiteral("nobody"), {QStringLiteral("repo-init"), QStringLiteral("--repo"), QStringLiteral("/tmp/pga-never-%1").arg(::getpid()),
                                                      QStringLiteral("--owner"), QStringLiteral("postgres")});
        QCOMPARE(other.code, 1);
        QVERIFY2(other.err.contains("Only root"), other.err.constData());
        auto badGroup = cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), m_c->baseDir() + QStringLiteral("/r2"), QStringLiteral("--group"),
                             QStringLiteral("no-such-group-pga")});
        QCOMPARE(badGroup.code, 1);
        QVERIFY2(badGroup.err.contains("groupadd"), badGroup.err.constData());
    }

    void rootWritesAsTheOwner()
    {
        // Root takes the backup (as the GUI's Back Up Now does when run as root): everything it created belongs to
        // postgres and keeps the group, so postgres's archive-push and restore see it.
        auto b = cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()});
        QVERIFY2(b.code == 0, b.err.constData());
        const QStringList foreign = test::notOwnedBy(m_repo, m_postgresUid);
        QVERIFY2(foreign.isEmpty(), qPrintable(foreign.join(QLatin1Char('\n'))));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(m_repo + QStringLiteral("/servers/main/backups")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(02750));
        QCOMPARE(QFileInfo(m_repo + QStringLiteral("/servers/main/backups")).group(), QStringLiteral("users"));

        // As postgres: info, verify and a restore see the backup root took.
        auto info = cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs());
        QVERIFY2(info.code == 0, info.err.constData());
        QCOMPARE(backupCount(info.out), 1);
        auto v = cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("verify")} + rs());
        QVERIFY2(v.code == 0, QByteArray(v.out + v.err).constData());
        const QString target = m_c->makeServerWritableDir(QStringLiteral("restore-pg")) + QStringLiteral("/data");
        auto r = cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("restore")} + rs()
                                                       + QStringList{QStringLiteral("--target-dir"), target, QStringLiteral("--target-immediate")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(target + QStringLiteral("/PG_VERSION")));
    }

    void aGroupMemberReadsButDoesNotWrite()
    {
        // nobody, with the group 'users': reads the catalog and restores into a directory of its own.
        const QString mine = m_c->baseDir() + QStringLiteral("/restore-member");
        QVERIFY(QDir().mkpath(mine));
        QVERIFY(::chown(QFile::encodeName(mine).constData(), 65534, 65534) == 0);
        auto info = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs(), QStringLiteral("users"));
        QVERIFY2(info.code == 0, info.err.constData());
        QCOMPARE(backupCount(info.out), 1);
        auto r = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("restore")} + rs()
                                                     + QStringList{QStringLiteral("--target-dir"), mine + QStringLiteral("/data"), QStringLiteral("--target-immediate")},
                       QStringLiteral("users"));
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(mine + QStringLiteral("/data/PG_VERSION")));

        // A writing command is refused before it starts, naming the owner and the fix; nothing changes.
        const int before = fileCount(m_repo);
        auto b = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo()},
                       QStringLiteral("users"));
        QCOMPARE(b.code, 1);
        QVERIFY2(b.err.contains("belongs to postgres") && b.err.contains("sudo -u postgres") && b.err.contains("may read it"), b.err.constData());
        auto e = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("expire")} + rs() + QStringList{QStringLiteral("--retain-full"), QStringLiteral("1")},
                       QStringLiteral("users"));
        QCOMPARE(e.code, 1);
        QVERIFY2(e.err.contains("belongs to postgres"), e.err.constData());
        auto push = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("archive-push")} + rs() + QStringList{m_c->dataDir() + QStringLiteral("/pg_wal/000000010000000000000009")},
                          QStringLiteral("users"));
        QCOMPARE(push.code, 1);
        QVERIFY2(push.err.contains("belongs to postgres") && push.err.contains("sudo -u postgres"), push.err.constData());
        QCOMPARE(fileCount(m_repo), before);

        // Without the group, nobody cannot read it at all: an error naming the path, owner, mode and user.
        auto outsider = cliAs(QStringLiteral("nobody"), QStringList{QStringLiteral("info")} + rs());
        QCOMPARE(outsider.code, 1);
        QVERIFY2(outsider.err.contains("permission denied") && outsider.err.contains("postgres:users") && outsider.err.contains("nobody"),
                 outsider.err.constData());
    }

    void anUnreadableDirectoryIsAnErrorNotAnEmptyCatalog()
    {
        // The case a DBA met: a backups directory root made 0700. Every command says so; none says "no base backup".
        const QString backups = m_repo + QStringLiteral("/servers/main/backups");
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(backups).constData(), &st), 0);
        QVERIFY(::chown(QFile::encodeName(backups).constData(), 0, 0) == 0);
        QVERIFY(::chmod(QFile::encodeName(backups).constData(), 0700) == 0);
        const int before = fileCount(m_repo);
        const QString target = m_c->makeServerWritableDir(QStringLiteral("restore-denied")) + QStringLiteral("/data");
        const QList<QStringList> commands{
            QStringList{QStringLiteral("info")} + rs(),
            QStringList{QStringLiteral("verify")} + rs(),
            QStringList{QStringLiteral("restore")} + rs() + QStringList{QStringLiteral("--target-dir"), target, QStringLiteral("--target-immediate")},
            QStringList{QStringLiteral("expire")} + rs() + QStringList{QStringLiteral("--retain-full"), QStringLiteral("1")},
        };
        for (const QStringList &args : commands) {
            auto r = cliAs(QStringLiteral("postgres"), args);
            QVERIFY2(r.code == 1, qPrintable(args.first() + QStringLiteral(": ") + QString::fromLocal8Bit(r.out + r.err)));
            QVERIFY2(r.err.contains(backups.toUtf8()) && r.err.contains("root:root") && r.err.contains("0700") && r.err.contains("runs as postgres"),
                     qPrintable(args.first() + QStringLiteral(": ") + QString::fromLocal8Bit(r.err)));
            QVERIFY2(!r.err.contains("no base backup") && !r.out.contains("0 base backup"), r.err.constData());
        }
        QVERIFY(!QFileInfo::exists(target));
        QCOMPARE(fileCount(m_repo), before);  // expire removed nothing on a partial view

        // A dangling link where a backup should be is named too.
        QVERIFY(::chown(QFile::encodeName(backups).constData(), st.st_uid, st.st_gid) == 0);
        QVERIFY(::chmod(QFile::encodeName(backups).constData(), st.st_mode & 07777) == 0);
        QVERIFY(QFile::link(m_c->baseDir() + QStringLiteral("/gone"), backups + QStringLiteral("/20990101T000000Z-F")));
        auto dangling = cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("info")} + rs());
        QCOMPARE(dangling.code, 1);
        QVERIFY2(dangling.err.contains("dangling symbolic link"), dangling.err.constData());
        QVERIFY(QFile::remove(backups + QStringLiteral("/20990101T000000Z-F")));
        QCOMPARE(cliAs(QStringLiteral("postgres"), QStringList{QStringLiteral("info")} + rs()).code, 0);
    }

    void auditNamesAnOwnerArchiveCommandCannotWriteAs()
    {
        // The repository given to root: archive_command (postgres) would be refused, and check says so.
        auto quiet = cli({QStringLiteral("check"), QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY2(!quiet.out.contains("archive_command.repo_owner"), quiet.out.constData());
        const QString marker = m_repo + QStringLiteral("/pgarchivist-repo.json");
        QVERIFY(::chown(QFile::encodeName(marker).constData(), 0, uid_t(-1)) == 0);
        auto loud = cli({QStringLiteral("check"), QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY(::chown(QFile::encodeName(marker).constData(), m_postgresUid, uid_t(-1)) == 0);
        QVERIFY2(loud.out.contains("archive_command.repo_owner"), loud.out.constData());
        QVERIFY2(loud.out.contains("belongs to root, but archive_command runs as postgres"), loud.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestRepoAccess)
#include "tst_repo_access.moc"
