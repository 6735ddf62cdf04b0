#pragma once

#include "Connection.h"
#include "core/Lsn.h"

#include <QList>

namespace pga::pg {

// A row of pg_stat_replication: a standby or WAL receiver streaming from this server.
struct ReplicaState {
    QString applicationName;
    QString client;          // address, or "local"
    QString state;           // streaming | catchup | startup | backup
    QString syncState;       // async | sync | potential | quorum
    Lsn sentLsn, flushLsn, replayLsn;
    double replayLagSeconds = -1;  // -1: unknown (idle, or hidden from the role)
};

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
    QList<ReplicaState> replicas;   // its standbys and receivers (pg_stat_replication; empty when hidden from the role)
    QString upstream;               // a standby's primary as its WAL receiver has it ("host:port (streaming)"); empty: none
    QString applyDelay;             // a standby's recovery_min_apply_delay ("0" when not delayed)
    qint64 replayBehindBytes = -1;  // a standby: WAL received (or known from its primary) and not yet replayed
    double replayBehindSeconds = -1;  // a standby with WAL to replay: since its last replayed commit
};

Result<ServerFacts> readServerFacts(Connection &conn, const CancelToken *cancel = nullptr);

} // namespace pga::pg
