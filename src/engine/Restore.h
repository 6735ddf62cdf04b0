#pragma once

#include "core/CancelToken.h"
#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/BackupManifest.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace pga::engine {

struct RecoveryTarget {
    enum class Kind { EndOfWal, Immediate, Time, Lsn, Xid, Name };
    Kind kind = Kind::EndOfWal;
    QDateTime time;              // with the zone (offset) the user gave, to the millisecond
    int timeMicros = 0;          // the microseconds below time's millisecond (0..999): PostgreSQL counts in µs
    pga::Lsn lsn;
    QString text;                // xid or restore point name
    QString timeline;            // latest | current | N (empty: PostgreSQL's default, latest)
    QString action;              // pause | promote | shutdown (empty: PostgreSQL's default, pause)
    bool exclusive = false;

    // "2026-11-24 14:03:00+01", "2026-11-24T14:03:00+01:00", "2026-11-24 13:03:00Z"; without a zone the
    // local time zone is taken. Up to six fraction digits; those below the millisecond go to *micros.
    // Invalid QDateTime when unparseable.
    static QDateTime parseTime(const QString &text, int *micros = nullptr);
    // How PostgreSQL reads it back: "2026-11-24 14:03:00.000123+01:00".
    static QString formatTime(const QDateTime &t, int micros = 0);
    // The target time in µs since the epoch (UTC), as WAL commit records carry it.
    qint64 timeUs() const { return time.toMSecsSinceEpoch() * 1000 + timeMicros; }
    QString describe() const;
};

struct RestoreOptions {
    QString repoDir;
    QString server;
    QString targetDir;
    QString backupId;                          // empty: the newest backup that ends before the target
    RecoveryTarget target;
    bool delta = false;                        // reuse files in targetDir whose chunks match
    QList<QPair<QString, QString>> tablespaceMap;  // OLD location -> NEW
    QString owner;                             // as root: owner of the restored files (default postgres)
    int jobs = 2;
    QString cliPath;                           // for restore_command; empty: found next to us / on PATH
    bool standby = false;                      // standby.signal instead of recovery.signal (standby create)
    QStringList extraSettings;                 // written after the recovery settings (primary_conninfo, ...)
};

struct RestoreResult {
    QString backupId;
    qint64 bytesWritten = 0;
    qint64 bytesReused = 0;
    int files = 0;
    QStringList recoverySettings;
    pga::Lsn replayFrom;  // the backup's start: where replay begins
    pga::Lsn replayTo;    // the target's position when known (LSN, restore point, transaction), else the end of the WAL
};

// What a restore would do, decided before anything is written: the backup and where replay goes.
struct RestorePlan {
    QString backupId;
    repo::BackupManifest manifest;
    pga::Lsn replayFrom;  // the backup's start
    pga::Lsn replayTo;    // the target's position when known, else the end of the archived WAL
};

// Materializes a backup into a data directory (in parallel, every chunk verified), writes recovery.signal and
// the recovery settings (restore_command = our archive-get) into postgresql.auto.conf. Refuses a target
// before the backup's end or beyond the archived WAL, naming the recoverable window.
class Restore {
public:
    explicit Restore(RestoreOptions o) : m_o(std::move(o)) {}
    // Chooses the backup and checks the target against the archive (every refusal happens here).
    Result<RestorePlan> plan(ProgressSink &progress, const CancelToken &cancel) const;
    Result<RestoreResult> run(ProgressSink &progress, const CancelToken &cancel);

private:
    RestoreOptions m_o;
};

// The recovery_target* parameters (and timeline, action, inclusive) for a target, unquoted: what restore writes into
// postgresql.auto.conf and standby stop-before sets with ALTER SYSTEM.
QList<QPair<QString, QString>> recoveryTargetParameters(const RecoveryTarget &t);
// A value for postgresql.conf: single-quoted, quotes doubled.
QString quoteConf(const QString &v);

} // namespace pga::engine
