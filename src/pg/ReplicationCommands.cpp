#include "ReplicationCommands.h"

#include <optional>

namespace pga::pg::detail {

QString pgError(PGconn *c) { return QString::fromUtf8(PQerrorMessage(c)).trimmed(); }

Error lost(PGconn *c, const QString &what)
{
    return Error(Error::Code::Connection, QStringLiteral("The replication connection failed while %1.").arg(what), pgError(c));
}

// Waits for the next result of a simple-protocol command without blocking on the cancel token.
Result<PGresult *> nextResult(Connection &conn, const CancelToken &cancel)
{
    PGconn *c = conn.native();
    while (PQisBusy(c)) {
        if (Status w = conn.waitForSocket(false, &cancel, 0); !w)
            return w.error();
        if (!PQconsumeInput(c))
            return lost(c, QStringLiteral("waiting for the server"));
    }
    return PQgetResult(c);
}

Status sendSimple(Connection &conn, const QString &cmd, const CancelToken &cancel)
{
    PGconn *c = conn.native();
    if (!PQsendQuery(c, cmd.toUtf8().constData()))
        return lost(c, QStringLiteral("sending %1").arg(cmd.section(QLatin1Char(' '), 0, 0)));
    while (PQflush(c) == 1)
        if (Status w = conn.waitForSocket(true, &cancel, 0); !w)
            return w;
    return {};
}

Error resultError(PGresult *r, const QString &what)
{
    const QString msg = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
    Error::Code code = Error::Code::Query;
    if (msg.contains(QLatin1String("permission")) || msg.contains(QLatin1String("must be superuser or replication")))
        code = Error::Code::Authentication;
    return Error(code, QStringLiteral("The server refused %1: %2").arg(what, msg), msg);
}

void drain(Connection &conn, const CancelToken &cancel)
{
    for (;;) {
        auto r = nextResult(conn, cancel);
        if (!r || !*r)
            return;
        PQclear(*r);
    }
}

// Runs a replication-protocol command that answers with one row; drains every result so the
// connection is ready for the next command, and returns the row's values (empty when there was none).
Result<QStringList> singleRowCommand(Connection &conn, const QString &cmd, const QString &what,
                                     const CancelToken &cancel)
{
    if (Status s = sendSimple(conn, cmd, cancel); !s)
        return s.error();
    QStringList row;
    std::optional<Error> err;
    for (;;) {
        auto r = nextResult(conn, cancel);
        if (!r)
            return r.error();
        if (!*r)
            break;
        if (PQresultStatus(*r) == PGRES_TUPLES_OK && PQntuples(*r) == 1) {
            row.clear();
            for (int i = 0; i < PQnfields(*r); ++i)
                row << QString::fromUtf8(PQgetvalue(*r, 0, i));
        } else if (PQresultStatus(*r) != PGRES_COMMAND_OK && PQresultStatus(*r) != PGRES_TUPLES_OK && !err) {
            err = resultError(*r, what);
        }
        PQclear(*r);
    }
    if (err)
        return *err;
    return row;
}


} // namespace pga::pg::detail
