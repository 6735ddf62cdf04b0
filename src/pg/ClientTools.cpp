#include "ClientTools.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <unistd.h>

namespace pga::pg {

bool runningAsRoot() { return ::geteuid() == 0; }

QList<int> ClientTools::installedMajors()
{
    QList<int> majors;
    for (const QString &base : {QStringLiteral("/usr/lib/postgresql"), QStringLiteral("/usr/pgsql")}) {
        const QDir dir(base);
        for (const QString &e : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            bool ok = false;
            const int m = e.toInt(&ok);
            if (ok && QFileInfo::exists(dir.filePath(e + QStringLiteral("/bin/pg_ctl"))) && !majors.contains(m))
                majors << m;
        }
    }
    std::sort(majors.begin(), majors.end(), std::greater<>());
    return majors;
}

Result<QString> ClientTools::binDir(int major)
{
    const QString env = qEnvironmentVariable("PGA_PG_BINDIR");
    if (!env.isEmpty() && QFileInfo::exists(env + QStringLiteral("/pg_ctl")))
        return env;
    QList<int> majors = installedMajors();
    if (major > 0)
        majors = majors.contains(major) ? QList<int>{major} : QList<int>{};
    for (int m : majors) {
        for (const QString &cand : {QStringLiteral("/usr/lib/postgresql/%1/bin").arg(m), QStringLiteral("/usr/pgsql-%1/bin").arg(m)})
            if (QFileInfo::exists(cand + QStringLiteral("/pg_ctl")))
                return cand;
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("pg_ctl"));
    if (!onPath.isEmpty() && major == 0)
        return QFileInfo(onPath).absolutePath();
    return Error(Error::Code::NotFound,
                 major > 0 ? QStringLiteral("PostgreSQL %1 server programs (initdb, pg_ctl) are not installed. Install the "
                                            "postgresql-%1 package.").arg(major)
                           : QStringLiteral("No PostgreSQL server programs (initdb, pg_ctl) were found. Install postgresql-15, "
                                            "or set PGA_PG_BINDIR to their directory."));
}

Result<QString> ClientTools::program(const QString &name, int major)
{
    auto dir = binDir(major);
    if (!dir)
        return dir.error();
    const QString path = *dir + QLatin1Char('/') + name;
    if (!QFileInfo(path).isExecutable())
        return Error(Error::Code::NotFound, QStringLiteral("%1 is not installed in %2.").arg(name, *dir));
    return path;
}

Result<ProcessResult> runProcess(const RunSpec &spec)
{
    QProcess p;
    QString program = spec.program;
    QStringList args = spec.args;
    if (!spec.runAsUser.isEmpty() && runningAsRoot()) {
        args.prepend(program);
        args.prepend(QStringLiteral("--"));
        args.prepend(spec.runAsUser);
        args.prepend(QStringLiteral("-u"));
        program = QStringLiteral("runuser");
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : spec.extraEnv) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq > 0)
            env.insert(kv.left(eq), kv.mid(eq + 1));
    }
    p.setProcessEnvironment(env);
    if (!spec.workingDir.isEmpty())
        p.setWorkingDirectory(spec.workingDir);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return Error(Error::Code::NotFound, QStringLiteral("Could not start %1.").arg(spec.program), p.errorString());
    ProcessResult r;
    if (!p.waitForFinished(spec.timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    return r;
}

} // namespace pga::pg
