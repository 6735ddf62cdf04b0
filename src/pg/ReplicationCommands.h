#pragma once

#include "Connection.h"
#include "core/CancelToken.h"
#include "core/Result.h"

#include <libpq-fe.h>

#include <QStringList>

// The simple-protocol plumbing the replication commands share (BASE_BACKUP, IDENTIFY_SYSTEM, START_REPLICATION...).
namespace pga::pg::detail {

QString pgError(PGconn *c);
Error lost(PGconn *c, const QString &what);
// Waits for the next result of a simple-protocol command without blocking on the cancel token.
Result<PGresult *> nextResult(Connection &conn, const CancelToken &cancel);
Status sendSimple(Connection &conn, const QString &cmd, const CancelToken &cancel);
Error resultError(PGresult *r, const QString &what);
void drain(Connection &conn, const CancelToken &cancel);
// Runs a command that answers with (at most) one row; drains every result so the connection is ready for the next
// command, and returns the row's values (empty when there was none).
Result<QStringList> singleRowCommand(Connection &conn, const QString &cmd, const QString &what, const CancelToken &cancel);

} // namespace pga::pg::detail
