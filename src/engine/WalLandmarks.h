#pragma once

#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/WalParser.h"
#include "repo/WalArchive.h"

#include <QList>

#include <optional>

namespace pga::engine {

// Recovery landmarks of a server's archived WAL: the restore points a --target-name can name and the end of
// the transaction a --target-xid names. Read from the metadata archive-push records in each file (no WAL is
// read); files archived before that was recorded are decompressed and scanned instead.

struct ArchivedRestorePoint {
    wal::RestorePoint point;
    quint32 timeline = 0;
    QString segment;  // the archived file it is in
};

// Every restore point, in WAL order per timeline (timelines ascending), reading the archive one header at a
// time (memory does not grow with the archive).
Result<QList<ArchivedRestorePoint>> listRestorePoints(const repo::WalArchive &archive, const CancelToken *cancel = nullptr);
// The same from headers already read.
Result<QList<ArchivedRestorePoint>> listRestorePoints(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files,
                                                      const CancelToken *cancel = nullptr);

// The commit or abort of top-level transaction xid (32 bits: the epoch is not in WAL) in segments on
// timelines >= timeline that start at or after from; nullopt when no archived WAL has it.
Result<std::optional<wal::XactOutcome>> findTransaction(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files,
                                                        quint32 xid, quint32 timeline, Lsn from, const CancelToken *cancel = nullptr);

// Where a --target-name or --target-xid is in the WAL after `from` (the end of the oldest backup, on its timeline
// or later ones): the last restore point of that name, or the commit of that transaction. InvalidArgument,
// listing the restore points there are, for a name the WAL does not hold; for a transaction with no commit or
// abort there, or one that was rolled back (saying so). *warning: more than one restore point of that name.
Result<Lsn> locateTarget(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files, bool byName, const QString &text,
                         quint32 timeline, Lsn from, QString *warning, const CancelToken *cancel = nullptr);

// A --target-xid as PostgreSQL reads it: a 32-bit xid, or pg_current_xact_id()'s 64-bit form (epoch << 32 | xid),
// decimal or 0x hex. nullopt for anything else (and for 0-2, which name no transaction).
std::optional<quint32> parseTargetXid(const QString &text, quint32 *epoch = nullptr);

} // namespace pga::engine
