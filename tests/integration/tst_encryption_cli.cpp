#include "CliRunner.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using pga::test::cli;
using pga::test::TestCluster;

// Issue 16, encryption at rest, as a DBA meets it: a repository made with repo-init --encrypt holds nothing readable
// (no file name, no table data, no WAL), every command needs the passphrase and says so, a wrong one or a damaged or
// swapped object is refused, and repo-rekey changes the passphrase without touching the data.
class TestEncryptionCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_secrets;
    std::unique_ptr<TestCluster> m_c;
    QString m_repo, m_pass, m_wrong, m_newPass, m_key;

    QString secret(const QString &name, const QByteArray &content)
    {
        const QString path = m_secrets.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);  // postgres reads it
        return path;
    }
    QStringList rs(const QString &pass = {}) const
    {
        return {QStringLiteral("--repo"), m_repo, QStringLiteral("--server"), QStringLiteral("main"), QStringLiteral("--passphrase-file"),
                pass.isEmpty() ? m_pass : pass};
    }
    // Files under dir whose bytes contain needle (the marker and keys.json are plain by design).
    static QStringList filesContaining(const QString &dir, const QByteArray &needle)
    {
        QStringList hits;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
                hits << it.filePath();
        }
        return hits;
    }
    static QStringList sealedFiles(const QString &dir, QStringList *plain)
    {
        QStringList sealed;
        QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (it.fileName() == QLatin1String("pgarchivist-repo.json") || it.fileName() == QLatin1String("keys.json") || it.fileInfo().size() == 0)
                continue;  // plain by design; empty lock files hold nothing
            if (f.open(QIODevice::ReadOnly) && f.read(4) == "PGAX")
                sealed << it.filePath();
            else
                *plain << it.filePath();
        }
        return sealed;
    }
    QString firstWal() const
    {
        QDirIterator it(m_repo + QStringLiteral("/servers/main/wal"), {QStringLiteral("0*.zst")}, QDir::Files, QDirIterator::Subdirectories);
        QStringList all;
        while (it.hasNext())
            all << it.next();
        all.sort();
        return all.value(0);
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QVERIFY(QFile::setPermissions(m_secrets.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                            | QFileDevice::ReadOther | QFileDevice::ExeOther));
        m_pass = secret(QStringLiteral("pass"), "the right passphrase\n");
        m_wrong = secret(QStringLiteral("wrong"), "the wrong passphrase\n");
        m_newPass = secret(QStringLiteral("new"), "a new passphrase\n");
        m_key = secret(QStringLiteral("key"), QByteArray(48, '\x5a'));
        QVERIFY(!m_pass.isEmpty() && !m_key.isEmpty());
        TestCluster::Options o;
        o.archiveToRepo = QStringLiteral("main");
        o.repoInitArgs = {QStringLiteral("--encrypt"), QStringLiteral("--passphrase-file"), m_pass};
        o.archivePushArgs = {QStringLiteral("--passphrase-file"), m_pass};
        QString why;
        m_c = TestCluster::create(o, &why);
        if (!m_c)
            QSKIP(qPrintable(why));
        m_repo = m_c->repoDir();
        QVERIFY(m_c->query(QStringLiteral("CREATE TABLE canary_table AS SELECT 'CANARY-' || g AS v FROM generate_series(1, 20000) g")));
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_switch_wal()")));
        auto b = cli(QStringList{QStringLiteral("backup")} + rs() + QStringList{QStringLiteral("--conninfo"), m_c->conninfo(), QStringLiteral("--json")});
        QVERIFY2(b.code == 0, b.err.constData());
        QVERIFY(m_c->query(QStringLiteral("SELECT pg_switch_wal()")));
        QTRY_VERIFY_WITH_TIMEOUT(!firstWal().isEmpty(), 20000);
    }

    void nothingInTheRepositoryIsReadable()
    {
        QStringList plain;
        const QStringList sealed = sealedFiles(m_repo, &plain);
        QVERIFY2(plain.isEmpty(), qPrintable(plain.join(QLatin1Char('\n'))));
        QVERIFY(sealed.size() > 10);  // chunks, WAL, manifest, file list, backup_manifest, server.json
        // Names from the file list, the table's data and the server's manifest are nowhere, in any form.
        for (const QByteArray &needle : {QByteArray("PG_VERSION"), QByteArray("CANARY-"), QByteArray("pg_control"), QByteArray("\"system_identifier\"")})
            QVERIFY2(filesContaining(m_repo, needle).isEmpty(), needle.constData());
        // The same check finds them in a plain repository (so it could fail): one of the cluster's segments pushed there.
        QTemporaryDir plainRepo;
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), plainRepo.path() + QStringLiteral("/r")}).code, 0);
        // The segment being written (older ones may be recycled under new names, with old headers).
        auto current = m_c->query(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())"));
        QVERIFY(current);
        auto push = cli({QStringLiteral("archive-push"), QStringLiteral("--repo"), plainRepo.path() + QStringLiteral("/r"), QStringLiteral("--server"),
                         QStringLiteral("main"), m_c->dataDir() + QStringLiteral("/pg_wal/") + current->value(0, 0)});
        QVERIFY2(push.code == 0, push.err.constData());
        QVERIFY(!filesContaining(plainRepo.path(), "\"system_identifier\"").isEmpty());
    }

    void everyCommandNeedsTheRightPassphrase()
    {
        auto none = cli({QStringLiteral("info"), QStringLiteral("--repo"), m_repo});
        QVERIFY(none.code != 0);
        QVERIFY2(none.err.contains("is encrypted") && none.err.contains("--passphrase-file"), none.err.constData());
        auto wrong = cli(QStringList{QStringLiteral("verify")} + rs(m_wrong));
        QVERIFY(wrong.code != 0);
        QVERIFY2(wrong.err.contains("Wrong passphrase"), wrong.err.constData());
        auto info = cli(QStringList{QStringLiteral("info"), QStringLiteral("--json")} + rs());
        QVERIFY2(info.code == 0, info.err.constData());
        QCOMPARE(QJsonDocument::fromJson(info.out)[QStringLiteral("encrypted")].toBool(), true);
        QCOMPARE(QJsonDocument::fromJson(info.out)[QStringLiteral("servers")][0][QStringLiteral("backups")].toArray().size(), 1);
        auto verify = cli(QStringList{QStringLiteral("verify")} + rs());
        QVERIFY2(verify.code == 0, QByteArray(verify.err + verify.out).constData());
        // A restore decrypts: the restored PG_VERSION is the server's; restore_command carries the passphrase file.
        const QString target = m_c->baseDir() + QStringLiteral("/restored");
        auto r = cli(QStringList{QStringLiteral("restore")} + rs() + QStringList{QStringLiteral("--target-dir"), target});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile a(target + QStringLiteral("/PG_VERSION")), b(m_c->dataDir() + QStringLiteral("/PG_VERSION"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
        // The server's backup_manifest comes out decrypted: pg_verifybackup checks the restored files against it.
        QProcess verifyBackup;
        verifyBackup.start(*pg::ClientTools::binDir() + QStringLiteral("/pg_verifybackup"), {QStringLiteral("-n"), target});
        QVERIFY(verifyBackup.waitForFinished(60000));
        QVERIFY2(verifyBackup.exitCode() == 0, verifyBackup.readAllStandardError().constData());
        QFile conf(target + QStringLiteral("/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(conf.readAll().contains(("--passphrase-file " + m_pass).toUtf8()));
        // archive-get of an archived segment works with the passphrase.
        const QString wal = firstWal();
        const QString name = QFileInfo(wal).completeBaseName();
        auto got = cli(QStringList{QStringLiteral("archive-get")} + rs() + QStringList{name, m_c->baseDir() + QStringLiteral("/got")});
        QVERIFY2(got.code == 0, got.err.constData());
        QCOMPARE(QFileInfo(m_c->baseDir() + QStringLiteral("/got")).size(), qint64(16) << 20);
    }

    void damagedOrSwappedObjectsAreRefused()
    {
        // Two archived segments swapped: each is refused in the other's place, and nothing is written.
        QDirIterator it(m_repo + QStringLiteral("/servers/main/wal"), {QStringLiteral("0*.zst")}, QDir::Files, QDirIterator::Subdirectories);
        QStringList wal;
        while (it.hasNext())
            wal << it.next();
        wal.sort();
        QVERIFY(wal.size() >= 2);
        QFile fa(wal[0]), fb(wal[1]);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray ba = fa.readAll(), bb = fb.readAll();
        fa.close();
        fb.close();
        auto put = [](const QString &path, const QByteArray &bytes) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
        };
        QVERIFY(put(wal[0], bb));
        const QString out = m_c->baseDir() + QStringLiteral("/swapped");
        auto got = cli(QStringList{QStringLiteral("archive-get")} + rs() + QStringList{QFileInfo(wal[0]).completeBaseName(), out});
        QVERIFY(got.code != 0);
        QVERIFY2(got.err.contains("cannot be decrypted"), got.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(put(wal[0], ba));
        // A flipped byte in a chunk: verify names the damage.
        QDirIterator chunks(m_repo + QStringLiteral("/chunks"), QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(chunks.hasNext());
        const QString chunk = chunks.next();
        QFile c(chunk);
        QVERIFY(c.open(QIODevice::ReadWrite));
        QByteArray bytes = c.readAll();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);
        QVERIFY(c.seek(0) && c.write(bytes) == bytes.size());
        c.close();
        auto v = cli(QStringList{QStringLiteral("verify")} + rs());
        QVERIFY(v.code != 0);
        QVERIFY2(QByteArray(v.out + v.err).contains("damaged"), v.out.constData());
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);
        QVERIFY(put(chunk, bytes));
        QCOMPARE(cli(QStringList{QStringLiteral("verify")} + rs()).code, 0);
    }

    void rekeyChangesThePassphraseOnly()
    {
        QStringList chunkStamps;
        QDirIterator it(m_repo + QStringLiteral("/chunks"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            chunkStamps << it.filePath() + QString::number(it.fileInfo().lastModified().toMSecsSinceEpoch());
        }
        auto wrong = cli({QStringLiteral("repo-rekey"), QStringLiteral("--repo"), m_repo, QStringLiteral("--passphrase-file"), m_wrong,
                          QStringLiteral("--new-passphrase-file"), m_newPass});
        QVERIFY(wrong.code != 0);
        auto r = cli({QStringLiteral("repo-rekey"), QStringLiteral("--repo"), m_repo, QStringLiteral("--passphrase-file"), m_pass,
                      QStringLiteral("--new-passphrase-file"), m_newPass, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out)[QStringLiteral("rekeyed")].toBool(), true);
        QVERIFY(cli(QStringList{QStringLiteral("info")} + rs()).code != 0);  // the old passphrase no longer opens it
        auto v = cli(QStringList{QStringLiteral("verify")} + rs(m_newPass));
        QVERIFY2(v.code == 0, v.err.constData());
        // A key file slot beside the passphrase (what a host that pushes many WAL files a second uses).
        auto k = cli({QStringLiteral("repo-rekey"), QStringLiteral("--repo"), m_repo, QStringLiteral("--passphrase-file"), m_newPass,
                      QStringLiteral("--new-key-file"), m_key});
        QVERIFY2(k.code == 0, k.err.constData());
        QCOMPARE(cli({QStringLiteral("info"), QStringLiteral("--repo"), m_repo, QStringLiteral("--key-file"), m_key}).code, 0);
        QCOMPARE(cli({QStringLiteral("info"), QStringLiteral("--repo"), m_repo, QStringLiteral("--passphrase-file"), m_newPass}).code, 0);
        QStringList after;
        QDirIterator again(m_repo + QStringLiteral("/chunks"), QDir::Files, QDirIterator::Subdirectories);
        while (again.hasNext()) {
            again.next();
            after << again.filePath() + QString::number(again.fileInfo().lastModified().toMSecsSinceEpoch());
        }
        QCOMPARE(after, chunkStamps);  // not re-encrypted
        // Put the first passphrase back for the cluster's archive_command.
        QCOMPARE(cli({QStringLiteral("repo-rekey"), QStringLiteral("--repo"), m_repo, QStringLiteral("--key-file"), m_key,
                      QStringLiteral("--new-passphrase-file"), m_pass}).code, 0);
    }

    void keysOfAnotherRepositoryAreNamed()
    {
        QTemporaryDir other;
        const QString repo2 = other.path() + QStringLiteral("/r2");
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), repo2, QStringLiteral("--encrypt"), QStringLiteral("--passphrase-file"), m_pass}).code, 0);
        QVERIFY(QFile::remove(repo2 + QStringLiteral("/keys.json")));
        QVERIFY(QFile::copy(m_repo + QStringLiteral("/keys.json"), repo2 + QStringLiteral("/keys.json")));
        auto r = cli({QStringLiteral("info"), QStringLiteral("--repo"), repo2, QStringLiteral("--passphrase-file"), m_pass});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("belongs to another repository"), r.err.constData());
        // A marker replaced by a plain one: a host given the passphrase refuses it instead of writing plain WAL into it.
        const QString repo3 = other.path() + QStringLiteral("/plain");
        QCOMPARE(cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), repo3}).code, 0);
        auto downgraded = cli({QStringLiteral("info"), QStringLiteral("--repo"), repo3, QStringLiteral("--passphrase-file"), m_pass});
        QVERIFY(downgraded.code != 0);
        QVERIFY2(downgraded.err.contains("is not encrypted, but a passphrase"), downgraded.err.constData());
        // A key file too short to be a key is refused before anything is made.
        const QString shortKey = secret(QStringLiteral("short"), "abc");
        auto s = cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), other.path() + QStringLiteral("/r3"), QStringLiteral("--encrypt"),
                      QStringLiteral("--key-file"), shortKey});
        QVERIFY(s.code != 0);
        QVERIFY2(s.err.contains("at least 32 random bytes"), s.err.constData());
        QVERIFY(!QFileInfo::exists(other.path() + QStringLiteral("/r3/pgarchivist-repo.json")));
        // --encrypt without a credential says what to give.
        auto n = cli({QStringLiteral("repo-init"), QStringLiteral("--repo"), other.path() + QStringLiteral("/r4"), QStringLiteral("--encrypt")});
        QVERIFY(n.code != 0);
        QVERIFY2(n.err.contains("--passphrase-file"), n.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestEncryptionCli)
#include "tst_encryption_cli.moc"
