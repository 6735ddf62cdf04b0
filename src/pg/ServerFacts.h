#pragma once

#include "Connection.h"
#include "core/Lsn.h"

namespace pga::pg {

// What every view starts from: which server this is and what state it is in.
struct ServerFacts {
    QString versionString;     // "PostgreSQL 15.4 (Debian ...)"
    int versionNum = 0;        // 150004
    int majorVersion() const { return versionNum / 10000; }
    quint64 systemIdentifier = 0;
    bool inRecovery = false;
    bool dataChecksums = false;
    Lsn currentLsn;            // pg_current_wal_lsn(), or the last replayed LSN in recovery
    int timeline = 0;
    QString user;
    QString database;
};

Result<ServerFacts> readServerFacts(Connection &conn, const CancelToken *cancel = nullptr);

} // namespace pga::pg
