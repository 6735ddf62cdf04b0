#include "RestoreStart.h"

#include "pg/Connection.h"
#include "pg/LocalCluster.h"
#include "repo/DurableFile.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

namespace pga::engine {

namespace {

struct Replay {
    bool inRecovery = true;
    QString pauseState;
    Lsn lsn;
    std::optional<qint64> xactTimeUs;
};

Result<Replay> poll(pg::Connection &c, const CancelToken &cancel)
{
    auto r = c.exec(QStringLiteral("SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn()::text, ''), "
                                   "(extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000000)::bigint, "
                                   "CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() ELSE '' END"),
                    {}, &cancel, 10000);
    if (!r)
        return r.error();
    Replay p;
    p.inRecovery = r->value(0, 0) == QLatin1String("t");
    p.lsn = Lsn::parse(r->value(0, 1)).value_or(Lsn());
    if (!r->isNull(0, 2))
        p.xactTimeUs = r->value(0, 2).toLongLong();
    p.pauseState = r->value(0, 3);
    return p;
}

} // namespace

Result<StartResult> startRestored(const StartOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    pg::LocalCluster::Spec spec;
    spec.dataDir = o.dataDir;
    spec.socketDir = o.dataDir;  // private to the server's user, like the data directory
    spec.port = o.port > 0 ? o.port : pg::pickFreePort();
    spec.osUser = o.osUser.isEmpty() ? QStringLiteral("postgres") : o.osUser;
    spec.logFile = o.dataDir + QStringLiteral("/pgarchivist-start.log");
    pg::LocalCluster cluster(spec);
    if (Status s = cluster.appendConf({QStringLiteral("# added by pgarchivist-cli restore --start"),
                                       QStringLiteral("port = %1").arg(spec.port), QStringLiteral("listen_addresses = '127.0.0.1'"),
                                       QStringLiteral("unix_socket_directories = '%1'").arg(QString(o.dataDir).replace(QLatin1Char('\''), QLatin1String("''"))),
                                       QStringLiteral("archive_mode = off")});
        !s)
        return s.error();
    StartResult result;
    result.logFile = cluster.logFile();
    auto failed = [&](const QString &what) {
        const QString tail = cluster.logTail(20);
        if (cluster.isRunning())
            (void)cluster.stop(QStringLiteral("immediate"), 30000);
        return Error(Error::Code::Io, QStringLiteral("%1. The server log (%2) ends:\n%3").arg(what, result.logFile, tail));
    };
    progress.info(QStringLiteral("Starting the restored server on 127.0.0.1:%1 (log: %2)").arg(spec.port).arg(result.logFile));
    QElapsedTimer timer;
    timer.start();
    // pg_ctl -w returns once the server accepts connections, which a standby in recovery does when consistent.
    if (Status s = cluster.start(o.timeoutSec > 0 ? o.timeoutSec * 1000 : 24 * 3600 * 1000); !s)
        return failed(QStringLiteral("The restored server did not start"));
    // The copy's superuser is the source's bootstrap superuser: postgres on packaged servers, the initdb user (who
    // owns the data directory) on others. Try each until one is known, or replay could never be followed.
    QStringList users{spec.superuser};
    if (const QString owner = QFileInfo(o.dataDir).owner(); !owner.isEmpty() && !users.contains(owner))
        users << owner;
    int userIndex = 0;
    result.conninfo = cluster.conninfo();
    const QString action = o.action.isEmpty() ? QStringLiteral("pause") : o.action;
    const qint64 span = std::max<qint64>(1, qint64(o.replayTo.value()) - qint64(o.replayFrom.value()));
    std::unique_ptr<pg::Connection> conn;
    Replay last;
    qint64 lastReport = -1000;
    for (;;) {
        if (cancel.isCancelled()) {
            (void)cluster.stop(QStringLiteral("fast"), 60000);
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the restored server was stopped (start it again to go on "
                                                                "recovering)."));
        }
        if (o.timeoutSec > 0 && timer.elapsed() > qint64(o.timeoutSec) * 1000)
            return failed(QStringLiteral("Recovery did not reach its target within %1 s").arg(o.timeoutSec));
        if (!cluster.isRunning()) {
            QFile log(result.logFile);
            const QByteArray text = log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
            if (action == QLatin1String("shutdown") && text.contains("recovery stopping")) {
                result.state = QStringLiteral("shut down");
                result.conninfo.clear();
                break;
            }
            return failed(QStringLiteral("The restored server stopped before recovery reached its target"));
        }
        if (!conn) {
            auto c = pg::Connection::connect({result.conninfo, {}, false, 5}, &cancel);
            if (c) {
                conn = std::move(*c);
            } else if (c.error().toString().contains(QStringLiteral("does not exist"))) {
                if (userIndex + 1 >= users.size())  // waiting longer would wait forever
                    return failed(QStringLiteral("The restored server has none of the roles %1, so its replay cannot be followed; it "
                                                 "was stopped. Start it by hand and connect as the source's superuser")
                                      .arg(users.join(QStringLiteral(", "))));
                pg::LocalCluster::Spec other = spec;
                other.superuser = users[++userIndex];
                result.conninfo = pg::LocalCluster(other).conninfo();
                progress.info(QStringLiteral("The copy has no role %1; following replay as %2").arg(users[userIndex - 1], users[userIndex]));
                continue;
            }
        }
        if (conn) {
            auto p = poll(*conn, cancel);
            if (!p) {
                conn.reset();  // shutting down, or restarting after a crash: look again
            } else {
                last = *p;
                const qint64 done = std::clamp<qint64>(qint64(last.lsn.value()) - qint64(o.replayFrom.value()), 0, span);
                // Not once it runs: a cold backup starts out of recovery, with nothing replayed to report.
                if (last.inRecovery && timer.elapsed() - lastReport >= 1000) {
                    lastReport = timer.elapsed();
                    const double rate = double(done) / std::max(0.001, timer.elapsed() / 1000.0) / (1 << 20);
                    progress.info(QStringLiteral("Replayed to %1 (%2%, %3 MiB/s)")
                                      .arg(last.lsn.toString())
                                      .arg(100 * done / span)
                                      .arg(rate, 0, 'f', 1));
                }
                progress.progress(done, span);
                if (!last.inRecovery) {
                    result.state = QStringLiteral("promoted");
                    break;
                }
                if (last.pauseState == QLatin1String("paused")) {
                    result.state = QStringLiteral("paused");
                    break;
                }
            }
        }
        QThread::msleep(200);
    }
    result.replaySeconds = timer.elapsed() / 1000.0;
    result.reachedLsn = last.lsn;
    result.reachedTimeUs = last.xactTimeUs;
    result.replayedWalBytes = last.lsn.isValid() ? std::max<qint64>(0, qint64(last.lsn.value()) - qint64(o.replayFrom.value())) : 0;
    progress.progress(span, span);
    return result;
}

Status openLocalTrust(const QString &dataDir, const QString &owner)
{
    const QString hba = dataDir + QStringLiteral("/pgarchivist-scratch-hba.conf");
    QFile f(hba);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write("local all all trust\n") < 0 || !f.flush())
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(hba), f.errorString());
    f.close();
    if (pg::runningAsRoot()) {
        const QByteArray user = (owner.isEmpty() ? QStringLiteral("postgres") : owner).toLocal8Bit();
        if (const passwd *pw = ::getpwnam(user.constData()); !pw || ::chown(QFile::encodeName(hba).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return Error(Error::Code::Io, QStringLiteral("Cannot give %1 to %2.").arg(hba, QString::fromLocal8Bit(user)));
    }
    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    return pg::LocalCluster(spec).appendConf({QStringLiteral("# added by pgarchivist for a scratch copy"),
                                              QStringLiteral("hba_file = %1").arg(QLatin1Char('\'') + QString(hba).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\''))});
}

Status removeScratchCopy(const QString &dataDir, const QString &owner, ProgressSink &progress)
{
    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    spec.osUser = owner;
    pg::LocalCluster copy(spec);
    if (QFileInfo::exists(dataDir + QStringLiteral("/postmaster.pid")) && copy.isRunning())
        if (Status stopped = copy.stop(QStringLiteral("immediate"), 60000); !stopped || copy.isRunning()) {
            // Removing the files under a running server would leave it serving deleted files on its port.
            progress.log(ProgressSink::Level::Error, QStringLiteral("The scratch copy in %1 did not stop; it was left in place: stop it "
                                                                    "with pg_ctl -D %1 stop, then remove it.").arg(dataDir));
            return Error(Error::Code::Io, QStringLiteral("The copy in %1 did not stop and was left in place.").arg(dataDir));
        }
    if (QFileInfo::exists(dataDir)) {
        QDir(dataDir).removeRecursively();
        progress.info(QStringLiteral("Removed the scratch copy %1").arg(dataDir));
    }
    return {};
}

QString scratchRoot()
{
    return (::geteuid() == 0 ? QStringLiteral("/var/lib/pgarchivist")
                             : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/pgarchivist"))
        + QStringLiteral("/scratch");
}

Status prepareTargetParent(const QString &targetDir)
{
    const QString parent = QFileInfo(targetDir).absolutePath();
    if (Status s = repo::makeDirectoryDurably(parent); !s)
        return s;
    if (::geteuid() == 0)  // the server's user (postgres) must reach its data directory
        for (QString p = parent; p != QStringLiteral("/var/lib") && p.startsWith(QStringLiteral("/var/lib/pgarchivist")); p = QFileInfo(p).absolutePath())
            (void)::chmod(QFile::encodeName(p).constData(), 0755);
    return {};
}

} // namespace pga::engine
