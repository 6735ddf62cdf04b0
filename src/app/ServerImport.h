#pragma once

#include "ServerEntry.h"
#include "core/Result.h"

#include <QStringList>

namespace pga::app {

struct ImportResult {
    QList<ServerEntry> servers;   // not yet saved: the caller picks which to register
    QStringList warnings;         // entries skipped or changed, and why
};

// $PGSERVICEFILE, or ~/.pg_service.conf: the file libpq reads for "service=NAME".
QString defaultPgServiceFile();

// Reads a pg_service.conf. Entries from the file libpq reads anyway become "service=NAME" so the
// file stays the single source; entries from another file are spelled out (without passwords).
Result<ImportResult> importPgServiceFile(const QString &path);

// Reads a pgAdmin 4 "servers.json" export (Servers → Name, Group, Host, Port, MaintenanceDB,
// Username, SSLMode, Service, and pgAdmin 7's ConnectionParameters).
Result<ImportResult> importPgAdminServers(const QString &path);

} // namespace pga::app
