#pragma once

#include "core/CancelToken.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <sys/types.h>

namespace pga::pg {

// A client program (pg_dump, pg_restore, psql) whose output is streamed, not collected: runProcess()
// buffers everything, which a dump of any size must not. It runs in its own process group, so cancel
// reaches pg_dump's parallel workers too, and with SIGPIPE ignored in us.
struct ChildSpec {
    QString program;
    QStringList args;
    QStringList extraEnv;      // "NAME=value"
    bool stdinPipe = false;    // false: /dev/null
    QString workingDir;
};

class ChildProcess {
public:
    struct Handlers {
        std::function<Status(const char *, size_t)> out;  // stdout as it arrives; null: discarded
        std::function<void(const QString &)> errLine;     // stderr, a line at a time
        // The next piece of stdin; an empty array ends it. Called only with stdinPipe.
        std::function<Result<QByteArray>()> in;
        std::function<void()> tick;                       // every tickMs while it runs
        int tickMs = 500;
    };

    static Result<std::unique_ptr<ChildProcess>> start(const ChildSpec &spec);
    ~ChildProcess();  // a child still running is killed and reaped
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // Feeds and drains the child until it exits; its exit code (128+N when killed by signal N). A handler's
    // error, or cancel, stops the child (SIGTERM to its group, SIGKILL 5 s later) and is returned.
    Result<int> pump(Handlers &h, const CancelToken &cancel);
    pid_t pid() const { return m_pid; }
    QString program() const { return m_program; }

private:
    ChildProcess() = default;
    void stop();
    int reap(bool block);
    pid_t m_pid = -1;
    int m_out = -1, m_err = -1, m_in = -1;
    int m_status = -1;   // exit status once reaped
    QString m_program;
};

} // namespace pga::pg
