#include "S3Server.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <csignal>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pga::test {

namespace {

QString findS3rver()
{
    QStringList candidates{qEnvironmentVariable("PGA_S3RVER"),
                           QStringLiteral("/usr/local/lib/pgarchivist-dev/s3rver/node_modules/.bin/s3rver"),
                           QStandardPaths::findExecutable(QStringLiteral("s3rver"))};
    for (const QString &c : candidates)
        if (!c.isEmpty() && QFileInfo(c).isExecutable())
            return c;
    return {};
}

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 && ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

bool accepts(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(quint16(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

} // namespace

std::unique_ptr<S3Server> S3Server::start(const QString &bucket, QString *why)
{
    const QString program = findS3rver();
    if (program.isEmpty()) {
        *why = QStringLiteral("s3rver is not installed (./dev installs it into /usr/local/lib/pgarchivist-dev/s3rver)");
        return nullptr;
    }
    std::unique_ptr<S3Server> s(new S3Server);
    s->m_bucket = bucket;
    s->m_dir = QDir::tempPath() + QStringLiteral("/pga-s3rver-%1-%2").arg(::getpid()).arg(quintptr(s.get()), 0, 16);
    QDir().mkpath(s->m_dir);
    for (int attempt = 0; attempt < 5; ++attempt) {
        s->m_port = freePort();
        s->m_process = std::make_unique<QProcess>();
        s->m_process->setProcessChannelMode(QProcess::MergedChannels);
        // s3rver makes continuation tokens with DES, which Node 17+ (OpenSSL 3) only has in the legacy provider.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_OPTIONS"), QStringLiteral("--openssl-legacy-provider"));
        s->m_process->setProcessEnvironment(env);
        // A test that crashes must not leave the server running: it goes with its parent.
        s->m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        s->m_process->setStandardOutputFile(s->m_dir + QStringLiteral(".log"), QIODevice::Append);
        s->m_process->start(program, {QStringLiteral("-d"), s->m_dir, QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                      QString::number(s->m_port), QStringLiteral("--silent"), QStringLiteral("--configure-bucket"), bucket});
        if (!s->m_process->waitForStarted(10000))
            break;
        for (int i = 0; i < 200 && s->m_process->state() == QProcess::Running; ++i) {
            if (accepts(s->m_port))
                return s;
            QThread::msleep(50);
        }
        s->m_process->kill();
        s->m_process->waitForFinished(5000);
    }
    *why = QStringLiteral("s3rver (%1) did not start; see %2.log").arg(program, s->m_dir);
    return nullptr;
}

S3Server::~S3Server()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    if (qEnvironmentVariableIsEmpty("PGA_KEEP_CLUSTERS")) {
        QDir(m_dir).removeRecursively();
        QFile::remove(m_dir + QStringLiteral(".log"));
    }
}

void S3Server::exportEnvironment() const
{
    qputenv("AWS_ACCESS_KEY_ID", "S3RVER");
    qputenv("AWS_SECRET_ACCESS_KEY", "S3RVER");
    qunsetenv("AWS_SESSION_TOKEN");
    qunsetenv("AWS_PROFILE");
    qputenv("PGARCHIVIST_S3_ENDPOINT", endpoint().toUtf8());
    qputenv("PGARCHIVIST_S3_REGION", "us-east-1");
}

} // namespace pga::test
