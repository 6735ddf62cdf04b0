#include "ServerFacts.h"

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
    return f;
}

} // namespace pga::pg
