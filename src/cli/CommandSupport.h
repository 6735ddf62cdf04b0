#pragma once

#include "Command.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"

#include <QElapsedTimer>

#include <mutex>
#include <thread>

// What the repository commands (backup, restore, estimate, verify, expire) share.
namespace pga::engine {
struct RecoveryTarget;
}

namespace pga::cli {

QString optionOrEnv(const QCommandLineParser &p, const QString &option, const char *env);

// Human progress on stderr: log lines, and a percentage at most every 2 seconds.
class StderrProgress final : public ProgressSink {
public:
    explicit StderrProgress(bool quiet = false) : m_quiet(quiet) { m_timer.start(); }
    void progress(int64_t done, int64_t total) override;
    void log(Level level, const QString &line) override;

private:
    bool m_quiet;
    std::mutex m_mutex;
    QElapsedTimer m_timer;
    qint64 m_last = 0;
};

// SIGINT/SIGTERM cancel the operation cleanly (a thread waits for them; the others have them blocked).
class SignalCancel {
public:
    explicit SignalCancel(CancelToken &token);
    ~SignalCancel();

private:
    std::thread m_thread;
};

void addRepoServer(CommandParser &p);
bool repoServer(const CommandParser &p, QString *repo, QString *server, const char *command);
bool intOption(const CommandParser &p, const QString &name, int lo, int hi, int *value);
QString mib(qint64 b);
// --target-time (with its zone), --target-lsn and --target-xid into t, counting each one given in *targets; false after
// saying why when one does not parse.
bool parseTimeLsnXidTarget(const QCommandLineParser &p, engine::RecoveryTarget &t, int *targets);

} // namespace pga::cli
