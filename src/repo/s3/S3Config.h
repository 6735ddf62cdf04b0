#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::repo::s3 {

// Credentials are read from the environment or the AWS shared credentials file, never from a command line.
struct Credentials {
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;   // for temporary credentials (x-amz-security-token)
    QString source;         // "environment", "profile default in ~/.aws/credentials", ... (for messages)
};

// Where an s3:// repository lives and how to talk to it.
struct Config {
    QString bucket;
    QString prefix;       // without leading or trailing '/', may be empty
    QString endpoint;     // scheme://host[:port], no path
    QString region = QStringLiteral("us-east-1");
    bool pathStyle = true;     // https://host/BUCKET/KEY; false: https://BUCKET.host/KEY
    bool verifyTls = true;
    QString caFile;
    QString caPath;
    int attempts = 5;          // per request, with backoff, on 5xx, 429, timeouts and dropped connections
    int connectTimeoutS = 10;
    int stallTimeoutS = 60;    // a transfer that moves nothing this long is abandoned (and retried)
    qint64 multipartThreshold = qint64(64) << 20;  // a streamed object larger than this goes up in parts
    qint64 partSize = qint64(16) << 20;
    Credentials credentials;
};

// "s3://BUCKET/PREFIX" (the form users type) splits into bucket and key; false when url is no s3:// URL.
bool isS3Url(const QString &url);
struct Location {
    QString bucket;
    QString key;
};
Result<Location> parseUrl(const QString &url);

// The settings for a bucket, from the environment (the CLI turns its --s3-* options into these variables):
//   PGARCHIVIST_S3_ENDPOINT, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (default https://s3.REGION.amazonaws.com)
//   PGARCHIVIST_S3_REGION, else AWS_REGION, AWS_DEFAULT_REGION, the profile's region (default us-east-1)
//   PGARCHIVIST_S3_URI_STYLE path|host (default: host for amazonaws.com, path for any other endpoint)
//   PGARCHIVIST_S3_VERIFY_TLS 0 to accept any certificate; PGARCHIVIST_S3_CA_FILE (or AWS_CA_BUNDLE), PGARCHIVIST_S3_CA_PATH
//   PGARCHIVIST_S3_ATTEMPTS, PGARCHIVIST_S3_MULTIPART_THRESHOLD (bytes), PGARCHIVIST_S3_STALL_TIMEOUT (seconds)
//   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else AWS_PROFILE (default "default") in
//   AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials).
Result<Config> configFromEnvironment(const QString &bucket);

// The command-line options that set these variables (every CLI command takes them), and the words that say what
// is set now, for a command line we write (restore_command, systemd units). Credentials are never among them.
struct EnvOption {
    const char *option;
    const char *variable;
    bool flag;  // takes no value; sets the variable to "0"
};
// Also the encrypted repository's --passphrase-file and --key-file (KeySlots.h): paths, never the secret.
extern const EnvOption kEnvOptions[9];
QStringList optionWords();

// Reads one profile of an INI file in the AWS format (exposed for tests).
Result<Credentials> credentialsFromFile(const QString &path, const QString &profile);

} // namespace pga::repo::s3
