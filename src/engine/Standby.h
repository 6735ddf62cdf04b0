#pragma once

#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace pga::pg {
class Connection;
}

namespace pga::engine {

struct StandbyCreateOptions {
    QString repoDir;
    QString server;
    QString targetDir;
    QString backupId;          // empty: the newest
    QString primaryConninfo;   // empty: an archive-fed warm standby (restore_command only)
    QString primaryPassword;   // the GUI's keychain password for the checks on the primary; never written anywhere
    QString slot;              // primary_slot_name; created on the primary when missing
    QString delay;             // recovery_min_apply_delay ("10s", "1h"); empty: none
    bool hot = true;           // hot_standby
    int port = 0;              // written as port = N (0: unchanged, or a free one with start)
    bool start = false;
    QString owner;             // as root: owner of the files and the server's OS user (default postgres)
    QString cliPath;
};

struct StandbyCreateResult {
    QString backupId;
    QStringList settings;      // what went into postgresql.auto.conf
    QString conninfo;          // when started: how to reach it
    int port = 0;
};

// standby create: restores the newest backup (or backupId) as a standby: standby.signal, restore_command = our
// archive-get, recovery_target_timeline = latest, and for streaming primary_conninfo and primary_slot_name, with
// recovery_min_apply_delay for a delayed replica and hot_standby on or off. Passwords never go into
// postgresql.auto.conf: a conninfo holding one is refused (a passfile= it names is fine).
Result<StandbyCreateResult> createStandby(const StandbyCreateOptions &o, ProgressSink &progress, const CancelToken &cancel);
// Creates the physical slot on the primary when it has none of that name (immediately reserving WAL).
Status ensurePhysicalSlot(pg::Connection &conn, const QString &slot, ProgressSink &progress, const CancelToken &cancel);

// What a standby says about its replication (standby status).
struct StandbyStatus {
    bool inRecovery = false;
    Lsn receiveLsn, replayLsn, primaryEndLsn;   // primaryEndLsn: the primary's WAL end as the receiver last heard it
    std::optional<QDateTime> lastReplayedCommit;
    QString receiverStatus;                      // streaming | waiting | ... ; empty: no WAL receiver (archive-fed)
    QString primary;                             // host:port the receiver streams from
    QString slot;
    QString delay;                               // recovery_min_apply_delay as the server shows it
    QString replayState;                         // not paused | pause requested | paused
    int timeline = 0;
    qint64 lagBytes() const;
    std::optional<double> lagSeconds(const QDateTime &now) const;  // since the last replayed commit, when behind
    QJsonObject toJson(const QDateTime &now) const;
};
Result<StandbyStatus> standbyStatus(const QString &conninfo, const QString &password, const CancelToken &cancel);

struct PromoteOptions {
    QString conninfo;
    QString password;
    int waitSec = 60;
    bool force = false;
    QString repoDir, server;       // optional: compare the standby's replay with the archive's end
    qint64 maxLagBytes = 16 << 20; // refuse beyond this (unless force)
    bool checkOnly = false;        // say what stands in the way (reasons) and promote nothing
};
struct PromoteResult {
    Lsn replayLsn;
    int timeline = 0;
    bool promoted = false;
    QStringList reasons;           // why not (checkOnly, or what --force overrode)
    StandbyStatus before;          // the standby as it was checked
};
// promote: pg_promote(wait, wait_seconds), after saying why not when the standby is far behind (the archive's end, or
// what its receiver has) or is a delayed replica (promoting applies every pending transaction, a blunder included).
Result<PromoteResult> promoteStandby(const PromoteOptions &o, ProgressSink &progress, const CancelToken &cancel);

} // namespace pga::engine

namespace pga::engine {

struct RecoveryTarget;

struct StopBeforeOptions {
    QString conninfo;          // the standby (a superuser: it pauses replay and runs ALTER SYSTEM)
    QString password;
    QString dataDir;           // default: SHOW data_directory (the standby must be on this host)
    int waitSec = 300;
};
struct StopBeforeResult {
    Lsn stoppedAt;             // where replay ended
    std::optional<QDateTime> lastCommit;
    int timeline = 0;
    QStringList settings;      // what was set for the targeted recovery
};
// standby stop-before: the fast way back from a blunder inside a delayed replica's delay. Pauses replay, refuses
// when the standby has already replayed past the target, sets the target (exclusive, action promote, no delay),
// restarts the standby in targeted recovery (recovery.signal instead of standby.signal) and waits until it promoted
// there. Then resets the target settings so they cannot surprise a later recovery.
Result<StopBeforeResult> stopStandbyBefore(const StopBeforeOptions &o, const RecoveryTarget &target, ProgressSink &progress,
                                           const CancelToken &cancel);

} // namespace pga::engine
