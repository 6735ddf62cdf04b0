#include "ClientTools.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
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

QString versionText(int v) { return QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000); }

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

int ClientTools::parseVersionOutput(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return 0;
    const int major = m.captured(1).toInt();
    // From 10 on: major * 10000 + minor; before, 9.6.24 was 90624.
    return major >= 10 ? major * 10000 + m.captured(2).toInt() : major * 10000 + m.captured(2).toInt() * 100 + m.captured(3).toInt();
}

Result<ClientTools::Match> ClientTools::matchedClient(const QString &tool, int serverVersionNum)
{
    QStringList dirs;
    for (const QString &d : qEnvironmentVariable("PGA_PG_CLIENT_DIRS").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        dirs << d;
    for (const QString &base : {QStringLiteral("/usr/lib/postgresql"), QStringLiteral("/usr")}) {
        const QDir dir(base);
        const QStringList entries = base == QLatin1String("/usr") ? dir.entryList({QStringLiteral("pgsql-*")}, QDir::Dirs)
                                                                  : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &e : entries)
            dirs << dir.filePath(e + QStringLiteral("/bin"));
    }
    for (const QString &d : qEnvironmentVariable("PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        dirs << d;
    Match m;
    QSet<QString> seen;
    for (const QString &d : std::as_const(dirs)) {
        const QString path = QFileInfo(d + QLatin1Char('/') + tool).canonicalFilePath();
        if (path.isEmpty() || seen.contains(path) || !QFileInfo(path).isExecutable())
            continue;
        seen.insert(path);
        QProcess p;
        p.start(path, {QStringLiteral("--version")});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            continue;
        const int v = parseVersionOutput(QString::fromUtf8(p.readAllStandardOutput()));
        if (v > 0)
            m.found << qMakePair(path, v);
    }
    const int serverMajor = serverVersionNum / 10000;
    for (const auto &[path, v] : std::as_const(m.found))
        if (v / 10000 >= serverMajor && v > m.versionNum) {
            m.path = path;
            m.versionNum = v;
        }
    if (!m.path.isEmpty())
        return m;
    const auto text = [](int v) { return QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000); };
    QStringList found;
    for (const auto &[path, v] : std::as_const(m.found))
        found << QStringLiteral("%1 (%2)").arg(text(v), path);
    return Error(Error::Code::NotFound,
                 QStringLiteral("The server runs PostgreSQL %1, and %2 cannot work with a server newer than itself; %3. Install "
                                "postgresql-client-%4, or put its bin directory in PGA_PG_CLIENT_DIRS.")
                     .arg(text(serverVersionNum), tool,
                          found.isEmpty() ? QStringLiteral("no %1 was found").arg(tool)
                                          : QStringLiteral("the ones found are %1").arg(found.join(QStringLiteral(", "))))
                     .arg(serverMajor));
}

} // namespace pga::pg
