#pragma once

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

} // namespace pga::test
