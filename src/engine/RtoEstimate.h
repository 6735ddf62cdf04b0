#pragma once

#include "Restore.h"

#include <QList>
#include <QString>

#include <optional>

namespace pga::engine {

// What restores and replays measured on this host, kept in the app's state directory so that an estimate is
// made from what this machine did: the last few of each, bytes per second.
struct HostRates {
    QList<double> restoreBytesPerSec;  // newest last
    QList<double> replayBytesPerSec;
    double calibratedRestoreBytesPerSec = 0;  // a calibration, used until a restore is measured

    static QString defaultPath();      // $XDG_DATA_HOME/pgarchivist/host-rates.json
    static HostRates load(const QString &path);  // empty when absent or unreadable
    Status save(const QString &path) const;
    void addRestore(qint64 bytes, double seconds);
    void addReplay(qint64 bytes, double seconds);
    std::optional<double> restoreRate() const;   // the median
    std::optional<double> replayRate() const;
};

// The recovery time objective of one restore: the backup `restore` would choose (same rules, same refusals),
// the bytes to write and the WAL to replay, and the time each takes at this host's measured rates. With none
// measured yet, restore speed comes from a short calibration (reading, checking and writing 64 MiB of the
// backup's own chunks) and replay speed from a stated assumption; `basis` says which.
struct RtoEstimate {
    QString backup;
    qint64 restoreBytes = 0;
    qint64 replayWalBytes = 0;
    double restoreSeconds = 0;
    double replaySeconds = 0;
    double totalSeconds() const { return restoreSeconds + replaySeconds; }
    QString basis;
    bool calibratedNow = false;  // rates gained a calibration: the caller saves them, so the next estimate needs none
};

// With no restore measured, the first call calibrates and keeps the result in rates (calibratedNow), so the
// wizard's estimate on every change of target does not read and write 64 MiB each time.
Result<RtoEstimate> estimateRecovery(const RestoreOptions &options, HostRates &rates, ProgressSink &progress, const CancelToken &cancel);

// Replay rate assumed until this host measured one (PostgreSQL's redo of ordinary WAL on one core).
constexpr double kAssumedReplayBytesPerSec = 64.0 * (1 << 20);

} // namespace pga::engine
