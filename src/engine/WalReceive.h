#pragma once

#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>

namespace pga::engine {

struct WalReceiveOptions {
    QString repoDir;
    QString server;
    QString conninfo;
    QString password;          // from the keychain (GUI); the CLI leaves it to libpq (PGPASSFILE, ~/.pgpass)
    QString slot;              // empty: no slot (the server may remove WAL the receiver has not got yet)
    bool createSlot = false;
    bool synchronous = false;  // acknowledge flush as soon as it is durable, for synchronous_standby_names
    int statusIntervalSec = 10;
    int maxRetryDelaySec = 30;
    int compressionLevel = 1;
    int maxSessions = 0;       // stop after this many connections ended (tests); 0: until cancelled
};

struct WalReceiveResult {
    int segmentsArchived = 0;
    int sessions = 0;
    Lsn flushLsn;
    quint32 timeline = 0;
};

// wal-receive: START_REPLICATION into the repository. The segment being received is appended to
// servers/NAME/stream/SEGMENT.partial and fdatasynced before the position is acknowledged; a completed segment is
// published exactly as archive-push would (same checks: identical content already archived is fine, different
// content is refused). Follows timeline switches (history files are archived), reconnects with backoff, and resumes
// from what is durable. Runs until cancelled or a fatal error (wrong cluster, content conflict, refused login).
class WalReceive {
public:
    explicit WalReceive(WalReceiveOptions options) : m_o(std::move(options)) {}
    Result<WalReceiveResult> run(ProgressSink &progress, const CancelToken &cancel);

    // The name PostgreSQL shows in pg_stat_replication and matches in synchronous_standby_names, unless the conninfo
    // sets application_name.
    static QString applicationName() { return QStringLiteral("pgarchivist_receiver"); }

private:
    WalReceiveOptions m_o;
};

} // namespace pga::engine
