#pragma once

#include "core/Result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace pga::cli {

// --conninfo CONNINFO or --server NAME (a server registered in the GUI's registry, or in the file
// PGARCHIVIST_REGISTRY names). Passwords still come from libpq's own sources (PGPASSWORD, ~/.pgpass,
// pg_service.conf): the CLI never reads the desktop keychain.
void addConnectionOptions(QCommandLineParser &p);
Result<QString> connectionFromOptions(const QCommandLineParser &p);

} // namespace pga::cli
