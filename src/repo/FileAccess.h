#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <sys/types.h>

namespace pga::repo {

// Reading the repository never turns an error into "nothing there": a directory that cannot be listed, an
// entry that cannot be examined or a dangling link is an error that names the path, its owner and mode, and
// the user running, with what to do. Only ENOENT means absent.

enum class EntryType { Directories, Files };

// Entries of dir of that type, sorted by name; hidden ones (".name") only when asked. A missing dir is an
// empty list when missingIsEmpty, else NotFound.
Result<QStringList> listDirectory(const QString &dir, EntryType type, bool includeHidden = false, bool missingIsEmpty = true);
// The same, entry by entry as read (for directories too large to hold), unsorted.
Status forEachEntry(const QString &dir, EntryType type, bool includeHidden, const std::function<Status(const QString &name)> &fn);
// true or false for present or absent; an error when that cannot be told (a parent not searchable, EIO, a loop).
Result<bool> pathExists(const QString &path);

// Removes a file (an object on object storage); absent is fine.
Status removeFile(const QString &path);
// Removes a directory and everything under it (every object under the prefix); absent is fine.
Status removeTree(const QString &dir);

// What a permission problem needs said: "/r/x is owned by root:root with mode 0750, and this runs as postgres".
// For a path that cannot be reached, the nearest ancestor that exists is described (it is the one that denies).
QString describeAccess(const QString &path);
QString userName(uid_t uid);
QString groupName(gid_t gid);
QString runningUserName();
// EACCES/EPERM: the path, its owner and mode, who we are and what to do; other errno values as ioError.
Error accessError(const QString &what, const QString &path, int savedErrno);

} // namespace pga::repo
