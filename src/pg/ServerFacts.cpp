#include "ServerFacts.h"

#include <algorithm>

namespace pga::pg {

Result<ServerFacts> readServerFacts(Connection &conn, const CancelToken *cancel)
{
    // pg_control_system() needs no special privilege since PostgreSQL 10 for most roles; fall back
    // to leaving the identifier 0 when a restricted role cannot call it.
    auto r = conn.exec(QStringLiteral(
                           "SELECT version(), current_setting('server_version_num'), pg_is_in_recovery(), "
                           "current_setting('data_checksums') = 'on', "
                           "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END, "
                           "current_user, current_database()"),
                       {}, cancel, 15000);
    if (!r)
        return r.error();
    ServerFacts f;
    f.versionString = r->value(0, 0);
    f.versionNum = r->value(0, 1).toInt();
    f.inRecovery = r->value(0, 2) == QLatin1String("t");
    f.dataChecksums = r->value(0, 3) == QLatin1String("t");
    if (auto lsn = Lsn::parse(r->value(0, 4)))
        f.currentLsn = *lsn;
    f.user = r->value(0, 5);
    f.database = r->value(0, 6);

    auto sys = conn.exec(QStringLiteral("SELECT system_identifier FROM pg_control_system()"), {}, cancel, 15000);
    if (sys && sys->rowCount() == 1)
        f.systemIdentifier = sys->value(0, 0).toULongLong();
    auto tli = conn.exec(QStringLiteral("SELECT timeline_id FROM pg_control_checkpoint()"), {}, cancel, 15000);
    if (tli && tli->rowCount() == 1)
        f.timeline = tli->value(0, 0).toInt();
    auto reps = conn.exec(QStringLiteral("SELECT coalesce(application_name, ''), coalesce(host(client_addr), 'local'), coalesce(state, ''), "
                                         "coalesce(sync_state, ''), coalesce(sent_lsn::text, ''), coalesce(flush_lsn::text, ''), "
                                         "coalesce(replay_lsn::text, ''), coalesce(extract(epoch FROM replay_lag)::text, '') "
                                         "FROM pg_stat_replication WHERE state IS NOT NULL ORDER BY 1"),
                          {}, cancel, 15000);
    for (int i = 0; reps && i < reps->rowCount(); ++i) {
        ReplicaState r;
        r.applicationName = reps->value(i, 0);
        r.client = reps->value(i, 1);
        r.state = reps->value(i, 2);
        r.syncState = reps->value(i, 3);
        r.sentLsn = Lsn::parse(reps->value(i, 4)).value_or(Lsn());
        r.flushLsn = Lsn::parse(reps->value(i, 5)).value_or(Lsn());
        r.replayLsn = Lsn::parse(reps->value(i, 6)).value_or(Lsn());
        bool ok = false;
        const double lag = reps->value(i, 7).toDouble(&ok);
        r.replayLagSeconds = ok ? lag : -1;
        f.replicas << r;
    }
    if (f.inRecovery) {
        auto up = conn.exec(QStringLiteral("SELECT coalesce(sender_host, '') || ':' || coalesce(sender_port::text, '') || ' (' || status || ')' "
                                           "FROM pg_stat_wal_receiver"),
                            {}, cancel, 15000);
        if (up && up->rowCount() == 1)
            f.upstream = up->value(0, 0);
        auto delay = conn.exec(QStringLiteral("SELECT current_setting('recovery_min_apply_delay'), "
                                              "pg_wal_lsn_diff(greatest(pg_last_wal_receive_lsn(), (SELECT latest_end_lsn FROM pg_stat_wal_receiver)), "
                                              "pg_last_wal_replay_lsn())::bigint, "
                                              "extract(epoch FROM now() - pg_last_xact_replay_timestamp())"),
                               {}, cancel, 15000);
        if (delay && delay->rowCount() == 1) {
            f.applyDelay = delay->value(0, 0);
            if (!delay->isNull(0, 1))
                f.replayBehindBytes = std::max<qint64>(0, delay->value(0, 1).toLongLong());
            if (f.replayBehindBytes > 0 && !delay->isNull(0, 2))
                f.replayBehindSeconds = delay->value(0, 2).toDouble();
        }
    }
    return f;
}

} // namespace pga::pg
