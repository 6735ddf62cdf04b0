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
};

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
