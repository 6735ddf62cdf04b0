#pragma once

#include "WalArchive.h"
#include "core/WalActivity.h"

namespace pga::repo {

// The blunder finder's per-segment cache (docs/repository-format.md, "WAL scan cache"):
// servers/NAME/walscan/TTTTTTTT/FILE.act holds what scanActivity read from that archived file, keyed by the
// file's SHA-256, so a second scan of the same WAL reads a few kilobytes per segment instead of 16 MiB.
class WalScanCache {
public:
    explicit WalScanCache(const WalArchive &archive) : m_archive(archive) {}

    QString pathFor(const WalFileMeta &m) const;
    // From the cache when it holds this very file, else read from the archive (verified) and cached when this
    // process may write the repository. A damaged cache entry is read again from the WAL, never trusted.
    Result<wal::SegmentActivity> activity(const WalFileMeta &m, bool *fromCache = nullptr) const;
    // The same into `out`, reusing its storage from the previous call (a scan's loop).
    Status read(const WalFileMeta &m, wal::SegmentActivity &out, bool *fromCache = nullptr) const;

private:
    const WalArchive &m_archive;
    mutable QByteArray m_scratch;
};

} // namespace pga::repo
