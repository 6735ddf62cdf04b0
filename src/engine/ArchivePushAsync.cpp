#include "ArchivePushAsync.h"

#include "repo/Repository.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <fcntl.h>
#include <future>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace pga::engine {

namespace {

QByteArray enc(const QString &p) { return QFile::encodeName(p); }

// The pusher holds this lock while it runs; a free lock means no pusher (the kernel drops it when one dies).
class PusherLock {
public:
    explicit PusherLock(const QString &dir) : m_fd(::open(enc(dir + QStringLiteral("/pusher.lock")).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
    ~PusherLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool tryLock() { return m_fd >= 0 && ::flock(m_fd, LOCK_EX | LOCK_NB) == 0; }
    void unlock()
    {
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_UN);
    }

private:
    int m_fd;
};

bool pusherRunning(const QString &dir)
{
    PusherLock l(dir);
    if (!l.tryLock())
        return true;
    l.unlock();
    return false;
}

QByteArray readSmall(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(64 << 10) : QByteArray();
}

// Written whole under a temporary name and renamed: a reader never sees half an acknowledgement. Not fsynced: a
// lost one only means the file is pushed (and found identical) again.
void writeStatus(const QString &path, const QByteArray &content)
{
    const QString tmp = path + QStringLiteral(".tmp");
    QFile f(tmp);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size() && f.flush()) {
        f.close();
        ::rename(enc(tmp).constData(), enc(path).constData());
    }
}

void logLine(const QString &dir, const QString &line)
{
    QFile f(dir + QStringLiteral("/pusher.log"));
    if (f.size() > (1 << 20))
        f.remove();  // a log, not a history: the job list and pg_stat_archiver say what matters
    if (f.open(QIODevice::Append))
        f.write(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' + line.toUtf8() + '\n');
}

Status startPusher(const AsyncPushOptions &o)
{
    QProcess p;
    p.setProgram(o.workerProgram);
    p.setArguments(o.workerArgs);
    p.setStandardInputFile(QProcess::nullDevice());
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    if (!p.startDetached())
        return Error(Error::Code::Internal, QStringLiteral("Could not start the background pusher %1.").arg(o.workerProgram), p.errorString());
    return {};
}

} // namespace

QString asyncSpoolFor(const AsyncPushOptions &o)
{
    const QString base = o.spoolDir.isEmpty() ? QFileInfo(o.push.walPath).absolutePath() + QStringLiteral("/.pgarchivist-async") : o.spoolDir;
    return base + QLatin1Char('/') + archiveTargetTag(o.push.repoDir, o.push.server);
}

Result<ArchivePushResult> pushAsync(const AsyncPushOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    if (Status s = repo::Repository::validateServerName(o.push.server); !s)
        return s.error();
    const QString spool = asyncSpoolFor(o);
    const QString pusherError = spool + QStringLiteral("/pusher.error");
    if (!QDir().mkpath(spool))
        return Error(Error::Code::Io, QStringLiteral("Could not create the spool directory %1.").arg(spool));
    const QString name = QFileInfo(o.push.walPath).fileName();
    const QString ok = spool + QLatin1Char('/') + name + QStringLiteral(".ok");
    const QString failed = spool + QLatin1Char('/') + name + QStringLiteral(".error");
    qint64 size = 0;
    const QString identity = walSourceIdentity(o.push.walPath, &size);
    if (identity.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(o.push.walPath));
    // The pusher works from PostgreSQL's .ready files; anything else (a file pushed by hand) is pushed here and now.
    const QString readyFile = QFileInfo(o.push.walPath).absolutePath() + QStringLiteral("/archive_status/") + name + QStringLiteral(".ready");
    if (!QFileInfo::exists(readyFile) && !QFileInfo::exists(ok))
        return ArchivePush(o.push).run(progress, cancel);

    QElapsedTimer waited;
    waited.start();
    qint64 lastStart = -10000;  // >= 0 once this call started a pusher
    for (;;) {
        if (QFileInfo::exists(ok)) {
            const QByteArray said = readSmall(ok);
            QFile::remove(ok);
            if (said == identity.toUtf8()) {
                ArchivePushResult r;
                r.name = name;
                r.outcome = repo::WalArchive::Stored::AlreadyArchived;
                r.size = size;
                r.acknowledgedAhead = true;
                progress.progress(1, 1);
                return r;
            }
            // Stored from another file of that name (a recycled or restored one): not this one's acknowledgement.
        }
        if (QFileInfo::exists(failed)) {
            const QString why = QString::fromUtf8(readSmall(failed));
            QFile::remove(failed);
            return Error(Error::Code::Io, QStringLiteral("The background pusher could not archive %1: %2").arg(name, why));
        }
        if (lastStart >= 0 && QFileInfo::exists(pusherError)) {  // the pusher we started could not even begin
            const QString why = QString::fromUtf8(readSmall(pusherError));
            QFile::remove(pusherError);
            return Error(Error::Code::Io, QStringLiteral("The background pusher could not archive %1: %2").arg(name, why));
        }
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        if (waited.elapsed() >= qint64(o.timeoutS) * 1000)
            return Error(Error::Code::Timeout,
                         QStringLiteral("%1 was not archived within %2 s by the background pusher (its log: %3/pusher.log). PostgreSQL "
                                        "keeps the file and calls again; check the repository's reachability.")
                             .arg(name)
                             .arg(o.timeoutS)
                             .arg(spool));
        // A pusher is started when none runs (at most once a second: it needs a moment to take its lock).
        if (waited.elapsed() - lastStart >= 1000 && !pusherRunning(spool)) {
            QFile::remove(pusherError);  // from an earlier pusher: only the one started now speaks for this call
            if (Status s = startPusher(o); !s)
                return s.error();
            lastStart = waited.elapsed();
        }
        QThread::msleep(5);
    }
}

Status runAsyncPusher(const AsyncPushOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    const QString spool = asyncSpoolFor(o);
    QDir().mkpath(spool);
    PusherLock lock(spool);
    if (!lock.tryLock())
        return {};  // another pusher runs
    auto repo = repo::Repository::open(o.push.repoDir, repo::Repository::Access::Write);
    if (!repo) {
        writeStatus(spool + QStringLiteral("/pusher.error"), repo.error().toString().toUtf8());
        logLine(spool, repo.error().toString());
        return repo.error();
    }
    const QString walDir = QFileInfo(o.push.walPath).absolutePath();
    const QDir status(walDir + QStringLiteral("/archive_status"));
    logLine(spool, QStringLiteral("pusher started (pid %1, %2 at once)").arg(::getpid()).arg(o.jobs));
    struct InFlight {
        QString name;
        QString identity;
        std::future<Result<ArchivePushResult>> result;
    };
    std::vector<InFlight> flying;
    // Stored by this pusher: PostgreSQL renames NAME.ready to .done only after its call returned, so a file already
    // acknowledged can still look ready for a moment; it is not pushed again.
    QHash<QString, QString> stored;
    QElapsedTimer idle;
    idle.start();
    int pushed = 0;
    while (!cancel.isCancelled()) {
        // Finished pushes: acknowledge (the file is in the repository) or say why not.
        for (auto it = flying.begin(); it != flying.end();) {
            if (it->result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
                ++it;
                continue;
            }
            auto r = it->result.get();
            const QString base = spool + QLatin1Char('/') + it->name;
            if (r && walSourceIdentity(walDir + QLatin1Char('/') + it->name) == it->identity) {
                writeStatus(base + QStringLiteral(".ok"), it->identity.toUtf8());
                stored.insert(it->name, it->identity);
                ++pushed;
            } else if (!r) {
                writeStatus(base + QStringLiteral(".error"), r.error().toString().toUtf8());
                logLine(spool, it->name + QStringLiteral(": ") + r.error().toString());
            }
            it = flying.erase(it);
        }
        // What PostgreSQL has marked ready and nobody acknowledged or is pushing yet, oldest first.
        const QStringList ready = status.entryList({QStringLiteral("*.ready")}, QDir::Files, QDir::Name);
        bool started = false;
        for (const QString &r : ready) {
            if (int(flying.size()) >= o.jobs)
                break;
            const QString name = r.chopped(6);
            const QString base = spool + QLatin1Char('/') + name;
            if (QFileInfo::exists(base + QStringLiteral(".ok")) || QFileInfo::exists(base + QStringLiteral(".error")))
                continue;
            if (std::any_of(flying.begin(), flying.end(), [&](const InFlight &f) { return f.name == name; }))
                continue;
            const QString path = walDir + QLatin1Char('/') + name;
            const QString identity = walSourceIdentity(path);
            if (identity.isEmpty() || stored.value(name) == identity)
                continue;
            repo::Repository r2 = *repo;
            const QString server = o.push.server;
            const int level = o.push.compressionLevel;
            flying.push_back({name, identity, std::async(std::launch::async, [r2, server, path, level]() mutable {
                                  return ArchivePush::pushOne(r2, server, path, level);
                              })});
            started = true;
        }
        if (started || !flying.empty())
            idle.restart();
        else if (idle.elapsed() >= qint64(o.idleExitS) * 1000)
            break;
        QThread::msleep(flying.empty() ? 50 : 2);
    }
    for (InFlight &f : flying)
        (void)f.result.get();  // cancelled: let them finish, acknowledge nothing more
    // Acknowledgements PostgreSQL no longer needs (its file is no longer ready) are not left to pile up.
    for (const QString &f : QDir(spool).entryList({QStringLiteral("*.ok"), QStringLiteral("*.error")}, QDir::Files)) {
        const QString name = f.left(f.lastIndexOf(QLatin1Char('.')));
        if (!QFileInfo::exists(status.filePath(name + QStringLiteral(".ready"))))
            QFile::remove(spool + QLatin1Char('/') + f);
    }
    logLine(spool, QStringLiteral("pusher exits after %1 file(s)").arg(pushed));
    progress.progress(1, 1);
    return {};
}

} // namespace pga::engine
