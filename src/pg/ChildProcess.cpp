#include "ChildProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace pga::pg {

namespace {

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

Error spawnError(const QString &program, int err)
{
    return Error(Error::Code::Io, QStringLiteral("Could not start %1: %2.").arg(program, QString::fromLocal8Bit(strerror(err))));
}

} // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::start(const ChildSpec &spec)
{
    static const bool ignored = [] { ::signal(SIGPIPE, SIG_IGN); return true; }();
    (void)ignored;
    int out[2], err[2], in[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0)
        return spawnError(spec.program, errno);
    if (::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(out[0]);
        ::close(out[1]);
        return spawnError(spec.program, e);
    }
    if (spec.stdinPipe && ::pipe2(in, O_CLOEXEC) != 0) {
        const int e = errno;
        for (int fd : {out[0], out[1], err[0], err[1]})
            ::close(fd);
        return spawnError(spec.program, e);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (spec.stdinPipe)
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    const QByteArray wd = QFile::encodeName(spec.workingDir);
    if (!spec.workingDir.isEmpty())
        posix_spawn_file_actions_addchdir_np(&fa, wd.constData());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);      // the CLI blocks SIGINT/SIGTERM in its threads
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<QByteArray> argStore{QFile::encodeName(spec.program)};
    for (const QString &a : spec.args)
        argStore.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> envStore;
    QStringList overridden;
    for (const QString &e : spec.extraEnv)
        overridden << e.section(QLatin1Char('='), 0, 0) + QLatin1Char('=');
    for (char **e = environ; *e; ++e) {
        const QString s = QString::fromLocal8Bit(*e);
        bool skip = false;
        for (const QString &o : overridden)
            skip = skip || s.startsWith(o);
        if (!skip)
            envStore.push_back(QByteArray(*e));
    }
    for (const QString &e : spec.extraEnv)
        envStore.push_back(e.toLocal8Bit());
    std::vector<char *> envp;
    for (QByteArray &e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (spec.stdinPipe)
        ::close(in[0]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        if (spec.stdinPipe)
            ::close(in[1]);
        return spawnError(spec.program, rc);
    }
    std::unique_ptr<ChildProcess> c(new ChildProcess);
    c->m_pid = pid;
    c->m_out = out[0];
    c->m_err = err[0];
    c->m_in = spec.stdinPipe ? in[1] : -1;
    c->m_program = QFileInfo(spec.program).fileName();
    for (int fd : {c->m_out, c->m_err, c->m_in})
        if (fd >= 0)
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    // A 1 MiB pipe into pg_restore/psql instead of 64 KiB: a restore feeds gigabytes through it. Not for their output:
    // measured, a larger pipe out of pg_dump made the dump's memory larger (114 MiB against 85) and it no faster
    // (bench/dump.results.md).
    if (c->m_in >= 0)
        (void)::fcntl(c->m_in, F_SETPIPE_SZ, 1 << 20);
    return c;
}

ChildProcess::~ChildProcess()
{
    closeFd(m_in);
    closeFd(m_out);
    closeFd(m_err);
    if (m_pid > 0 && m_status < 0)
        stop();
}

int ChildProcess::reap(bool block)
{
    if (m_status >= 0)
        return m_status;
    int st = 0;
    pid_t r;
    do
        r = ::waitpid(m_pid, &st, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == m_pid)
        m_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    else if (r < 0)
        m_status = 255;
    return m_status;
}

void ChildProcess::stop()
{
    if (m_status >= 0)
        return;
    ::kill(-m_pid, SIGTERM);
    QElapsedTimer t;
    t.start();
    while (reap(false) < 0 && t.elapsed() < 5000)
        ::usleep(20000);
    if (m_status < 0) {
        ::kill(-m_pid, SIGKILL);
        reap(true);
    }
    // pg_dump's parallel workers are in its group; any left behind go with it.
    ::kill(-m_pid, SIGKILL);
}

Result<int> ChildProcess::pump(Handlers &h, const CancelToken &cancel)
{
    QByteArray errBuf, inBuf;
    qsizetype inPos = 0;
    bool inEnded = m_in < 0;
    std::vector<char> buf(1 << 20);
    QElapsedTimer sinceTick;
    sinceTick.start();
    Error failure;
    auto flushErr = [&](bool all) {
        for (;;) {
            const qsizetype nl = errBuf.indexOf('\n');
            if (nl < 0)
                break;
            if (h.errLine)
                h.errLine(QString::fromLocal8Bit(errBuf.constData(), nl));
            errBuf.remove(0, nl + 1);
        }
        if (all && !errBuf.isEmpty()) {
            if (h.errLine)
                h.errLine(QString::fromLocal8Bit(errBuf));
            errBuf.clear();
        }
    };
    while (m_out >= 0 || m_err >= 0) {
        if (cancel.isCancelled()) {
            failure = Error(Error::Code::Cancelled, QStringLiteral("Cancelled; %1 was stopped.").arg(m_program));
            break;
        }
        if (!inEnded && inPos >= inBuf.size()) {
            auto next = h.in();
            if (!next) {
                failure = next.error();
                break;
            }
            inBuf = *next;
            inPos = 0;
            if (inBuf.isEmpty()) {
                inEnded = true;
                closeFd(m_in);
            }
        }
        pollfd fds[3];
        int n = 0;
        int outIdx = -1, errIdx = -1, inIdx = -1;
        if (m_out >= 0) {
            fds[n] = {m_out, POLLIN, 0};
            outIdx = n++;
        }
        if (m_err >= 0) {
            fds[n] = {m_err, POLLIN, 0};
            errIdx = n++;
        }
        if (!inEnded && m_in >= 0) {
            fds[n] = {m_in, POLLOUT, 0};
            inIdx = n++;
        }
        const int timeout = std::max(10, h.tickMs - int(sinceTick.elapsed()));
        const int pr = ::poll(fds, nfds_t(n), std::min(timeout, 200));
        if (pr < 0 && errno != EINTR) {
            failure = Error(Error::Code::Io, QStringLiteral("Waiting for %1 failed: %2").arg(m_program, QString::fromLocal8Bit(strerror(errno))));
            break;
        }
        if (h.tick && sinceTick.elapsed() >= h.tickMs) {
            h.tick();
            sinceTick.restart();
        }
        if (pr <= 0)
            continue;
        if (inIdx >= 0 && (fds[inIdx].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const ssize_t w = ::write(m_in, inBuf.constData() + inPos, size_t(inBuf.size() - inPos));
            if (w > 0)
                inPos += w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                // The child stopped reading (it failed, or a psql \q): its exit status tells why.
                inEnded = true;
                closeFd(m_in);
            }
        }
        if (outIdx >= 0 && (fds[outIdx].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t r = ::read(m_out, buf.data(), buf.size());
            if (r > 0) {
                if (h.out)
                    if (Status s = h.out(buf.data(), size_t(r)); !s) {
                        failure = s.error();
                        break;
                    }
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(m_out);
            }
        }
        if (errIdx >= 0 && (fds[errIdx].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t r = ::read(m_err, buf.data(), buf.size());
            if (r > 0) {
                errBuf.append(buf.data(), r);
                flushErr(false);
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(m_err);
            }
        }
    }
    flushErr(true);
    closeFd(m_in);
    if (failure.isError()) {
        stop();
        return failure;
    }
    // Both pipes closed: the child is exiting. Keep ticking while it does (pg_restore can close late).
    while (reap(false) < 0) {
        if (cancel.isCancelled()) {
            stop();
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; %1 was stopped.").arg(m_program));
        }
        ::usleep(10000);
    }
    return m_status;
}

} // namespace pga::pg
