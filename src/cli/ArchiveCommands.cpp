#include "Command.h"
#include "Commands.h"
#include "engine/ArchiveGet.h"
#include "engine/ArchivePush.h"
#include "engine/ArchivePushAsync.h"

#include <QCoreApplication>
#include <QTextStream>

namespace pga::cli {

namespace {

// archive_command and restore_command output goes to the server log: one line per problem, nothing else.
class QuietProgress final : public ProgressSink {
public:
    void progress(int64_t, int64_t) override {}
    void log(Level level, const QString &line) override
    {
        if (level >= Level::Warning) {
            QTextStream err(stderr);
            err << "pgarchivist-cli: " << line << '\n';
        }
    }
};

void addRepoServerOptions(CommandParser &p)
{
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Server name in the repository (default: $PGARCHIVIST_SERVER)."),
                 QStringLiteral("NAME")});
}

} // namespace

QString optionOrEnv(const QCommandLineParser &p, const QString &option, const char *env)
{
    return p.isSet(option) ? p.value(option) : qEnvironmentVariable(env);
}

// `pgarchivist-cli archive-push --repo DIR --server NAME WAL_PATH` (archive_command = '... %p')
// Exit codes: 0 archived durably (or already archived, identical), 1 failed: PostgreSQL keeps the file
// and retries; 64 bad command line.
int runArchivePush(const QStringList &args)
{
    CommandParser p(QStringLiteral("archive-push"),
                    QStringLiteral("Archive one WAL file (archive_command = 'pgarchivist-cli archive-push --repo DIR "
                                   "--server NAME %p')."));
    addRepoServerOptions(p);
    p.addOption({QStringLiteral("push-ahead"),
                 QStringLiteral("Also archive up to N later segments already marked ready, in parallel (default 0)."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("compress-level"), QStringLiteral("zstd level, 1-19 (default 1)."), QStringLiteral("LEVEL"),
                 QStringLiteral("1")});
    p.addOption({QStringLiteral("async"), QStringLiteral("Acknowledge files a background pusher has stored; it pushes what PostgreSQL has "
                                                         "marked ready, several at once (see docs/cli.md).")});
    p.addOption({QStringLiteral("spool"), QStringLiteral("With --async: where acknowledgements are kept (default: pg_wal/.pgarchivist-async)."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("async-timeout"), QStringLiteral("With --async: seconds to wait for the file before reporting a failure (default 60)."),
                 QStringLiteral("S"), QStringLiteral("60")});
    p.addOption({QStringLiteral("async-jobs"), QStringLiteral("With --async: files the pusher stores at once (default 4)."), QStringLiteral("N"),
                 QStringLiteral("4")});
    QCommandLineOption asyncWorker(QStringLiteral("async-worker"));
    asyncWorker.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(asyncWorker);
    p.addPositionalArgument(QStringLiteral("WAL_PATH"), QStringLiteral("%p: the file to archive."));
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printError(QStringLiteral("archive-push needs exactly one WAL_PATH (%p)."));
        return ExitUsage;
    }
    engine::ArchivePushOptions o;
    o.repoDir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    o.server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    o.walPath = p.positionalArguments().first();
    o.pushAhead = std::clamp(p.value(QStringLiteral("push-ahead")).toInt(), 0, 64);
    o.compressionLevel = std::clamp(p.value(QStringLiteral("compress-level")).toInt(), 1, 19);
    if (o.repoDir.isEmpty() || o.server.isEmpty()) {
        printError(QStringLiteral("archive-push needs --repo and --server (or PGARCHIVIST_REPO and PGARCHIVIST_SERVER)."));
        return ExitUsage;
    }
    QuietProgress progress;
    CancelToken cancel;
    if (p.isSet(QStringLiteral("async")) || p.isSet(QStringLiteral("async-worker"))) {
        engine::AsyncPushOptions a;
        a.push = o;
        a.spoolDir = p.value(QStringLiteral("spool"));
        a.timeoutS = std::clamp(p.value(QStringLiteral("async-timeout")).toInt(), 1, 3600);
        a.jobs = std::clamp(p.value(QStringLiteral("async-jobs")).toInt(), 1, 32);
        if (p.isSet(QStringLiteral("async-worker"))) {
            Status s = engine::runAsyncPusher(a, progress, cancel);
            if (!s)
                printError(s.error());
            return s ? ExitOk : ExitFailure;
        }
        a.workerProgram = QCoreApplication::applicationFilePath();
        a.workerArgs = QStringList{QStringLiteral("archive-push"), QStringLiteral("--async-worker"), QStringLiteral("--repo"), o.repoDir,
                                   QStringLiteral("--server"), o.server, QStringLiteral("--async-jobs"), QString::number(a.jobs),
                                   QStringLiteral("--compress-level"), QString::number(o.compressionLevel)};
        if (!a.spoolDir.isEmpty())
            a.workerArgs << QStringLiteral("--spool") << a.spoolDir;
        a.workerArgs << o.walPath;  // the pusher works in its directory
        auto r = engine::pushAsync(a, progress, cancel);
        if (!r) {
            printError(r.error());
            return ExitFailure;
        }
        return ExitOk;
    }
    auto r = engine::ArchivePush(o).run(progress, cancel);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    return ExitOk;
}

// `pgarchivist-cli archive-get --repo DIR --server NAME WAL_NAME DEST_PATH` (restore_command = '... %f %p')
// Exit codes: 0 restored; 1 not in the repository (quietly: PostgreSQL asks for files that never existed);
// 126 anything else (damaged archive, unreadable repository): PostgreSQL stops recovery rather than
// ending it early at the damage; 64 bad command line.
int runArchiveGet(const QStringList &args)
{
    constexpr int ExitStopRecovery = 126;
    CommandParser p(QStringLiteral("archive-get"),
                    QStringLiteral("Restore one WAL file (restore_command = 'pgarchivist-cli archive-get --repo DIR "
                                   "--server NAME %f %p')."));
    addRepoServerOptions(p);
    p.addOption({QStringLiteral("prefetch"), QStringLiteral("Segments to decompress ahead in the background (default 4, 0: off)."),
                 QStringLiteral("N"), QStringLiteral("4")});
    p.addOption({QStringLiteral("spool"), QStringLiteral("Prefetch spool directory (default: DEST's directory/.pgarchivist-prefetch)."),
                 QStringLiteral("DIR")});
    QCommandLineOption worker(QStringLiteral("prefetch-worker"));
    worker.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(worker);
    p.addPositionalArgument(QStringLiteral("WAL_NAME"), QStringLiteral("%f: the file PostgreSQL wants."));
    p.addPositionalArgument(QStringLiteral("DEST_PATH"), QStringLiteral("%p: where to put it."));
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    if (p.positionalArguments().size() != 2) {
        printError(QStringLiteral("archive-get needs WAL_NAME and DEST_PATH (%f %p)."));
        return ExitUsage;
    }
    const QString repo = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    const QString server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    if (repo.isEmpty() || server.isEmpty()) {
        printError(QStringLiteral("archive-get needs --repo and --server (or PGARCHIVIST_REPO and PGARCHIVIST_SERVER)."));
        return ExitUsage;
    }
    const int prefetch = std::clamp(p.value(QStringLiteral("prefetch")).toInt(), 0, 64);
    CancelToken cancel;
    if (p.isSet(worker)) {
        (void)engine::ArchiveGet::prefetch(repo, server, p.positionalArguments().at(0), p.positionalArguments().at(1),
                                           prefetch, cancel);
        return ExitOk;
    }
    engine::ArchiveGetOptions o;
    o.repoDir = repo;
    o.server = server;
    o.walName = p.positionalArguments().at(0);
    o.destPath = p.positionalArguments().at(1);
    o.prefetch = prefetch;
    o.spoolDir = p.value(QStringLiteral("spool"));
    o.workerProgram = QCoreApplication::applicationFilePath();
    QuietProgress progress;
    auto r = engine::ArchiveGet(o).run(progress, cancel);
    if (!r) {
        if (r.error().code == Error::Code::NotFound)
            return ExitFailure;
        if (r.error().code == Error::Code::InvalidArgument) {
            printError(r.error());
            return ExitUsage;
        }
        printError(Error(r.error().code,
                         r.error().message + QStringLiteral(" Recovery must stop here rather than end early: repair or "
                                                            "restore the repository, then start the server again."),
                         r.error().detail));
        return ExitStopRecovery;
    }
    if (r->fromPartial)  // into the server log: why recovery will end inside this segment
        QTextStream(stderr) << "pgarchivist-cli: " << o.walName
                            << " is not archived whole yet; restored its streamed or partial part, zero-filled, so recovery ends at its "
                               "last record.\n";
    return ExitOk;
}

} // namespace pga::cli
