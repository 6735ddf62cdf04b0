#include "CliRunner.h"
#include "S3Server.h"
#include "TestCluster.h"
#include "core/Sha256.h"
#include "core/Zstd.h"
#include "repo/DurableFile.h"
#include "repo/FileAccess.h"
#include "repo/ObjectStorage.h"
#include "repo/s3/S3Client.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <csignal>
#include <sys/prctl.h>

using namespace pga;
using namespace pga::test;

// Repositories on S3 (issue 16), against a real S3 server (s3rver): the signature against botocore's, the HEAD
// check that refuses an overwrite where the store ignores If-None-Match, paginated listing, multipart uploads,
// what the AWS CLI sees of our objects, backup/verify/expire, and faults injected by a proxy that never lose an
// acknowledged segment. The PITR proof on S3 is tst_pitr_cli_s3.
class TestS3Repository : public QObject {
    Q_OBJECT
    std::unique_ptr<S3Server> m_s3;
    std::unique_ptr<TestCluster> m_cluster;
    QTemporaryDir m_tmp;
    QStringList m_segments;  // real WAL segments, copied out of pg_wal
    std::vector<std::unique_ptr<QProcess>> m_helpers;
    int m_proxyPort = 0;
    QString controlFile() const { return m_tmp.filePath(QStringLiteral("proxy.control")); }
    QString proxied() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort); }
    QString cliRepo() const { return m_s3->url(QStringLiteral("repos/cli")); }

    QString script(const char *name) const { return qEnvironmentVariable("PGA_SOURCE_DIR") + QStringLiteral("/tests/support/s3/") + QLatin1String(name); }

    // Starts a helper script that writes its port to a file; returns the port (0 on failure).
    int startHelper(const QString &program, const QStringList &args, const QString &portFile)
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedChannels);
        p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });  // gone with a crashed test
        p->start(program, args);
        if (!p->waitForStarted(10000))
            return 0;
        for (int i = 0; i < 200; ++i) {
            QFile f(portFile);
            if (f.open(QIODevice::ReadOnly)) {
                const int port = f.readAll().trimmed().toInt();
                m_helpers.push_back(std::move(p));
                return port;
            }
            QThread::msleep(50);
        }
        return 0;
    }

    struct Out {
        int code = -1;
        QString out, err;
    };
    static Out run(const QStringList &args)
    {
        const CliOutput o = cli(args);
        return {o.code, QString::fromUtf8(o.out), QString::fromUtf8(o.err)};
    }

    Out aws(const QStringList &args, const QString &endpoint = {})
    {
        QProcess p;
        p.start(QStringLiteral("/usr/bin/aws"), QStringList{QStringLiteral("--endpoint-url"), endpoint.isEmpty() ? m_s3->endpoint() : endpoint,
                                                            QStringLiteral("--region"), QStringLiteral("us-east-1")} + args);
        p.waitForFinished(120000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    static QByteArray fileBytes(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QString why;
        m_s3 = S3Server::start(QStringLiteral("pga-test"), &why);
        if (!m_s3 && S3Server::required())
            QFAIL(qPrintable(why));
        if (!m_s3)
            QSKIP(qPrintable(why));
        m_s3->exportEnvironment();
        qputenv("PGARCHIVIST_S3_MULTIPART_THRESHOLD", QByteArray::number(5 << 20));  // the smallest S3 allows
        qputenv("PGARCHIVIST_S3_ATTEMPTS", "4");
        QVERIFY(m_tmp.isValid());

        const QString portFile = m_tmp.filePath(QStringLiteral("proxy.port"));
        m_proxyPort = startHelper(QStringLiteral("/usr/bin/python3"), {script("fault-proxy.py"), portFile, QString::number(m_s3->port()), controlFile()}, portFile);
        QVERIFY(m_proxyPort > 0);

        // The cluster archives into repos/cli on S3: its archive_command inherits the S3 settings and credentials.
        QCOMPARE(run({QStringLiteral("repo-init"), QStringLiteral("--repo"), cliRepo()}).code, 0);
        TestCluster::Options o;
        o.initdbArgs = {QStringLiteral("--wal-segsize=1")};
        o.conf = {QStringLiteral("archive_mode = on"),
                  QStringLiteral("archive_command = '%1 archive-push --repo %2 --server main %p'").arg(cliPath(), cliRepo())};
        m_cluster = TestCluster::create(o, &why);
        if (!m_cluster)
            QSKIP(qPrintable(why));
        QVERIFY(m_cluster->query(QStringLiteral("CREATE TABLE t AS SELECT g, md5(g::text) FROM generate_series(1, 20000) g")));
        for (int i = 0; i < 6; ++i) {
            QVERIFY(m_cluster->query(QStringLiteral("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g")));
            m_cluster->switchWal();
        }
        // Segments strictly before the current one are complete and will not change.
        const QString current = m_cluster->scalar(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())"));
        const QString walDir = m_cluster->cluster().spec().dataDir + QStringLiteral("/pg_wal");
        QStringList names = QDir(walDir).entryList({QStringLiteral("0000000100000000000000??")}, QDir::Files, QDir::Name);
        for (const QString &n : names) {
            if (n >= current)
                continue;
            QVERIFY(QFile::copy(walDir + QLatin1Char('/') + n, m_tmp.filePath(n)));
            m_segments << m_tmp.filePath(n);
        }
        QVERIFY2(m_segments.size() >= 6, qPrintable(m_segments.join(QLatin1Char(' '))));
    }

    // libcurl signs (CURLOPT_AWS_SIGV4); botocore, the AWS SDK's signer, must compute the same signature for every
    // kind of request we send, with an awkward key and query, a session token and the payload hash we add.
    void signatureMatchesBotocore()
    {
        const QString portFile = m_tmp.filePath(QStringLiteral("capture.port")), log = m_tmp.filePath(QStringLiteral("capture.log"));
        const int port = startHelper(QStringLiteral("/usr/bin/python3"), {script("capture-server.py"), portFile, log}, portFile);
        QVERIFY(port > 0);
        repo::s3::Config c;
        c.bucket = QStringLiteral("sig-test");
        c.endpoint = QStringLiteral("http://127.0.0.1:%1").arg(port);
        c.region = QStringLiteral("eu-central-1");
        c.credentials = {QStringLiteral("AKIDEXAMPLE"), QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), QStringLiteral("FQoGZXIvYXdzEJr//session+token="), QStringLiteral("test")};
        c.attempts = 1;
        const repo::s3::Client client(c);
        const QString key = QStringLiteral("pre fix/ünï+côde/a=b&c~d(1).zst");
        QVERIFY(client.head(key));
        qint64 total = 0;
        QVERIFY(client.getRange(key, 0, 4, &total));
        QVERIFY(client.put(key, {QByteArrayView("header"), QByteArrayView("body")}, true));
        QVERIFY(client.list(QStringLiteral("pre fix/ü/"), QStringLiteral("/"), [](const repo::s3::ListPage &) { return Status(); }, 7));
        auto id = client.beginMultipart(key);
        QVERIFY(id);
        auto etag = client.uploadPart(key, *id, 1, QByteArrayView("part one"));
        QVERIFY(etag);
        QVERIFY(client.completeMultipart(key, *id, {*etag}));
        client.abortMultipart(key, *id);
        QVERIFY(client.remove(key));
        QProcess v;
        v.setProcessChannelMode(QProcess::MergedChannels);
        v.start(QStringLiteral("/usr/bin/python3"), {script("verify-signatures.py"), log, c.credentials.accessKeyId, c.credentials.secretAccessKey,
                                                     c.region, c.credentials.sessionToken});
        QVERIFY(v.waitForFinished(60000));
        const QString report = QString::fromUtf8(v.readAll());
        qInfo("%s", qPrintable(report.trimmed()));
        QVERIFY2(v.exitCode() == 0, qPrintable(report));
        QVERIFY2(report.contains(QLatin1String("9 requests, 0 mismatches")), qPrintable(report));
    }

    // A different segment under an archived name (a split brain) is refused, and the archived copy stays.
    void differentContentRefused()
    {
        const QString repoUrl = cliRepo();
        const QString seg = m_segments.first();
        QByteArray other = fileBytes(seg);
        other[other.size() - 100] = char(other[other.size() - 100] ^ 0x5a);
        const QString forged = m_tmp.filePath(QStringLiteral("forged/") + QFileInfo(seg).fileName());
        QVERIFY(QDir().mkpath(QFileInfo(forged).absolutePath()));
        {
            QFile f(forged);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(other);
        }
        const Out push = run({QStringLiteral("archive-push"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"), forged});
        QVERIFY2(push.code != 0 && push.err.contains(QLatin1String("split brain")), qPrintable(push.out + push.err));
        const Out same = run({QStringLiteral("archive-push"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"), seg});
        QVERIFY2(same.code == 0, qPrintable(same.err));
        const QString dest = m_tmp.filePath(QStringLiteral("back"));
        QCOMPARE(run({QStringLiteral("archive-get"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                      QFileInfo(seg).fileName(), dest}).code, 0);
        QVERIFY(fileBytes(dest) == fileBytes(seg));
    }

    // s3rver ignores If-None-Match, as some stores do: the HEAD before the PUT is what refuses an overwrite.
    void overwriteRefusedByHeadCheck()
    {
        const QString path = m_s3->url(QStringLiteral("head-check/object"));
        QVERIFY(repo::writeFileDurably(path, QByteArray("first"), repo::Publish::IfAbsent));
        Status again = repo::writeFileDurably(path, QByteArray("second"), repo::Publish::IfAbsent);
        QVERIFY(!again);
        QCOMPARE(again.error().code, Error::Code::Conflict);
        auto back = repo::readWholeFile(path);
        QVERIFY(back);
        QCOMPARE(*back, QByteArray("first"));
    }

    void listingIsPaginated()
    {
        const QString dir = m_s3->url(QStringLiteral("many"));
        const int n = 1150;  // more than one page of 1000
        for (int i = 0; i < n; ++i)
            QVERIFY(repo::writeFileDurably(dir + QStringLiteral("/f%1").arg(i, 5, 10, QLatin1Char('0')), QByteArray::number(i)));
        QVERIFY(repo::writeFileDurably(dir + QStringLiteral("/sub/deeper"), QByteArray("x")));
        int files = 0;
        const Status listed = repo::forEachEntry(dir, repo::EntryType::Files, false, [&](const QString &) {
            ++files;
            return Status();
        });
        QVERIFY2(listed, listed ? "" : qPrintable(listed.error().toString()));
        QCOMPARE(files, n);
        auto dirs = repo::listDirectory(dir, repo::EntryType::Directories);
        QVERIFY(dirs);
        QCOMPARE(*dirs, QStringList{QStringLiteral("sub")});
        QString key;
        auto client = repo::object::clientFor(dir, &key);
        QVERIFY(client);
        int pages = 0;
        QVERIFY((*client)->list(key + QLatin1Char('/'), QStringLiteral("/"), [&](const repo::s3::ListPage &) {
            ++pages;
            return Status();
        }));
        QVERIFY2(pages >= 2, qPrintable(QString::number(pages)));
        // "Is there anything under it?" asks for one key on one page, not the whole listing one key at a time.
        int firstPages = 0;
        QVERIFY((*client)->list(key + QLatin1Char('/'), {}, [&](const repo::s3::ListPage &p) {
            ++firstPages;
            return p.objects.size() == 1 ? Status() : Status(Error(Error::Code::Internal, QStringLiteral("more than one key")));
        }, 1));
        QCOMPARE(firstPages, 1);
        auto there = repo::pathExists(dir);
        QVERIFY(there && *there);
        QVERIFY(repo::removeTree(dir));
        auto left = repo::pathExists(dir);
        QVERIFY(left);
        QVERIFY(!*left);
    }

    // A file list or a dump larger than the threshold goes up in parts, and is not visible before it is complete.
    void multipartUpload()
    {
        QString key;
        auto direct = repo::object::clientFor(m_s3->url(QStringLiteral("multipart/big.bin")), &key);
        QVERIFY(direct);
        repo::s3::Config c = (*direct)->config();
        c.endpoint = proxied();  // to count the requests
        const repo::s3::Client client(c);
        QByteArray data(12 << 20, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); i += 4)
            *reinterpret_cast<quint32 *>(data.data() + i) = QRandomGenerator::global()->generate();
        QFile::remove(controlFile() + QStringLiteral(".log"));
        auto w = repo::object::StreamWriter::create(&client, key);
        for (qsizetype off = 0; off < data.size(); off += 1 << 20)
            QVERIFY(w->write(data.constData() + off, 1 << 20));
        auto before = repo::pathExists(m_s3->url(key));
        QVERIFY(before && !*before);
        QVERIFY(w->finish());
        auto back = repo::readWholeFile(m_s3->url(key));
        QVERIFY(back);
        QVERIFY(*back == data);
        const QString log = QString::fromUtf8(fileBytes(controlFile() + QStringLiteral(".log")));
        QCOMPARE(log.count(QLatin1String("?uploads=")), 1);
        QCOMPARE(log.count(QLatin1String("?partNumber=")), 3);  // 5 MiB, 5 MiB, 2 MiB
        QCOMPARE(log.count(QLatin1String("POST /pga-test/multipart/big.bin?uploadId=")), 1);
        // Abandoned (destroyed before finish), nothing appears.
        {
            auto abandoned = repo::object::StreamWriter::create(&client, QStringLiteral("multipart/abandoned.bin"));
            QVERIFY(abandoned->write(data.constData(), size_t(data.size())));
        }
        auto gone = repo::pathExists(m_s3->url(QStringLiteral("multipart/abandoned.bin")));
        QVERIFY(gone && !*gone);
    }

    // Backup, verify, expire and info on S3; the AWS CLI lists our objects and fetches a chunk that zstd decodes to
    // the content its name is the hash of.
    void backupVerifyExpireAndAwsCli()
    {
        const QString repoUrl = cliRepo();
        for (const QString &seg : m_segments) {  // archived by the server already: pushing again is fine
            const Out push = run({QStringLiteral("archive-push"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"), seg});
            QVERIFY2(push.code == 0, qPrintable(push.err));
        }
        QStringList ids;
        QList<int> chunkHeads, chunkPuts;
        qputenv("PGARCHIVIST_S3_TRACE", "1");  // curl's trace: count the requests per chunk
        for (int i = 0; i < 2; ++i) {
            const Out b = run({QStringLiteral("backup"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                                     QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--json")});
            QVERIFY2(b.code == 0, qPrintable(b.err.right(3000)));
            ids << QJsonDocument::fromJson(b.out.toUtf8()).object().value(QStringLiteral("id")).toString();
            QVERIFY2(!ids.last().isEmpty(), qPrintable(b.out));
            chunkHeads << int(b.err.count(QRegularExpression(QStringLiteral("> HEAD /pga-test/repos/cli/chunks/"))));
            chunkPuts << int(b.err.count(QRegularExpression(QStringLiteral("> PUT /pga-test/repos/cli/chunks/"))));
        }
        qunsetenv("PGARCHIVIST_S3_TRACE");
        // Into an empty store nothing is asked about; the next backup knows the chunks of the first and asks only
        // about what changed since (a HEAD per chunk was most of a backup's requests).
        QCOMPARE(chunkHeads[0], 0);
        QVERIFY2(chunkPuts[0] > 50, qPrintable(QString::number(chunkPuts[0])));
        QVERIFY2(chunkHeads[1] < chunkPuts[0] / 5, qPrintable(QStringLiteral("%1 HEADs, %2 chunks").arg(chunkHeads[1]).arg(chunkPuts[0])));
        const Out verify = run({QStringLiteral("verify"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main")});
        QVERIFY2(verify.code == 0, qPrintable(verify.out + verify.err));

        const Out ls = aws({QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("--recursive"), QStringLiteral("s3://pga-test/repos/cli/")});
        QVERIFY2(ls.code == 0, qPrintable(ls.err));
        QVERIFY(ls.out.contains(QLatin1String("repos/cli/pgarchivist-repo.json")));
        QVERIFY(ls.out.contains(QStringLiteral("repos/cli/servers/main/wal/00000001/%1.zst").arg(QFileInfo(m_segments.first()).fileName())));
        QVERIFY(ls.out.contains(QStringLiteral("repos/cli/servers/main/backups/%1/manifest.json").arg(ids.first())));
        static const QRegularExpression chunkRe(QStringLiteral("repos/cli/chunks/([0-9a-f]{2})/([0-9a-f]{64})\\.zst"));
        const auto chunk = chunkRe.match(ls.out);
        QVERIFY2(chunk.hasMatch(), qPrintable(ls.out.left(2000)));
        const QString local = m_tmp.filePath(QStringLiteral("chunk.zst"));
        const Out cp = aws({QStringLiteral("s3"), QStringLiteral("cp"), QStringLiteral("s3://pga-test/") + chunk.captured(0), local});
        QVERIFY2(cp.code == 0, qPrintable(cp.err));
        auto raw = zstd::decompress(fileBytes(local));
        QVERIFY(raw);
        QCOMPARE(Sha256::hexOf(*raw), chunk.captured(2));

        const Out expire = run({QStringLiteral("expire"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                                      QStringLiteral("--retain-full"), QStringLiteral("1")});
        QVERIFY2(expire.code == 0, qPrintable(expire.out + expire.err));
        const Out ls2 = aws({QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("--recursive"), QStringLiteral("s3://pga-test/repos/cli/servers/main/backups/")});
        QVERIFY(!ls2.out.contains(ids.first()));
        QVERIFY(ls2.out.contains(ids.last()));
        const Out verify2 = run({QStringLiteral("verify"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main")});
        QVERIFY2(verify2.code == 0, qPrintable(verify2.out + verify2.err));
        const Out info = run({QStringLiteral("info"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--json")});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        QCOMPARE(QJsonDocument::fromJson(info.out.toUtf8()).object().value(QStringLiteral("servers")).toArray().size(), 1);
    }

    // A segment archive-push acknowledged is in the store, whatever the network did; one it did not acknowledge
    // is not half there; and a different segment under the same name is refused.
    void faultsNeverLoseAcknowledgedWal_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<bool>("acknowledged");
        QTest::newRow("500 twice") << QStringLiteral("500\n500\n") << true;
        QTest::newRow("503 on the PUT") << QStringLiteral("pass\n503\n") << true;
        QTest::newRow("connection dropped before") << QStringLiteral("drop-before\n") << true;
        QTest::newRow("PUT stored, answer lost") << QStringLiteral("pass\ndrop\n") << true;
        QTest::newRow("slow store") << QStringLiteral("delay 300\ndelay 300\n") << true;
        QTest::newRow("store down") << QStringLiteral("500\n500\n500\n500\n500\n500\n500\n500\n") << false;
    }

    void faultsNeverLoseAcknowledgedWal()
    {
        QFETCH(QString, faults);
        QFETCH(bool, acknowledged);
        static int round = 0;
        const QString control = controlFile();
        const QString proxied = this->proxied();
        const QString repoUrl = m_s3->url(QStringLiteral("repos/faults"));
        if (round == 0)
            QCOMPARE(run({QStringLiteral("repo-init"), QStringLiteral("--repo"), repoUrl}).code, 0);
        const QString seg = m_segments.at(round++ % m_segments.size());
        const QString name = QFileInfo(seg).fileName();
        {
            QFile f(control);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(faults.toUtf8());
        }
        const Out push = run({QStringLiteral("archive-push"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                                    QStringLiteral("--s3-endpoint"), proxied, seg});
        QFile::remove(control);
        QVERIFY2((push.code == 0) == acknowledged, qPrintable(push.err + fileBytes(control + QStringLiteral(".log"))));
        const QString key = QStringLiteral("repos/faults/servers/main/wal/00000001/%1.zst").arg(name);
        const Out ls = aws({QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("s3://pga-test/") + key});
        if (!acknowledged) {
            QVERIFY2(push.err.contains(QLatin1String("InternalError")) || push.err.contains(QLatin1String("HTTP 500")), qPrintable(push.err));
            QVERIFY2(!ls.out.contains(name), qPrintable(ls.out));  // nothing half-written is visible
            // Healed, the same push succeeds.
            const Out again = run({QStringLiteral("archive-push"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                                         QStringLiteral("--s3-endpoint"), proxied, seg});
            QVERIFY2(again.code == 0, qPrintable(again.err));
        }
        // What is stored is exactly the segment; archive-get through a proxy that truncates a body once gets it too.
        {
            QFile f(control);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("truncate\n");
        }
        const QString dest = m_tmp.filePath(QStringLiteral("got-") + name);
        const Out get = run({QStringLiteral("archive-get"), QStringLiteral("--repo"), repoUrl, QStringLiteral("--server"), QStringLiteral("main"),
                                   QStringLiteral("--s3-endpoint"), proxied, name, dest});
        QFile::remove(control);
        QVERIFY2(get.code == 0, qPrintable(get.err));
        QVERIFY(fileBytes(dest) == fileBytes(seg));
        QFile::remove(dest);
    }

    // A logical dump streams into the bucket (in parts when large) and restores from it; the directory format, which
    // pg_dump writes into a local directory, is refused with the way out.
    void dumpAndRestoreDump()
    {
        const Out dump = run({QStringLiteral("dump"), QStringLiteral("--repo"), cliRepo(), QStringLiteral("--server"), QStringLiteral("main"),
                              QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--json")});
        QVERIFY2(dump.code == 0, qPrintable(dump.out + dump.err));
        const QString id = QJsonDocument::fromJson(dump.out.toUtf8()).object().value(QStringLiteral("id")).toString();
        QVERIFY2(!id.isEmpty(), qPrintable(dump.out));
        const Out restored = run({QStringLiteral("restore-dump"), QStringLiteral("--repo"), cliRepo(), QStringLiteral("--server"), QStringLiteral("main"),
                                  QStringLiteral("--dump"), id, QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--into"),
                                  QStringLiteral("from_s3")});
        QVERIFY2(restored.code == 0, qPrintable(restored.out + restored.err));
        QCOMPARE(m_cluster->scalar(QStringLiteral("SELECT count(*) FROM t")),
                 TestCluster::scalarAt(m_cluster->conninfo(QStringLiteral("from_s3")), QStringLiteral("SELECT count(*) FROM t")));
        const Out dir = run({QStringLiteral("dump"), QStringLiteral("--repo"), cliRepo(), QStringLiteral("--server"), QStringLiteral("main"),
                             QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--format"), QStringLiteral("directory")});
        QVERIFY(dir.code != 0);
        QVERIFY2(dir.err.contains(QLatin1String("--format custom")), qPrintable(dir.err));
    }

    // archive-push --async: PostgreSQL is acknowledged only for files the background pusher stored; a store that
    // fails shows as archiver failures and acknowledges nothing; healed, everything arrives.
    void asyncArchivePush()
    {
        const QString repoUrl = m_s3->url(QStringLiteral("repos/async"));
        QCOMPARE(run({QStringLiteral("repo-init"), QStringLiteral("--repo"), repoUrl}).code, 0);
        TestCluster::Options o;
        o.initdbArgs = {QStringLiteral("--wal-segsize=1")};
        o.conf = {QStringLiteral("archive_mode = on"),
                  QStringLiteral("archive_command = '%1 archive-push --async --async-timeout 3 --repo %2 --server async --s3-endpoint %3 %p'")
                      .arg(cliPath(), repoUrl, proxied())};
        QString why;
        auto c = TestCluster::create(o, &why);
        QVERIFY2(c, qPrintable(why));
        auto archiver = [&](const char *column) { return c->scalar(QStringLiteral("SELECT %1 FROM pg_stat_archiver").arg(QLatin1String(column))).toInt(); };
        QVERIFY(c->query(QStringLiteral("CREATE TABLE a(x int)")));
        for (int i = 0; i < 12; ++i) {
            QVERIFY(c->query(QStringLiteral("INSERT INTO a SELECT generate_series(1, 3000)")));
            c->switchWal();
        }
        QTRY_VERIFY_WITH_TIMEOUT(archiver("archived_count") >= 12, 60000);
        QCOMPARE(archiver("failed_count"), 0);
        const QString lastArchived = c->scalar(QStringLiteral("SELECT last_archived_wal FROM pg_stat_archiver"));
        const Out ls = aws({QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("s3://pga-test/repos/async/servers/async/wal/00000001/")});
        QVERIFY2(ls.out.contains(lastArchived + QStringLiteral(".zst")), qPrintable(lastArchived + QLatin1Char('\n') + ls.out));
        const QString spool = c->cluster().spec().dataDir + QStringLiteral("/pg_wal/.pgarchivist-async");
        QVERIFY2(QDir(spool).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() == 1, qPrintable(spool));

        // The store fails every request: PostgreSQL sees failures (after the 3 s timeout at most), nothing is acknowledged.
        {
            QFile f(controlFile());
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            for (int i = 0; i < 400; ++i)
                f.write("500\n");
        }
        const int archivedBefore = archiver("archived_count");
        for (int i = 0; i < 2; ++i) {
            QVERIFY(c->query(QStringLiteral("INSERT INTO a SELECT generate_series(1, 3000)")));
            c->switchWal();
        }
        QTRY_VERIFY_WITH_TIMEOUT(archiver("failed_count") >= 1, 30000);
        QCOMPARE(archiver("archived_count"), archivedBefore);
        QFile::remove(controlFile());  // healed
        QTRY_VERIFY_WITH_TIMEOUT(archiver("archived_count") >= archivedBefore + 2, 90000);
        const QString last = c->scalar(QStringLiteral("SELECT last_archived_wal FROM pg_stat_archiver"));
        const Out ls2 = aws({QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("s3://pga-test/repos/async/servers/async/wal/00000001/")});
        QVERIFY2(ls2.out.contains(last + QStringLiteral(".zst")), qPrintable(ls2.out));
        QVERIFY(c->stop());
    }

    void cleanupTestCase()
    {
        for (auto &p : m_helpers) {
            p->kill();
            p->waitForFinished(5000);
        }
    }
};

QTEST_GUILESS_MAIN(TestS3Repository)
#include "tst_s3repository.moc"
