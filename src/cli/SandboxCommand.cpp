#include "Command.h"
#include "Commands.h"
#include "engine/Sandbox.h"

#include <QJsonObject>
#include <QTextStream>

namespace pga::cli {

namespace {

class StderrProgress final : public ProgressSink {
public:
    void progress(int64_t, int64_t) override {}
    void log(Level level, const QString &line) override
    {
        if (level >= Level::Info) {
            QTextStream err(stderr);
            err << (level >= Level::Warning ? "warning: " : "") << line << '\n';
        }
    }
};

QJsonObject toJson(const engine::SandboxInfo &i)
{
    return {{QStringLiteral("exists"), i.exists},       {QStringLiteral("running"), i.running},
            {QStringLiteral("dir"), i.baseDir},         {QStringLiteral("data_dir"), i.dataDir},
            {QStringLiteral("repo"), i.repoDir},        {QStringLiteral("port"), i.port},
            {QStringLiteral("conninfo"), i.conninfo}};
}

} // namespace

// `pgarchivist-cli sandbox create|start|stop|status|destroy [--dir DIR] [--json]`
// Exit codes: 0 done (status: running), 1 failed, 3 status: exists but stopped, 4 status: no sandbox.
int runSandbox(const QStringList &args)
{
    CommandParser p(QStringLiteral("sandbox"),
                    QStringLiteral("A local PostgreSQL cluster to try pgArchivist on, archiving into its own repository.\n"
                                   "Actions: create, start, stop, status, destroy."));
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("create | start | stop | status | destroy"));
    p.addOption({QStringLiteral("dir"), QStringLiteral("Sandbox directory (default: %1).").arg(engine::Sandbox::defaultBaseDir()),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printError(QStringLiteral("say what to do: create, start, stop, status or destroy."));
        return ExitUsage;
    }
    const QString action = p.positionalArguments().first();
    engine::Sandbox sandbox(p.isSet(QStringLiteral("dir")) ? p.value(QStringLiteral("dir")) : engine::Sandbox::defaultBaseDir());
    const bool json = p.isSet(QStringLiteral("json"));

    Result<engine::SandboxInfo> result = Error(Error::Code::InvalidArgument, QString());
    if (action == QLatin1String("create")) {
        StderrProgress progress;
        CancelToken cancel;
        result = sandbox.create(progress, cancel);
    } else if (action == QLatin1String("start")) {
        result = sandbox.start();
    } else if (action == QLatin1String("stop")) {
        result = sandbox.stop();
    } else if (action == QLatin1String("status")) {
        result = sandbox.status();
    } else if (action == QLatin1String("destroy")) {
        if (Status s = sandbox.destroy(); !s) {
            printError(s.error());
            return ExitFailure;
        }
        if (!json)
            out() << "Sandbox destroyed.\n";
        else
            printJson({{QStringLiteral("exists"), false}});
        out().flush();
        return ExitOk;
    } else {
        printError(QStringLiteral("unknown action '%1': use create, start, stop, status or destroy.").arg(action));
        return ExitUsage;
    }
    if (!result) {
        printError(result.error());
        return ExitFailure;
    }
    if (json) {
        printJson(toJson(*result));
    } else if (!result->exists) {
        out() << "No sandbox in " << result->baseDir << ". Create one with 'pgarchivist-cli sandbox create'.\n";
    } else {
        out() << "Sandbox in " << result->baseDir << ": " << (result->running ? "running" : "stopped") << "\n"
              << "  connect: psql \"" << result->conninfo << "\"\n"
              << "  repository: " << result->repoDir << "\n";
    }
    out().flush();
    if (action == QLatin1String("status"))
        return !result->exists ? 4 : (result->running ? ExitOk : 3);
    return ExitOk;
}

} // namespace pga::cli
