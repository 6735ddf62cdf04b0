#pragma once

#include "ArchivePush.h"

#include <QString>

namespace pga::engine {

// archive-push --async, as pgBackRest's asynchronous archiving: PostgreSQL's call for a segment returns at once when
// a background pusher (one per repository and server, started on demand) has already stored it, and otherwise waits
// for it. The pusher reads pg_wal/archive_status/*.ready itself and pushes what is ready, several files in parallel
// over one set of connections, writing an acknowledgement NAME.ok into the spool after each is in the repository
// (the same pushOne as the synchronous push: stored, checksum confirmed). So PostgreSQL is told success only for
// files in the repository; the spool holds acknowledgements only, never WAL, and losing it loses nothing (a file
// is pushed again and found identical).
struct AsyncPushOptions {
    ArchivePushOptions push;
    QString spoolDir;          // default: pg_wal/.pgarchivist-async
    int timeoutS = 60;         // how long PostgreSQL's call waits for its file before it reports a failure
    int jobs = 4;              // files the pusher stores at once
    int idleExitS = 10;        // the pusher exits after this long with nothing ready
    QString workerProgram;     // pgarchivist-cli, to start the pusher
    QStringList workerArgs;    // its arguments after the program (the same repository, server and options)
};

// PostgreSQL's call: acknowledged (exit 0) only when the pusher stored the file; Timeout when it did not in time.
// It does not open the repository itself (a round trip to object storage per call is what async avoids): the pusher
// does, and says why when it cannot (SPOOL/pusher.error), which the waiting call reports at once.
Result<ArchivePushResult> pushAsync(const AsyncPushOptions &options, ProgressSink &progress, const CancelToken &cancel);

// The background pusher (archive-push --async-worker): runs until nothing was ready for idleExitS. Exits at once when
// another pusher holds the spool's lock.
Status runAsyncPusher(const AsyncPushOptions &options, ProgressSink &progress, const CancelToken &cancel);

// Where the acknowledgements of this repository and server live.
QString asyncSpoolFor(const AsyncPushOptions &options);

} // namespace pga::engine
