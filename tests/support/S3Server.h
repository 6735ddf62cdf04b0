#pragma once

#include <QString>

#include <memory>

class QProcess;

namespace pga::test {

// A real S3 server for a test: s3rver (npm, installed by ./dev) on a free loopback port with its own data
// directory and one bucket. It checks neither signatures (it needs the Authorization header, not a right secret) nor
// payload hashes nor If-None-Match: so our signatures are checked against botocore's, and overwrites by HEAD.
class S3Server {
public:
    // nullptr with *why when s3rver is not installed (PGA_S3RVER, /usr/local/lib/pgarchivist-dev/s3rver, PATH) or does not
    // start. With PGA_REQUIRE_S3=1 (./dev test sets it) callers fail instead of skipping.
    static std::unique_ptr<S3Server> start(const QString &bucket, QString *why);
    ~S3Server();

    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    int port() const { return m_port; }
    QString bucket() const { return m_bucket; }
    QString url(const QString &prefix) const { return QStringLiteral("s3://%1/%2").arg(m_bucket, prefix); }
    // Sets the credentials and PGARCHIVIST_S3_ENDPOINT for this process and everything it starts (the CLI, and the
    // servers whose archive_command and restore_command run it).
    void exportEnvironment() const;
    static bool required() { return qEnvironmentVariableIntValue("PGA_REQUIRE_S3") == 1; }

private:
    S3Server() = default;
    std::unique_ptr<QProcess> m_process;
    QString m_dir;
    QString m_bucket;
    int m_port = 0;
};

} // namespace pga::test
