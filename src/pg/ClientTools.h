#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::pg {

// Finds PostgreSQL's programs (initdb, pg_ctl, pg_dump, pg_verifybackup...) by major version.
// Order: $PGA_PG_BINDIR, /usr/lib/postgresql/N/bin (Debian), /usr/pgsql-N/bin (RPM), then PATH.
class ClientTools {
public:
    // major == 0 picks the newest installed.
    static Result<QString> binDir(int major = 0);
    static Result<QString> program(const QString &name, int major = 0);
    static QList<int> installedMajors();

    // A client program (pg_dump, pg_dumpall, pg_restore, psql) fit for a server: the newest installed whose major
    // version is at least the server's (pg_dump refuses a newer server; a newer pg_dump reads older ones). Looks in
    // /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, PATH, and $PGA_PG_CLIENT_DIRS (colon-separated, searched first).
    // Refuses, before anything starts, with the server's version, what was found and the package to install.
    struct Match {
        QString path;
        int versionNum = 0;                     // e.g. 150014
        QList<QPair<QString, int>> found;       // every candidate looked at: path and version
    };
    static Result<Match> matchedClient(const QString &tool, int serverVersionNum);
    // "pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" -> 150014; 0 when unreadable.
    static int parseVersionOutput(const QString &text);
};

// 150018 -> "15.18".
QString versionText(int versionNum);

// Runs a program, optionally as another OS user (via runuser when we are root), with a hard timeout.
struct ProcessResult {
    int exitCode = -1;
    bool timedOut = false;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
};

struct RunSpec {
    QString program;
    QStringList args;
    QString runAsUser;        // empty: as ourselves. Only honoured when running as root.
    int timeoutMs = 60000;
    QStringList extraEnv;     // "NAME=value" added to the environment
    QString workingDir;
};

Result<ProcessResult> runProcess(const RunSpec &spec);
bool runningAsRoot();

} // namespace pga::pg
