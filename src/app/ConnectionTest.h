#pragma once

#include "JobRunner.h"
#include "pg/ServerFacts.h"

#include <memory>

namespace pga::app {

// Connects as the GUI would and reads the server's facts. Honours cancel (PQcancel underneath)
// and the conninfo's connect_timeout (10 s when it names none).
Result<pg::ServerFacts> testConnection(const pg::ConnectOptions &options, const CancelToken &cancel);

// The same as job work for JobRunner; the facts land in *out when it succeeds.
JobWork connectionTestWork(pg::ConnectOptions options, std::shared_ptr<pg::ServerFacts> out);

// One line for a person: "PostgreSQL 15.4, primary, checksums on".
QString describeFacts(const pg::ServerFacts &facts);

} // namespace pga::app
