#include "Restore.h"
#include "Standby.h"

#include "core/TimeText.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

namespace {

QString sqlLiteral(const QString &v)
{
    QString s = v;
    s.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

// An empty file owned like the data directory (the server must be able to remove it).
Status touchOwned(const QString &path, const QString &dataDir)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(path), f.errorString());
    f.close();
    struct stat st {};
    if (::stat(QFile::encodeName(dataDir).constData(), &st) == 0 && ::geteuid() == 0)
        (void)::chown(QFile::encodeName(path).constData(), st.st_uid, st.st_gid);
    ::chmod(QFile::encodeName(path).constData(), 0600);
    return {};
}

} // namespace

Result<StopBeforeResult> stopStandbyBefore(const StopBeforeOptions &o, const RecoveryTarget &target, ProgressSink &progress,
                                           const CancelToken &cancel)
{
    if (target.kind != RecoveryTarget::Kind::Time && target.kind != RecoveryTarget::Kind::Xid && target.kind != RecoveryTarget::Kind::Lsn)
        return Error(Error::Code::InvalidArgument, QStringLiteral("stop-before needs a target time, xid or LSN."));
    auto conn = pg::Connection::connect({o.conninfo, o.password}, &cancel);
    if (!conn)
        return conn.error();
    auto st = standbyStatus(o.conninfo, o.password, cancel);
    if (!st)
        return st.error();
    if (!st->inRecovery)
        return Error(Error::Code::InvalidArgument, QStringLiteral("The server is not a standby (it is not in recovery): it has applied everything already."));
    QString dataDir = o.dataDir;
    if (dataDir.isEmpty()) {
        auto d = (*conn)->exec(QStringLiteral("SHOW data_directory"), {}, &cancel, 30000);
        if (!d)
            return Error(d.error().code, QStringLiteral("Cannot ask the standby for its data directory (%1); give it with --data-dir.").arg(d.error().message));
        dataDir = d->value(0, 0);
    }
    if (!QFileInfo::exists(dataDir + QStringLiteral("/standby.signal")))
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 has no standby.signal: stop-before needs the standby's data directory on "
                                                                  "this host (--data-dir).").arg(dataDir));

    // We must be able to restart it: its data directory writable here (root, or its owner).
    if (::access(QFile::encodeName(dataDir).constData(), W_OK) != 0)
        return Error(Error::Code::Permission, QStringLiteral("%1 is not writable for this user: run stop-before as root or as the standby's "
                                                             "server user, on its host.").arg(dataDir));

    // Replay stops first, so nothing more is applied while we check and prepare. Every way out until the restart undoes
    // what was set and lets replay go on, so the replica is as it was.
    if (auto p = (*conn)->exec(QStringLiteral("SELECT pg_wal_replay_pause()"), {}, &cancel, 30000); !p)
        return p.error();
    progress.info(QStringLiteral("Replay paused at %1.").arg(st->replayLsn.toString()));
    QStringList setNames;
    auto resume = [&](const Error &why) -> Error {
        for (const QString &name : std::as_const(setNames))
            (void)(*conn)->exec(QStringLiteral("ALTER SYSTEM RESET %1").arg(name), {}, nullptr, 30000);
        (void)(*conn)->exec(QStringLiteral("SELECT pg_wal_replay_resume()"), {}, nullptr, 30000);
        return why;
    };
    auto after = standbyStatus(o.conninfo, o.password, cancel);
    if (!after)
        return resume(after.error());
    if (target.kind == RecoveryTarget::Kind::Lsn && after->replayLsn >= target.lsn)
        return resume(Error(Error::Code::InvalidArgument,
                            QStringLiteral("Too late: the standby has replayed to %1, past %2. Restore from the repository to that point instead "
                                           "(restore --target-lsn %2 --target-exclusive).")
                                .arg(after->replayLsn.toString(), target.lsn.toString())));
    if (target.kind == RecoveryTarget::Kind::Time && after->lastReplayedCommit
        && after->lastReplayedCommit->toMSecsSinceEpoch() * 1000 >= target.timeUs())
        return resume(Error(Error::Code::InvalidArgument,
                            QStringLiteral("Too late: the standby has replayed a commit of %1, at or after %2. Restore from the repository to that "
                                           "moment instead (restore --target-time ... --target-exclusive).")
                                .arg(timestampText(after->lastReplayedCommit->toLocalTime()), target.describe())));
    if (target.kind == RecoveryTarget::Kind::Xid) {
        // The transaction's fate as this standby knows it: committed means it is applied already.
        auto fate = (*conn)->exec(QStringLiteral("SELECT coalesce(txid_status($1::bigint), 'unknown')"), {target.text}, &cancel, 30000);
        if (fate && fate->value(0, 0) == QLatin1String("committed"))
            return resume(Error(Error::Code::InvalidArgument,
                                QStringLiteral("Too late: the standby has applied transaction %1 already. Restore from the repository to just before it "
                                               "instead (restore --target-xid %1 --target-exclusive).").arg(target.text)));
    }

    RecoveryTarget t = target;
    t.exclusive = true;
    t.action = QStringLiteral("promote");
    t.timeline.clear();
    StopBeforeResult result;
    result.lastCommit = after->lastReplayedCommit;
    QStringList statements;
    for (const auto &[name, value] : recoveryTargetParameters(t))
        statements << QStringLiteral("ALTER SYSTEM SET %1 = %2").arg(name, sqlLiteral(value));
    statements << QStringLiteral("ALTER SYSTEM SET recovery_min_apply_delay = 0");
    for (const QString &s : statements) {
        setNames << s.section(QLatin1Char(' '), 3, 3);
        if (auto r = (*conn)->exec(s, {}, &cancel, 30000); !r)
            return resume(r.error());
        result.settings << s.mid(QStringLiteral("ALTER SYSTEM SET ").size());
    }

    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    spec.osUser = QFileInfo(dataDir).owner();
    spec.logFile = dataDir + QStringLiteral("/pgarchivist-standby.log");
    pg::LocalCluster cluster(spec);
    progress.info(QStringLiteral("Restarting the standby in %1 to recover up to, not including, %2 and promote there.").arg(dataDir, target.describe()));
    // recovery.signal first: a moment with neither signal file would start it as a primary that replays everything.
    if (Status s = touchOwned(dataDir + QStringLiteral("/recovery.signal"), dataDir); !s)
        return resume(s.error());
    conn->reset();
    if (Status s = cluster.stop(QStringLiteral("fast"), 120000); !s) {
        QFile::remove(dataDir + QStringLiteral("/recovery.signal"));  // standby.signal wins while both exist, but be plain
        if (auto again = pg::Connection::connect({o.conninfo, o.password}, &cancel)) {
            for (const QString &name : std::as_const(setNames))
                (void)(*again)->exec(QStringLiteral("ALTER SYSTEM RESET %1").arg(name), {}, nullptr, 30000);
            (void)(*again)->exec(QStringLiteral("SELECT pg_wal_replay_resume()"), {}, nullptr, 30000);
        }
        return s.error();
    }
    ::unlink(QFile::encodeName(dataDir + QStringLiteral("/standby.signal")).constData());
    if (Status s = cluster.start(std::max(60, o.waitSec) * 1000); !s)
        return s.error();

    QElapsedTimer waited;
    waited.start();
    for (;;) {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the standby keeps recovering towards the target."));
        auto now = standbyStatus(o.conninfo, o.password, cancel);
        if (now && !now->inRecovery) {
            result.stoppedAt = now->replayLsn;
            result.timeline = now->timeline;
            break;
        }
        if (waited.elapsed() > qint64(o.waitSec) * 1000)
            return Error(Error::Code::Timeout, QStringLiteral("The standby has not promoted within %1 s; see %2.").arg(o.waitSec).arg(spec.logFile),
                         cluster.logTail(20));
        QThread::msleep(200);
    }
    // The promoted server keeps no target settings that a later recovery would obey unasked.
    if (auto c = pg::Connection::connect({o.conninfo, o.password}, &cancel)) {
        for (const auto &[name, value] : recoveryTargetParameters(t))
            (void)(*c)->exec(QStringLiteral("ALTER SYSTEM RESET %1").arg(name), {}, &cancel, 30000);
        (void)(*c)->exec(QStringLiteral("ALTER SYSTEM RESET recovery_min_apply_delay"), {}, &cancel, 30000);
        (void)(*c)->exec(QStringLiteral("SELECT pg_reload_conf()"), {}, &cancel, 30000);
    }
    progress.info(QStringLiteral("Promoted at %1 on timeline %2, just before %3.").arg(result.stoppedAt.toString()).arg(result.timeline).arg(target.describe()));
    return result;
}

} // namespace pga::engine
