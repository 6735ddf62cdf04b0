#include "Standby.h"

#include "RepoInfo.h"
#include "Restore.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"
#include "repo/Repository.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <QRegularExpression>

namespace pga::engine {

namespace {

QString mb(qint64 b) { return QString::number(double(b) / (1024 * 1024), 'f', 1) + QStringLiteral(" MB"); }

Status checkPrimary(const StandbyCreateOptions &o, quint64 systemIdentifier, ProgressSink &progress, const CancelToken &cancel)
{
    auto conn = pg::Connection::connect({o.primaryConninfo, o.primaryPassword}, &cancel);
    if (!conn)
        return conn.error();
    auto id = (*conn)->exec(QStringLiteral("SELECT system_identifier::text, pg_is_in_recovery() FROM pg_control_system()"), {}, &cancel, 30000);
    if (!id)
        return id.error();
    if (id->value(0, 0).toULongLong() != systemIdentifier)
        return Error(Error::Code::WrongCluster, QStringLiteral("The primary (%1) is cluster %2, but server '%3' in the repository is cluster %4: "
                                                               "a standby made from these backups could never follow it.")
                                                    .arg(o.primaryConninfo, id->value(0, 0), o.server)
                                                    .arg(systemIdentifier));
    if (o.slot.isEmpty())
        return {};
    return ensurePhysicalSlot(**conn, o.slot, progress, cancel);
}

// A 0700 directory owned by `user` (when given: we are root).
Status privateDirectoryFor(const QString &dir, const QString &user)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(dir).constData(), &st) == 0 && !S_ISDIR(st.st_mode))
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 exists and is not a directory (a symbolic link?); remove it first.").arg(dir));
    if (!QDir().mkpath(dir))
        return Error(Error::Code::Io, QStringLiteral("Cannot create %1.").arg(dir));
    if (!user.isEmpty()) {
        const passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
        if (!pw)
            return Error(Error::Code::InvalidArgument, QStringLiteral("The user '%1' does not exist.").arg(user));
        if (::chown(QFile::encodeName(dir).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return Error(Error::Code::Permission, QStringLiteral("Cannot give %1 to %2.").arg(dir, user));
    }
    ::chmod(QFile::encodeName(dir).constData(), 0700);
    return {};
}

} // namespace

Status ensurePhysicalSlot(pg::Connection &conn, const QString &slotName, ProgressSink &progress, const CancelToken &cancel)
{
    auto slot = conn.exec(QStringLiteral("SELECT slot_type FROM pg_replication_slots WHERE slot_name = $1"), {slotName}, &cancel, 30000);
    if (!slot)
        return slot.error();
    if (slot->rowCount() == 1 && slot->value(0, 0) != QLatin1String("physical"))
        return Error(Error::Code::InvalidArgument, QStringLiteral("The primary's slot '%1' is a %2 slot; a standby needs a physical one.")
                                                       .arg(slotName, slot->value(0, 0)));
    if (slot->rowCount() == 0) {
        auto made = conn.exec(QStringLiteral("SELECT pg_create_physical_replication_slot($1, true)"), {slotName}, &cancel, 30000);
        if (!made)
            return made.error();
        progress.info(QStringLiteral("Created the physical replication slot '%1' on the primary: it keeps WAL until the standby has it.").arg(slotName));
    }
    return {};
}

Result<StandbyCreateResult> createStandby(const StandbyCreateOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    if (o.targetDir.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("Give the standby's data directory (--target-dir)."));
    static const QRegularExpression duration(QStringLiteral("^[0-9]+ ?(ms|s|min|h|d)?$"));
    if (!o.delay.isEmpty() && !duration.match(o.delay).hasMatch())
        return Error(Error::Code::InvalidArgument, QStringLiteral("The delay '%1' is not a duration; give it as PostgreSQL does: 30s, 10min, 1h, 1d.").arg(o.delay));
    static const QRegularExpression slotName(QStringLiteral("^[a-z0-9_]{1,63}$"));
    if (!o.slot.isEmpty() && !slotName.match(o.slot).hasMatch())
        return Error(Error::Code::InvalidArgument, QStringLiteral("'%1' is not a replication slot name: lower-case letters, digits and _ only.").arg(o.slot));
    if (!o.slot.isEmpty() && o.primaryConninfo.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("A slot is on the primary: --slot needs --primary-conninfo."));
    if (!o.primaryConninfo.isEmpty()) {
        if (Status s = pg::validateConninfo(o.primaryConninfo); !s)
            return s.error();
        if (!pg::conninfoValue(o.primaryConninfo, QStringLiteral("password")).isEmpty())
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("The primary's conninfo holds a password, which would be written into postgresql.auto.conf. "
                                        "Leave it out and name a passfile instead (passfile=/path/to/pgpass, readable by the "
                                        "standby's server user)."));
    }
    auto repo = repo::Repository::open(o.repoDir);
    if (!repo)
        return repo.error();
    auto rec = repo->server(o.server);
    if (!rec)
        return rec.error();
    if (!o.primaryConninfo.isEmpty())
        if (Status s = checkPrimary(o, rec->systemIdentifier, progress, cancel); !s)
            return s.error();

    RestoreOptions r;
    r.repoDir = o.repoDir;
    r.server = o.server;
    r.targetDir = o.targetDir;
    r.backupId = o.backupId;
    r.owner = o.owner;
    r.cliPath = o.cliPath;
    r.standby = true;
    r.target.timeline = QStringLiteral("latest");
    r.extraSettings << QStringLiteral("hot_standby = %1").arg(o.hot ? QStringLiteral("on") : QStringLiteral("off"));
    if (!o.primaryConninfo.isEmpty()) {
        QString conninfo = o.primaryConninfo;
        if (pg::conninfoValue(conninfo, QStringLiteral("application_name")).isEmpty())
            conninfo += QStringLiteral(" application_name=") + pg::conninfoQuote(o.slot.isEmpty() ? QFileInfo(o.targetDir).fileName() : o.slot);
        r.extraSettings << QStringLiteral("primary_conninfo = %1").arg(quoteConf(conninfo));
    }
    if (!o.slot.isEmpty())
        r.extraSettings << QStringLiteral("primary_slot_name = %1").arg(quoteConf(o.slot));
    if (!o.delay.isEmpty())
        r.extraSettings << QStringLiteral("recovery_min_apply_delay = %1").arg(quoteConf(o.delay));
    const int port = o.port > 0 ? o.port : (o.start ? pg::pickFreePort() : 0);
    if (port > 0)
        r.extraSettings << QStringLiteral("port = %1").arg(port);
    // A socket we know, private to the server's user, beside the data directory rather than in it: a socket file inside
    // would break pg_rewind and copies taken from this server once it is promoted.
    const QString socketDir = QFileInfo(o.targetDir).absoluteFilePath() + QStringLiteral("-socket");
    if (o.start)
        r.extraSettings << QStringLiteral("unix_socket_directories = %1").arg(quoteConf(socketDir));
    auto restored = Restore(r).run(progress, cancel);
    if (!restored)
        return restored.error();
    StandbyCreateResult result;
    result.backupId = restored->backupId;
    result.settings = restored->recoverySettings;
    result.port = port;
    if (!o.start)
        return result;

    pg::LocalCluster::Spec spec;
    spec.dataDir = QFileInfo(o.targetDir).absoluteFilePath();
    spec.socketDir = socketDir;
    spec.osUser = o.owner.isEmpty() ? QStringLiteral("postgres") : o.owner;
    if (Status s = privateDirectoryFor(socketDir, ::geteuid() == 0 ? spec.osUser : QString()); !s)
        return s.error();
    spec.port = port;
    spec.logFile = spec.dataDir + QStringLiteral("/pgarchivist-standby.log");
    pg::LocalCluster cluster(spec);
    progress.info(QStringLiteral("Starting the standby on port %1 (log: %2).").arg(port).arg(spec.logFile));
    if (Status s = cluster.start(300000); !s)
        return s.error();
    result.conninfo = cluster.conninfo();
    progress.info(QStringLiteral("The standby runs: %1").arg(result.conninfo));
    return result;
}

qint64 StandbyStatus::lagBytes() const
{
    const Lsn ahead = std::max(primaryEndLsn, receiveLsn);
    return ahead > replayLsn ? qint64(ahead.value() - replayLsn.value()) : 0;
}

std::optional<double> StandbyStatus::lagSeconds(const QDateTime &now) const
{
    if (lagBytes() == 0)
        return 0.0;
    if (!lastReplayedCommit)
        return std::nullopt;
    return std::max<qint64>(0, lastReplayedCommit->msecsTo(now)) / 1000.0;
}

QJsonObject StandbyStatus::toJson(const QDateTime &now) const
{
    auto lsn = [](Lsn l) { return l.isValid() ? QJsonValue(l.toString()) : QJsonValue(); };
    const auto lag = lagSeconds(now);
    return {{QStringLiteral("in_recovery"), inRecovery},
            {QStringLiteral("receive_lsn"), lsn(receiveLsn)},
            {QStringLiteral("replay_lsn"), lsn(replayLsn)},
            {QStringLiteral("primary_end_lsn"), lsn(primaryEndLsn)},
            {QStringLiteral("last_replayed_commit"),
             lastReplayedCommit ? QJsonValue(lastReplayedCommit->toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()},
            {QStringLiteral("lag_bytes"), lagBytes()},
            {QStringLiteral("lag_seconds"), lag ? QJsonValue(*lag) : QJsonValue()},
            {QStringLiteral("receiver_status"), receiverStatus},
            {QStringLiteral("primary"), primary},
            {QStringLiteral("slot"), slot},
            {QStringLiteral("delay"), delay},
            {QStringLiteral("replay_state"), replayState},
            {QStringLiteral("timeline"), timeline}};
}

Result<StandbyStatus> standbyStatus(const QString &conninfo, const QString &password, const CancelToken &cancel)
{
    auto conn = pg::Connection::connect({conninfo, password}, &cancel);
    if (!conn)
        return conn.error();
    auto r = (*conn)->exec(QStringLiteral(
                               "SELECT pg_is_in_recovery(), coalesce(pg_last_wal_receive_lsn()::text, ''), "
                               "coalesce(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text, ''), "
                               "coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), ''), "
                               "current_setting('recovery_min_apply_delay'), "
                               "CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() ELSE '' END, "
                               "CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint()) "
                               "ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END"),
                           {}, &cancel, 30000);
    if (!r)
        return r.error();
    StandbyStatus s;
    s.inRecovery = r->value(0, 0) == QLatin1String("t");
    s.receiveLsn = Lsn::parse(r->value(0, 1)).value_or(Lsn());
    s.replayLsn = Lsn::parse(r->value(0, 2)).value_or(Lsn());
    if (!r->value(0, 3).isEmpty())
        s.lastReplayedCommit = QDateTime::fromString(r->value(0, 3), Qt::ISODateWithMs);
    s.delay = r->value(0, 4);
    s.replayState = r->value(0, 5);
    s.timeline = r->value(0, 6).toInt();
    auto w = (*conn)->exec(QStringLiteral("SELECT status, coalesce(sender_host, ''), coalesce(sender_port::text, ''), coalesce(slot_name, ''), "
                                          "coalesce(latest_end_lsn::text, '') FROM pg_stat_wal_receiver"),
                           {}, &cancel, 30000);
    if (w && w->rowCount() == 1) {
        s.receiverStatus = w->value(0, 0);
        s.primary = w->value(0, 1) + QLatin1Char(':') + w->value(0, 2);
        s.slot = w->value(0, 3);
        s.primaryEndLsn = Lsn::parse(w->value(0, 4)).value_or(Lsn());
    }
    return s;
}

Result<PromoteResult> promoteStandby(const PromoteOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    auto status = standbyStatus(o.conninfo, o.password, cancel);
    if (!status)
        return status.error();
    if (!status->inRecovery)
        return Error(Error::Code::InvalidArgument, QStringLiteral("The server is not a standby (it is not in recovery): nothing to promote."));
    QStringList reasons;
    if (!o.repoDir.isEmpty()) {
        auto summary = archiveSummary(o.repoDir, o.server);
        if (!summary)
            return summary.error();
        Lsn archiveEnd;
        for (const TimelineSummary &t : summary->first().timelines)
            archiveEnd = std::max(archiveEnd, t.lastLsn);
        if (archiveEnd > status->replayLsn && qint64(archiveEnd.value() - status->replayLsn.value()) > o.maxLagBytes)
            reasons << QStringLiteral("the archive holds WAL up to %1 but the standby has replayed only to %2 (%3 behind); promoting "
                                      "first replays all of it, and whatever it cannot fetch is lost")
                           .arg(archiveEnd.toString(), status->replayLsn.toString(), mb(qint64(archiveEnd.value() - status->replayLsn.value())));
    }
    const bool delayed = !status->delay.isEmpty() && status->delay != QLatin1String("0");
    if (delayed && status->lagBytes() > 0)
        reasons << QStringLiteral("it is a delayed replica (recovery_min_apply_delay = %1) with %2 of WAL not yet applied: promoting applies "
                                  "every pending transaction first, a blunder inside the delay included; to stop before one, use "
                                  "'standby stop-before'")
                       .arg(status->delay, mb(status->lagBytes()));
    else if (status->lagBytes() > o.maxLagBytes)
        reasons << QStringLiteral("it has %1 of received WAL not yet replayed").arg(mb(status->lagBytes()));
    if (o.checkOnly) {
        PromoteResult r;
        r.reasons = reasons;
        r.before = *status;
        r.replayLsn = status->replayLsn;
        r.timeline = status->timeline;
        return r;
    }
    if (!reasons.isEmpty() && !o.force)
        return Error(Error::Code::InvalidArgument, QStringLiteral("Not promoting: %1. Add --force to promote anyway.").arg(reasons.join(QStringLiteral("; "))));
    for (const QString &r : reasons)
        progress.warning(QStringLiteral("Promoting although ") + r + QLatin1Char('.'));

    auto conn = pg::Connection::connect({o.conninfo, o.password}, &cancel);
    if (!conn)
        return conn.error();
    progress.info(QStringLiteral("Promoting the standby (replayed to %1)...").arg(status->replayLsn.toString()));
    auto p = (*conn)->exec(QStringLiteral("SELECT pg_promote(true, $1)"), {QString::number(std::max(1, o.waitSec))}, &cancel,
                           (std::max(1, o.waitSec) + 30) * 1000);
    if (!p)
        return p.error();
    PromoteResult result;
    result.reasons = reasons;
    result.before = *status;
    result.promoted = p->value(0, 0) == QLatin1String("t");
    if (!result.promoted)
        return Error(Error::Code::Timeout, QStringLiteral("The standby did not finish promoting within %1 s; it may still be replaying. "
                                                          "Check it with 'standby status'.").arg(o.waitSec));
    auto after = standbyStatus(o.conninfo, o.password, cancel);
    if (after) {
        result.replayLsn = after->replayLsn;
        result.timeline = after->timeline;
    }
    progress.info(QStringLiteral("Promoted: the server accepts writes on timeline %1.").arg(result.timeline));
    return result;
}

} // namespace pga::engine
