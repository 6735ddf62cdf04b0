#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::engine {

struct RewindOptions {
    QString targetDir;        // the old primary's data directory (stopped)
    QString sourceConninfo;   // the new primary (no password in it: a passfile= or ~/.pgpass)
    QString repoDir, server;  // optional: missing WAL of the old primary comes from this repository (--restore-target-wal)
    QString slot;             // primary_slot_name for the old primary as a standby
    bool configureStandby = true;
    bool start = false;
    QString cliPath;          // for restore_command
};

struct RewindResult {
    QStringList settings;     // written into the old primary's postgresql.auto.conf
    QString log;              // pg_rewind's output
    bool started = false;
};

// Switchback: pg_rewind the old primary onto the new one, then make it a standby of it. Checks first, before anything
// is changed: the old primary is stopped, it has data checksums or wal_log_hints (else pg_rewind cannot know which
// pages changed: Unsupported, naming the new-standby command instead), and the new primary has full_page_writes on and
// is the same cluster.
Result<RewindResult> rewindOldPrimary(const RewindOptions &o, ProgressSink &progress, const CancelToken &cancel);

} // namespace pga::engine
