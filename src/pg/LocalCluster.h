#pragma once

#include "ClientTools.h"
#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::pg {

// A PostgreSQL cluster on this machine controlled with initdb and pg_ctl: the sandbox server,
// the test harness's throwaway clusters, and restores started locally. When we run as root the
// server runs as `osUser` (PostgreSQL refuses root), and every file it writes is owned by that user.
class LocalCluster {
public:
    struct Spec {
        QString dataDir;
        QString socketDir;          // unix_socket_directories; also PGHOST for connections
        int port = 5432;
        QString osUser;             // server's OS user when we are root (default "postgres")
        QString superuser = QStringLiteral("postgres");
        int majorVersion = 0;       // 0: newest installed
        QString logFile;            // default: dataDir/../server.log
    };

    explicit LocalCluster(Spec spec);

    const Spec &spec() const { return m_spec; }
    QString binDir() const { return m_binDir; }
    QString logFile() const;
    // "host=SOCKETDIR port=N user=SUPERUSER dbname=postgres"
    QString conninfo(const QString &dbname = QStringLiteral("postgres")) const;
    QString tcpConninfo(const QString &user, const QString &dbname = QStringLiteral("postgres")) const;
    // The OS user the server runs as (empty when that is us).
    QString effectiveOsUser() const;

    Status initdb(const QStringList &extraArgs = {}, int timeoutMs = 120000);
    // Appends settings to postgresql.conf (written as the server's OS user).
    Status appendConf(const QStringList &lines);
    Status start(int timeoutMs = 60000);
    Status stop(const QString &mode = QStringLiteral("fast"), int timeoutMs = 60000);
    Status restart(int timeoutMs = 60000);
    Status reload();
    bool isRunning() const;
    bool exists() const;
    // Runs a program from the cluster's bin dir as the server's OS user.
    Result<ProcessResult> runTool(const QString &tool, const QStringList &args, int timeoutMs = 60000) const;
    // The last lines of the server log, to explain a failed start.
    QString logTail(int lines = 15) const;

private:
    Status ensureBinDir();
    Spec m_spec;
    QString m_binDir;
    Error m_binDirError;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int pickFreePort();

} // namespace pga::pg
