#pragma once

#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace pga::test {

// The pgarchivist-cli of this build tree, as a user would run it.
inline QString cliPath() { return qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli"); }

// Runs the CLI and returns its exit code (-1 when it did not finish within timeoutMs).
inline int runCli(const QStringList &args, QByteArray *out = nullptr, QByteArray *err = nullptr,
                  const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (out)
        *out = p.readAllStandardOutput();
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Exit code and both outputs of one CLI run.
struct CliOutput {
    int code = -1;
    QByteArray out, err;
};
inline CliOutput cli(const QStringList &args)
{
    CliOutput r;
    r.code = runCli(args, &r.out, &r.err);
    return r;
}

// The CLI run as another user (root only): setpriv switches uid and gid; groups, when given, are the only
// supplementary groups (a stand-in for a member of that group, without touching /etc/group).
inline CliOutput cliAs(const QString &user, const QStringList &args, const QString &groups = {})
{
    QStringList full{QStringLiteral("--reuid=") + user};
    full << (QStringLiteral("--regid=") + (user == QLatin1String("nobody") ? QStringLiteral("nogroup") : user));
    full << (groups.isEmpty() ? QStringLiteral("--init-groups") : QStringLiteral("--groups=") + groups);
    full << QStringLiteral("--") << cliPath() << args;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), QStringLiteral("/tmp"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("setpriv"), full);
    CliOutput r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

// Paths under dir (itself included) whose owner is not uid: empty when one user owns all of it.
inline QStringList notOwnedBy(const QString &dir, uint uid)
{
    QStringList out;
    auto check = [&](const QString &path) {
        if (QFileInfo(path).ownerId() != uid)
            out << path;
    };
    check(dir);
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        check(it.next());
    return out;
}

} // namespace pga::test
