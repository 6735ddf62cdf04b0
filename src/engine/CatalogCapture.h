#pragma once

#include "core/CancelToken.h"
#include "core/CatalogSnapshot.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::engine {

// Reads a catalog snapshot from a running server: its databases and, in each database it may connect to, every
// relation with its file (pg_relation_filenode), schema, name, kind, TOAST table and row estimate. A database it
// cannot read is recorded as incomplete with the reason (and named in *warnings), never fatal.
Result<CatalogSnapshot> captureCatalog(const QString &conninfo, const QString &password, const CancelToken &cancel,
                                       QStringList *warnings = nullptr);

// `catalog-snapshot` and the app's sampler: captures and adds a rolling snapshot to the repository (a new file
// only when the catalog changed). WrongCluster when the server is not the one the repository records under that
// name. True when a file was written.
Result<bool> recordCatalogSnapshot(const QString &repoDir, const QString &server, const QString &conninfo, const QString &password,
                                   ProgressSink &progress, const CancelToken &cancel);

} // namespace pga::engine
