#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>

namespace pga::engine {

struct ArchiveGetOptions {
    QString repoDir;
    QString server;
    QString walName;        // %f
    QString destPath;       // %p (relative to the data directory, where PostgreSQL runs the command)
    int prefetch = 4;       // segments to decompress ahead into the spool; 0: off
    QString spoolDir;       // default: DEST's directory + "/.pgarchivist-prefetch" (pg_wal, same file system)
    QString workerProgram;  // program started detached to prefetch (the CLI itself); empty: no prefetch
};

struct ArchiveGetResult {
    bool fromSpool = false;
    qint64 size = 0;
    bool prefetchStarted = false;
    bool fromPartial = false;  // the segment's .partial (streamed or left by a promotion), zero-filled
};

// restore_command: NotFound when the file is not in the repository (PostgreSQL then tries elsewhere or
// ends recovery), Corrupt when the archived copy fails its checksum (recovery must stop, not end early).
// DEST is written under a temporary name and renamed; PostgreSQL itself fsyncs what it keeps.
class ArchiveGet {
public:
    explicit ArchiveGet(ArchiveGetOptions options) : m_options(std::move(options)) {}
    Result<ArchiveGetResult> run(ProgressSink &progress, const CancelToken &cancel);

    // The prefetch worker: fills the spool with the `count` segments after walName that the repository
    // has, verified, then exits. Only one worker per spool runs at a time (flock); others return at once.
    static Status prefetch(const QString &repoDir, const QString &server, const QString &walName,
                           const QString &spoolDir, int count, const CancelToken &cancel);

    static QString defaultSpoolDir(const QString &destPath);
    // Where this boot's spooled copies live: spooled files are not fsynced (that cost a 16 MiB write-back per
    // segment), so copies from before a host crash could be incomplete and are never used.
    static QString bootSpoolDir(const QString &spoolDir);

private:
    ArchiveGetOptions m_options;
};

} // namespace pga::engine
