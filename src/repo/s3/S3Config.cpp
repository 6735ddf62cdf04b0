#include "S3Config.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QUrl>

namespace pga::repo::s3 {

namespace {

QString env(const char *name) { return qEnvironmentVariable(name); }

QString firstEnv(std::initializer_list<const char *> names)
{
    for (const char *n : names)
        if (const QString v = env(n); !v.isEmpty())
            return v;
    return {};
}

QString awsFile(const char *variable, const QString &name)
{
    const QString v = env(variable);
    return v.isEmpty() ? QDir::homePath() + QStringLiteral("/.aws/") + name : v;
}

// The key = value pairs of [section] in an AWS INI file; empty when the file or the section is absent.
Result<QHash<QString, QString>> iniSection(const QString &path, const QStringList &sectionNames)
{
    QFile f(path);
    if (!f.exists())
        return QHash<QString, QString>{};
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Code::Permission, QStringLiteral("Cannot read %1: %2.").arg(path, f.errorString()));
    QHash<QString, QString> out;
    bool inSection = false;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            inSection = sectionNames.contains(line.mid(1, line.size() - 2).trimmed());
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (inSection && eq > 0)
            out.insert(line.left(eq).trimmed().toLower(), line.mid(eq + 1).trimmed());
    }
    return out;
}

QString profileName()
{
    const QString p = firstEnv({"AWS_PROFILE", "AWS_DEFAULT_PROFILE"});
    return p.isEmpty() ? QStringLiteral("default") : p;
}

Result<qint64> positiveNumber(const char *variable, qint64 fallback)
{
    const QString v = env(variable);
    if (v.isEmpty())
        return fallback;
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok || n <= 0)
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1=%2 is not a positive whole number.").arg(QLatin1String(variable), v));
    return n;
}

} // namespace

const EnvOption kEnvOptions[9] = {
    {"--s3-endpoint", "PGARCHIVIST_S3_ENDPOINT", false},   {"--s3-region", "PGARCHIVIST_S3_REGION", false},
    {"--s3-uri-style", "PGARCHIVIST_S3_URI_STYLE", false}, {"--s3-ca-file", "PGARCHIVIST_S3_CA_FILE", false},
    {"--s3-no-verify-tls", "PGARCHIVIST_S3_VERIFY_TLS", true}, {"--s3-profile", "AWS_PROFILE", false},
    {"--s3-credentials-file", "AWS_SHARED_CREDENTIALS_FILE", false},
    {"--passphrase-file", "PGARCHIVIST_REPO_PASSPHRASE_FILE", false}, {"--key-file", "PGARCHIVIST_REPO_KEY_FILE", false},
};

QStringList optionWords()
{
    QStringList words;
    for (const EnvOption &o : kEnvOptions) {
        // The endpoint and region as they are in effect, whichever variable set them: the command we write runs
        // elsewhere (the server's restore_command), where the AWS tools' variables may not be set.
        const QLatin1String variable(o.variable);
        const QString v = variable == QLatin1String("PGARCHIVIST_S3_ENDPOINT") ? firstEnv({"PGARCHIVIST_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"})
                          : variable == QLatin1String("PGARCHIVIST_S3_REGION") ? firstEnv({"PGARCHIVIST_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"})
                                                                               : env(o.variable);
        if (v.isEmpty())
            continue;
        if (o.flag) {
            if (v == QLatin1String("0"))
                words << QLatin1String(o.option);
        } else {
            words << QLatin1String(o.option) << v;
        }
    }
    return words;
}

bool isS3Url(const QString &url) { return url.startsWith(QLatin1String("s3://")); }

Result<Location> parseUrl(const QString &url)
{
    if (!isS3Url(url))
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 is not an s3:// URL.").arg(url));
    const QString rest = url.mid(5);
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    Location loc{slash < 0 ? rest : rest.left(slash), slash < 0 ? QString() : rest.mid(slash + 1)};
    // Bucket names as S3 allows them (3-63 lower-case letters, digits, '.', '-'); anything else is a typo.
    static const QRegularExpression bucketRe(QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    if (!bucketRe.match(loc.bucket).hasMatch())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("'%1' is not a valid bucket name in %2: use 3-63 lower-case letters, digits, '.' or '-'. "
                                    "The form is s3://BUCKET/PREFIX.")
                         .arg(loc.bucket, url));
    while (loc.key.endsWith(QLatin1Char('/')))
        loc.key.chop(1);
    if (loc.key.contains(QLatin1String("//")) || loc.key.startsWith(QLatin1Char('/')))
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 has an empty path segment ('//').").arg(url));
    return loc;
}

Result<Credentials> credentialsFromFile(const QString &path, const QString &profile)
{
    auto sec = iniSection(path, {profile});
    if (!sec)
        return sec.error();
    Credentials c;
    c.accessKeyId = sec->value(QStringLiteral("aws_access_key_id"));
    c.secretAccessKey = sec->value(QStringLiteral("aws_secret_access_key"));
    c.sessionToken = sec->value(QStringLiteral("aws_session_token"));
    c.source = QStringLiteral("profile %1 in %2").arg(profile, path);
    return c;
}

Result<Config> configFromEnvironment(const QString &bucket)
{
    Config c;
    c.bucket = bucket;
    const QString profile = profileName();
    QString region = firstEnv({"PGARCHIVIST_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"});
    if (region.isEmpty()) {
        const QString section = profile == QLatin1String("default") ? profile : QStringLiteral("profile ") + profile;
        if (auto cfg = iniSection(awsFile("AWS_CONFIG_FILE", QStringLiteral("config")), {section, profile}))
            region = cfg->value(QStringLiteral("region"));
    }
    if (!region.isEmpty())
        c.region = region;

    QString endpoint = firstEnv({"PGARCHIVIST_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});
    const bool custom = !endpoint.isEmpty();
    if (!custom)
        endpoint = QStringLiteral("https://s3.%1.amazonaws.com").arg(c.region);
    const QUrl u(endpoint);
    if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) || u.host().isEmpty()
        || (!u.path().isEmpty() && u.path() != QLatin1String("/")) || u.hasQuery())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("'%1' is not a usable S3 endpoint: give it as http(s)://HOST[:PORT], without a path.").arg(endpoint));
    c.endpoint = u.scheme() + QStringLiteral("://") + u.authority();

    const QString style = env("PGARCHIVIST_S3_URI_STYLE");
    if (style.isEmpty())
        c.pathStyle = custom || bucket.contains(QLatin1Char('.'));  // dotted buckets break TLS host matching
    else if (style == QLatin1String("path") || style == QLatin1String("host"))
        c.pathStyle = style == QLatin1String("path");
    else
        return Error(Error::Code::InvalidArgument, QStringLiteral("PGARCHIVIST_S3_URI_STYLE (--s3-uri-style) is '%1'; use path or host.").arg(style));

    const QString verify = env("PGARCHIVIST_S3_VERIFY_TLS");
    c.verifyTls = !(verify == QLatin1String("0") || verify.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0
                    || verify.compare(QLatin1String("no"), Qt::CaseInsensitive) == 0);
    c.caFile = firstEnv({"PGARCHIVIST_S3_CA_FILE", "AWS_CA_BUNDLE"});
    c.caPath = env("PGARCHIVIST_S3_CA_PATH");

    auto attempts = positiveNumber("PGARCHIVIST_S3_ATTEMPTS", c.attempts);
    auto threshold = positiveNumber("PGARCHIVIST_S3_MULTIPART_THRESHOLD", c.multipartThreshold);
    auto stall = positiveNumber("PGARCHIVIST_S3_STALL_TIMEOUT", c.stallTimeoutS);
    if (!attempts)
        return attempts.error();
    if (!threshold)
        return threshold.error();
    if (!stall)
        return stall.error();
    c.attempts = int(qMin<qint64>(*attempts, 20));
    c.multipartThreshold = qMax<qint64>(*threshold, 5 << 20);   // S3 parts are at least 5 MiB
    c.partSize = qMin(c.partSize, c.multipartThreshold);
    c.stallTimeoutS = int(qMin<qint64>(*stall, 3600));

    if (!env("AWS_ACCESS_KEY_ID").isEmpty() || !env("AWS_SECRET_ACCESS_KEY").isEmpty()) {
        c.credentials = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN"), QStringLiteral("the environment")};
    } else {
        auto fromFile = credentialsFromFile(awsFile("AWS_SHARED_CREDENTIALS_FILE", QStringLiteral("credentials")), profile);
        if (!fromFile)
            return fromFile.error();
        c.credentials = *fromFile;
    }
    if (c.credentials.accessKeyId.isEmpty() || c.credentials.secretAccessKey.isEmpty())
        return Error(Error::Code::Authentication,
                     QStringLiteral("No S3 credentials for bucket %1: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in "
                                    "the profile '%2' of %3 (AWS_PROFILE picks another). Credentials are never taken from the command line.")
                         .arg(bucket, profile, awsFile("AWS_SHARED_CREDENTIALS_FILE", QStringLiteral("credentials"))));
    return c;
}

} // namespace pga::repo::s3
