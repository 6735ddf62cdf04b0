#include "Connection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <libpq-fe.h>
#include <poll.h>

#include <mutex>

Q_LOGGING_CATEGORY(lcPg, "pgarchivist.pg")

namespace pga::pg {

namespace {

constexpr int kPollSliceMs = 50;  // how often a blocked wait looks at the cancel token

QString fromPg(const char *s) { return s ? QString::fromUtf8(s).trimmed() : QString(); }

QString describeTarget(PGconn *c, const ConnectOptions &o)
{
    QString host = c ? fromPg(PQhost(c)) : QString();
    QString port = c ? fromPg(PQport(c)) : QString();
    if (host.isEmpty())
        host = conninfoValue(o.conninfo, QStringLiteral("host"));
    if (port.isEmpty())
        port = conninfoValue(o.conninfo, QStringLiteral("port"));
    if (host.isEmpty())
        return QStringLiteral("the local server");
    if (host.startsWith(QLatin1Char('/')))
        return QStringLiteral("the local socket in %1").arg(host);
    return port.isEmpty() ? host : host + QLatin1Char(':') + port;
}

Error queryError(PGresult *res, PGconn *conn)
{
    const QString primary = fromPg(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    const QString sqlstate = fromPg(PQresultErrorField(res, PG_DIAG_SQLSTATE));
    const QString hint = fromPg(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
    const QString detail = fromPg(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
    QString message = primary.isEmpty() ? fromPg(PQerrorMessage(conn)) : primary;
    QString under = sqlstate.isEmpty() ? QString() : QStringLiteral("SQLSTATE %1").arg(sqlstate);
    if (!detail.isEmpty())
        under += QStringLiteral("; ") + detail;
    if (!hint.isEmpty())
        message += QStringLiteral(" (hint: %1)").arg(hint);
    if (sqlstate == QLatin1String("57014"))
        return Error(Error::Code::Cancelled, QStringLiteral("The query was cancelled."), message);
    if (sqlstate == QLatin1String("42501"))
        return Error(Error::Code::Query,
                     QStringLiteral("Permission denied: %1. Connect as a role with the needed privilege.").arg(message),
                     under);
    return Error(Error::Code::Query, QStringLiteral("The server refused the query: %1").arg(message), under);
}

} // namespace

QString QueryResult::value(int row, const QString &col) const
{
    const int c = column(col);
    return c < 0 ? QString() : value(row, c);
}

Connection::~Connection()
{
    if (m_conn)
        PQfinish(m_conn);
}

Status validateConninfo(const QString &conninfo)
{
    if (conninfo.trimmed().isEmpty())
        return {};  // libpq then uses the PG* environment and defaults, as psql does
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (!opts) {
        QString detail = err ? fromPg(err) : QStringLiteral("out of memory");
        if (err)
            PQfreemem(err);
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The connection string is not valid: %1. Use key=value pairs such as "
                                    "\"host=db1 port=5432 dbname=postgres user=backup\", a postgresql:// URI, "
                                    "or service=NAME.")
                         .arg(detail),
                     conninfo.contains(QStringLiteral("password")) ? QString() : conninfo);
    }
    PQconninfoFree(opts);
    return {};
}

QString conninfoValue(const QString &conninfo, const QString &keyword)
{
    if (conninfo.trimmed().isEmpty())
        return {};
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), nullptr);
    if (!opts)
        return {};
    QString out;
    const QByteArray key = keyword.toUtf8();
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (key == o->keyword && o->val) {
            out = QString::fromUtf8(o->val);
            break;
        }
    }
    PQconninfoFree(opts);
    return out;
}

namespace {
QString quoteIfNeeded(const QString &v)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:@,+-]+$"));
    return plain.match(v).hasMatch() ? v : conninfoQuote(v);
}
} // namespace

Result<QString> conninfoForDatabase(const QString &conninfo, const QString &dbname, QString *password)
{
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (!opts) {
        const QString why = err ? QString::fromUtf8(err).trimmed() : QStringLiteral("unreadable");
        PQfreemem(err);
        return Error(Error::Code::InvalidArgument, QStringLiteral("The connection string is invalid: %1").arg(why));
    }
    QStringList parts;
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (!o->val || !*o->val)
            continue;
        const QByteArray key(o->keyword);
        if (key == "password") {
            if (password && password->isEmpty())
                *password = QString::fromUtf8(o->val);
            continue;
        }
        if (key == "dbname" && !dbname.isEmpty())
            continue;
        parts << QString::fromLatin1(key) + QLatin1Char('=') + quoteIfNeeded(QString::fromUtf8(o->val));
    }
    PQconninfoFree(opts);
    if (!dbname.isEmpty())
        parts << QStringLiteral("dbname=") + quoteIfNeeded(dbname);
    return parts.join(QLatin1Char(' '));
}

QString conninfoQuote(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

Error connectionError(const QString &msg, const ConnectOptions &o)
{
    const QString target = describeTarget(nullptr, o);
    const QString user = conninfoValue(o.conninfo, QStringLiteral("user"));
    const QString who = user.isEmpty() ? QStringLiteral("this user") : QStringLiteral("user \"%1\"").arg(user);
    auto has = [&](const char *needle) { return msg.contains(QLatin1String(needle), Qt::CaseInsensitive); };
    using C = Error::Code;
    if (has("password authentication failed"))
        return Error(C::Authentication,
                     QStringLiteral("The password for %1 was rejected by %2. Edit the server and enter the correct password.")
                         .arg(who, target),
                     msg);
    if (has("no password supplied") || has("password is required") || has("fe_sendauth"))
        return Error(C::Authentication,
                     QStringLiteral("%1 asks for a password and none is stored. Edit the server and enter its password "
                                    "(it is kept in the keychain), or add it to ~/.pgpass.")
                         .arg(target),
                     msg);
    if (has("no pg_hba.conf entry"))
        return Error(C::Authentication,
                     QStringLiteral("%1 does not allow this connection (no matching pg_hba.conf entry). Add a line for "
                                    "this host, user and database to pg_hba.conf and reload the server.")
                         .arg(target),
                     msg);
    if (has("timeout expired"))
        return Error(C::Timeout,
                     QStringLiteral("No answer from %1 within %2 s. Check the host and port, and any firewall between.")
                         .arg(target)
                         .arg(o.connectTimeoutSec),
                     msg);
    if (has("could not translate host name") || has("Name or service not known"))
        return Error(C::Connection,
                     QStringLiteral("The host name of %1 cannot be resolved. Check the spelling of host= or use an IP address.")
                         .arg(target),
                     msg);
    if (has("Connection refused"))
        return Error(C::Connection,
                     QStringLiteral("Nothing accepts connections at %1. Is PostgreSQL running there, and does it listen on "
                                    "that address and port (listen_addresses, port)?")
                         .arg(target),
                     msg);
    if (has("No such file or directory") && has("socket"))
        return Error(C::Connection,
                     QStringLiteral("No PostgreSQL server listens on %1. Start it, or give host= and port= explicitly.").arg(target),
                     msg);
    if (has("does not exist") && has("database"))
        return Error(C::NotFound, QStringLiteral("The database named in the connection does not exist on %1. Set dbname= to an existing database.").arg(target), msg);
    if (has("does not exist") && has("role"))
        return Error(C::Authentication, QStringLiteral("The role named in the connection does not exist on %1. Set user= to an existing role.").arg(target), msg);
    if (has("definition of service") || has("service file"))
        return Error(C::InvalidArgument,
                     QStringLiteral("The pg_service entry cannot be used: %1. Check ~/.pg_service.conf or PGSERVICEFILE.").arg(msg),
                     msg);
    if (has("SSL"))
        return Error(C::Connection, QStringLiteral("The TLS connection to %1 failed. Check sslmode and the server's certificate.").arg(target), msg);
    return Error(C::Connection, QStringLiteral("Could not connect to %1.").arg(target), msg);
}

Result<std::unique_ptr<Connection>> Connection::connect(const ConnectOptions &o, const CancelToken *cancel)
{
    if (Status v = validateConninfo(o.conninfo); !v)
        return v.error();

    const QByteArray conninfo = o.conninfo.toUtf8();
    const QByteArray appName = o.applicationName.toUtf8();
    const QByteArray password = o.password.toUtf8();
    const QByteArray timeout = QByteArray::number(std::max(1, o.connectTimeoutSec));
    std::vector<const char *> keys{"dbname", "fallback_application_name", "connect_timeout"};
    std::vector<const char *> vals{conninfo.constData(), appName.constData(), timeout.constData()};
    if (!o.password.isEmpty()) {
        keys.push_back("password");
        vals.push_back(password.constData());
    }
    if (o.replication) {
        keys.push_back("replication");
        vals.push_back("true");
    }
    keys.push_back(nullptr);
    vals.push_back(nullptr);

    PGconn *raw = PQconnectStartParams(keys.data(), vals.data(), 1);
    if (!raw)
        return Error(Error::Code::Internal, QStringLiteral("libpq could not allocate a connection (out of memory)."));
    std::unique_ptr<Connection> conn(new Connection(raw));
    if (PQstatus(raw) == CONNECTION_BAD)
        return connectionError(fromPg(PQerrorMessage(raw)), o);

    // libpq's connect_timeout only applies to blocking connects; the deadline here does the same job
    // while we poll, per host attempt, plus a little slack.
    const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + qint64(std::max(1, o.connectTimeoutSec)) * 1000;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
        if (st == PGRES_POLLING_FAILED)
            return connectionError(fromPg(PQerrorMessage(raw)), o);
        Status w = conn->waitSocket(st == PGRES_POLLING_WRITING, cancel, deadline);
        if (!w) {
            if (w.error().code == Error::Code::Timeout)
                return connectionError(QStringLiteral("timeout expired"), o);
            return w.error();
        }
        st = PQconnectPoll(raw);
    }
    if (PQsetnonblocking(raw, 1) != 0)
        return Error(Error::Code::Internal, QStringLiteral("Could not switch the connection to non-blocking mode."),
                     fromPg(PQerrorMessage(raw)));
    qCDebug(lcPg) << "connected to" << conn->host() << conn->port() << "as" << conn->user();
    return conn;
}

Status Connection::waitSocket(bool forWrite, const CancelToken *cancel, qint64 deadlineMs)
{
    for (;;) {
        if (cancel && cancel->isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        const int fd = PQsocket(m_conn);
        if (fd < 0)
            return Error(Error::Code::Connection, QStringLiteral("The connection to the server was lost."),
                         fromPg(PQerrorMessage(m_conn)));
        int slice = kPollSliceMs;
        if (deadlineMs > 0) {
            const qint64 left = deadlineMs - QDateTime::currentMSecsSinceEpoch();
            if (left <= 0)
                return Error(Error::Code::Timeout, QStringLiteral("Timed out waiting for the server."));
            slice = int(std::min<qint64>(slice, left));
        }
        pollfd p{fd, short(forWrite ? POLLOUT : POLLIN), 0};
        const int r = ::poll(&p, 1, slice);
        if (r > 0)
            return {};
        if (r < 0 && errno != EINTR)
            return Error(Error::Code::Io, QStringLiteral("Waiting for the server failed."), QString::fromLocal8Bit(strerror(errno)));
    }
}

Result<QueryResult> Connection::exec(const QString &sql, const QStringList &params, const CancelToken *cancel,
                                     int timeoutMs)
{
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    storage.reserve(size_t(params.size()));
    for (const QString &p : params) {
        storage.push_back(p.toUtf8());
        values.push_back(p.isNull() ? nullptr : storage.back().constData());
    }
    if (!PQsendQueryParams(m_conn, sql.toUtf8().constData(), int(values.size()), nullptr,
                           values.empty() ? nullptr : values.data(), nullptr, nullptr, 0))
        return Error(Error::Code::Connection, QStringLiteral("Could not send the query to the server."),
                     fromPg(PQerrorMessage(m_conn)));

    const qint64 deadline = timeoutMs > 0 ? QDateTime::currentMSecsSinceEpoch() + timeoutMs : 0;
    bool cancelSent = false;
    Error interrupted;
    auto sendCancel = [&](Error why) {
        if (!cancelSent) {
            cancelRunningQuery();
            cancelSent = true;
            interrupted = std::move(why);
        }
    };

    while (PQflush(m_conn) == 1) {
        if (Status w = waitSocket(true, cancel, deadline); !w)
            return w.error();
    }

    std::optional<QueryResult> out;
    std::optional<Error> failure;
    for (;;) {
        if (!PQconsumeInput(m_conn))
            return Error(Error::Code::Connection, QStringLiteral("The connection to the server was lost during a query."),
                         fromPg(PQerrorMessage(m_conn)));
        while (!PQisBusy(m_conn)) {
            PGresult *res = PQgetResult(m_conn);
            if (!res) {
                if (cancelSent && interrupted.isError())
                    return interrupted;
                if (failure)
                    return *failure;
                if (out)
                    return *out;
                return QueryResult{};
            }
            const ExecStatusType st = PQresultStatus(res);
            if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
                QueryResult q;
                const int nf = PQnfields(res), nt = PQntuples(res);
                for (int c = 0; c < nf; ++c)
                    q.m_columns << QString::fromUtf8(PQfname(res, c));
                q.m_rows.resize(size_t(nt));
                q.m_nulls.resize(size_t(nt));
                for (int r = 0; r < nt; ++r) {
                    QStringList row;
                    row.reserve(nf);
                    std::vector<bool> nulls(static_cast<size_t>(nf));
                    for (int c = 0; c < nf; ++c) {
                        nulls[size_t(c)] = PQgetisnull(res, r, c);
                        row << (nulls[size_t(c)] ? QString() : QString::fromUtf8(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
                    }
                    q.m_rows[size_t(r)] = std::move(row);
                    q.m_nulls[size_t(r)] = std::move(nulls);
                }
                q.m_commandTag = QString::fromUtf8(PQcmdStatus(res));
                out = std::move(q);
            } else if (st == PGRES_COPY_OUT || st == PGRES_COPY_IN || st == PGRES_COPY_BOTH) {
                PQclear(res);
                return Error(Error::Code::Internal, QStringLiteral("exec() cannot run COPY; use the replication stream API."));
            } else if (!failure) {
                failure = queryError(res, m_conn);
            }
            PQclear(res);
        }
        if (cancel && cancel->isCancelled())
            sendCancel(Error(Error::Code::Cancelled, QStringLiteral("Cancelled.")));
        if (deadline > 0 && QDateTime::currentMSecsSinceEpoch() >= deadline)
            sendCancel(Error(Error::Code::Timeout, QStringLiteral("The query did not finish within %1 s; it was cancelled.")
                                                       .arg(timeoutMs / 1000.0)));
        // After a cancel request, wait without the token/deadline for the server to end the query.
        Status w = waitSocket(false, cancelSent ? nullptr : cancel, cancelSent ? 0 : deadline);
        if (!w && w.error().code != Error::Code::Cancelled && w.error().code != Error::Code::Timeout)
            return w.error();
    }
}

bool Connection::cancelRunningQuery()
{
    PGcancel *c = PQgetCancel(m_conn);
    if (!c)
        return false;
    char err[256];
    const bool ok = PQcancel(c, err, sizeof err);
    PQfreeCancel(c);
    return ok;
}

int Connection::serverVersionNum() const { return PQserverVersion(m_conn); }
QString Connection::user() const { return fromPg(PQuser(m_conn)); }
QString Connection::host() const { return fromPg(PQhost(m_conn)); }
QString Connection::port() const { return fromPg(PQport(m_conn)); }
QString Connection::database() const { return fromPg(PQdb(m_conn)); }

} // namespace pga::pg
