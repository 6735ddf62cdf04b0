#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/WalArchive.h"

#include <QString>

namespace pga::engine {

struct ArchivePushOptions {
    QString repoDir;
    QString server;
    QString walPath;           // %p: a segment, .partial, .history or .backup file
    int compressionLevel = 1;  // zstd level; 1 keeps a 16 MiB segment well under 25 ms
    // Also push up to this many segments that PostgreSQL has marked ready (pg_wal/archive_status/*.ready)
    // after this one, in parallel; PostgreSQL's own call for such a segment then only checks that the file is the
    // one pushed (device, inode, size, mtime; marker in pg_wal/.pgarchivist-ahead). 0: off.
    int pushAhead = 0;
};

struct ArchivePushResult {
    QString name;
    repo::WalArchive::Stored outcome = repo::WalArchive::Stored::New;
    qint64 size = 0;
    qint64 storedSize = 0;
    int pushedAhead = 0;
    bool acknowledgedAhead = false;  // pushed ahead by an earlier call: only its identity was checked
};

// What identifies the file PostgreSQL passes (device, inode, size, mtime): a recycled or restored file gets a new one.
QString walSourceIdentity(const QString &path, qint64 *size = nullptr);
// A short tag naming the repository and server a push goes to (so acknowledgements for one never count for another).
QString archiveTargetTag(const repo::Repository &repo, const QString &server);
// The same from the repository as given (made absolute, or an s3:// URL without trailing '/', as Repository::root()
// would be), for a caller that must not wait for the repository to be opened.
QString archiveTargetTag(const QString &repoDir, const QString &server);

// archive_command: stores one WAL file durably (exit 0 only after the file and its directory are fsynced).
// Refuses WAL from another cluster than the one recorded for the server name (the first push records it),
// and different content under an existing name (possible split brain).
class ArchivePush {
public:
    explicit ArchivePush(ArchivePushOptions options) : m_options(std::move(options)) {}
    Result<ArchivePushResult> run(ProgressSink &progress, const CancelToken &cancel);

    // One file, without push-ahead (used for the file itself and for each file pushed ahead).
    static Result<ArchivePushResult> pushOne(repo::Repository &repo, const QString &server, const QString &path,
                                             int level);
    // The same for bytes in memory (wal-receive's completed segments); `path` only names the source in errors.
    static Result<ArchivePushResult> pushData(repo::Repository &repo, const QString &server, const QString &fileName,
                                              const char *data, size_t size, int level, const QString &path);

private:
    ArchivePushOptions m_options;
};

} // namespace pga::engine
