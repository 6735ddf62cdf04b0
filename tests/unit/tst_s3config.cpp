#include "repo/s3/S3Client.h"
#include "repo/s3/S3Config.h"

#include <QtTest>

#include <QTemporaryDir>

using namespace pga;
using namespace pga::repo::s3;

// Where an s3:// repository is and how it is reached: the URL, the settings from the environment (the CLI's --s3-*
// options become these variables), credentials from the environment or the AWS files, and the request URLs.
class TestS3Config : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    void clearEnvironment()
    {
        for (const char *v : {"PGARCHIVIST_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "PGARCHIVIST_S3_REGION", "AWS_REGION",
                              "AWS_DEFAULT_REGION", "PGARCHIVIST_S3_URI_STYLE", "PGARCHIVIST_S3_VERIFY_TLS", "PGARCHIVIST_S3_CA_FILE",
                              "AWS_CA_BUNDLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                              "AWS_DEFAULT_PROFILE", "PGARCHIVIST_S3_ATTEMPTS", "PGARCHIVIST_S3_MULTIPART_THRESHOLD"})
            qunsetenv(v);
        qputenv("AWS_SHARED_CREDENTIALS_FILE", m_dir.filePath(QStringLiteral("none")).toUtf8());
        qputenv("AWS_CONFIG_FILE", m_dir.filePath(QStringLiteral("none")).toUtf8());
    }

private slots:
    void init() { clearEnvironment(); }

    void parsesUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<QString>("key");
        QTest::newRow("bucket only") << "s3://my-bucket" << "my-bucket" << "";
        QTest::newRow("prefix") << "s3://my-bucket/a/b" << "my-bucket" << "a/b";
        QTest::newRow("trailing slash") << "s3://my.bucket/a/b//" << "my.bucket" << "a/b";
        QTest::newRow("upper case") << "s3://MyBucket/a" << "" << "";
        QTest::newRow("too short") << "s3://ab/a" << "" << "";
        QTest::newRow("empty segment") << "s3://bucket1/a//b" << "" << "";
        QTest::newRow("not s3") << "/var/lib/repo" << "" << "";
    }
    void parsesUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, bucket);
        QFETCH(QString, key);
        auto loc = parseUrl(url);
        QCOMPARE(bool(loc), !bucket.isEmpty());
        if (loc) {
            QCOMPARE(loc->bucket, bucket);
            QCOMPARE(loc->key, key);
        } else {
            QCOMPARE(loc.error().code, Error::Code::InvalidArgument);
        }
    }

    void awsDefaults()
    {
        qputenv("AWS_ACCESS_KEY_ID", "AKID");
        qputenv("AWS_SECRET_ACCESS_KEY", "SECRET");
        qputenv("AWS_REGION", "eu-west-3");
        auto c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->endpoint, QStringLiteral("https://s3.eu-west-3.amazonaws.com"));
        QCOMPARE(c->region, QStringLiteral("eu-west-3"));
        QVERIFY(!c->pathStyle);  // virtual-hosted style on AWS
        QVERIFY(c->verifyTls);
        QCOMPARE(c->credentials.source, QStringLiteral("the environment"));
        const Client client(*c);
        QCOMPARE(client.urlFor(QStringLiteral("a b/ü+x"), {{QStringLiteral("uploads"), QString()}, {QStringLiteral("b"), QStringLiteral("1/2")}}),
                 QStringLiteral("https://bucket1.s3.eu-west-3.amazonaws.com/a%20b/%C3%BC%2Bx?b=1%2F2&uploads="));
    }

    void customEndpointPrecedence()
    {
        qputenv("AWS_ACCESS_KEY_ID", "AKID");
        qputenv("AWS_SECRET_ACCESS_KEY", "SECRET");
        qputenv("AWS_ENDPOINT_URL", "http://aws-tools.example:9000");
        auto c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->endpoint, QStringLiteral("http://aws-tools.example:9000"));
        QVERIFY(c->pathStyle);  // S3-compatible stores: path style by default
        qputenv("PGARCHIVIST_S3_ENDPOINT", "https://minio.example:9000/");
        qputenv("PGARCHIVIST_S3_URI_STYLE", "host");
        qputenv("PGARCHIVIST_S3_VERIFY_TLS", "0");
        c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->endpoint, QStringLiteral("https://minio.example:9000"));
        QVERIFY(!c->pathStyle);
        QVERIFY(!c->verifyTls);
        QCOMPARE(Client(*c).urlFor(QStringLiteral("k")), QStringLiteral("https://bucket1.minio.example:9000/k"));
        qputenv("PGARCHIVIST_S3_URI_STYLE", "sideways");
        QCOMPARE(configFromEnvironment(QStringLiteral("bucket1")).error().code, Error::Code::InvalidArgument);
        qputenv("PGARCHIVIST_S3_URI_STYLE", "path");
        qputenv("PGARCHIVIST_S3_ENDPOINT", "ftp://x");
        QCOMPARE(configFromEnvironment(QStringLiteral("bucket1")).error().code, Error::Code::InvalidArgument);
        qputenv("PGARCHIVIST_S3_ENDPOINT", "http://x:1/path");
        QCOMPARE(configFromEnvironment(QStringLiteral("bucket1")).error().code, Error::Code::InvalidArgument);
    }

    void credentialsFromProfiles()
    {
        QFile f(m_dir.filePath(QStringLiteral("credentials")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\n[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key=DEFAULTSECRET\n\n"
                "[backup]\naws_access_key_id = BACKUPKEY\naws_secret_access_key = BACKUP/SECRET+1\naws_session_token = TOKEN\n");
        f.close();
        QFile cfg(m_dir.filePath(QStringLiteral("config")));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
        cfg.write("[profile backup]\nregion = ap-south-1\n");
        cfg.close();
        qputenv("AWS_SHARED_CREDENTIALS_FILE", f.fileName().toUtf8());
        qputenv("AWS_CONFIG_FILE", cfg.fileName().toUtf8());
        auto c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->credentials.accessKeyId, QStringLiteral("DEFAULTKEY"));
        QCOMPARE(c->region, QStringLiteral("us-east-1"));
        qputenv("AWS_PROFILE", "backup");
        c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->credentials.accessKeyId, QStringLiteral("BACKUPKEY"));
        QCOMPARE(c->credentials.secretAccessKey, QStringLiteral("BACKUP/SECRET+1"));
        QCOMPARE(c->credentials.sessionToken, QStringLiteral("TOKEN"));
        QCOMPARE(c->region, QStringLiteral("ap-south-1"));
        QVERIFY(c->credentials.source.contains(QLatin1String("profile backup")));
        // The environment wins over any file.
        qputenv("AWS_ACCESS_KEY_ID", "ENVKEY");
        qputenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET");
        c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(c);
        QCOMPARE(c->credentials.accessKeyId, QStringLiteral("ENVKEY"));
    }

    void missingCredentialsSayWhereToPutThem()
    {
        auto c = configFromEnvironment(QStringLiteral("bucket1"));
        QVERIFY(!c);
        QCOMPARE(c.error().code, Error::Code::Authentication);
        QVERIFY(c.error().message.contains(QLatin1String("AWS_ACCESS_KEY_ID")));
        QVERIFY(c.error().message.contains(QLatin1String("never taken from the command line")));
    }

    void optionWordsNameWhatIsSet()
    {
        qputenv("PGARCHIVIST_S3_ENDPOINT", "http://127.0.0.1:9000");
        qputenv("PGARCHIVIST_S3_VERIFY_TLS", "0");
        qputenv("AWS_SECRET_ACCESS_KEY", "SECRET");
        const QStringList words = optionWords();
        QCOMPARE(words, (QStringList{QStringLiteral("--s3-endpoint"), QStringLiteral("http://127.0.0.1:9000"), QStringLiteral("--s3-no-verify-tls"),
                                     QStringLiteral("--s3-credentials-file"), m_dir.filePath(QStringLiteral("none"))}));
        QVERIFY(!words.join(QLatin1Char(' ')).contains(QLatin1String("SECRET")));
    }
};

QTEST_GUILESS_MAIN(TestS3Config)
#include "tst_s3config.moc"
