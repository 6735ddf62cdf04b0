#pragma once

#include "core/CancelToken.h"
#include "core/Result.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <vector>

typedef struct pg_conn PGconn;

namespace pga::pg {

struct ConnectOptions {
    QString conninfo;          // "host=... dbname=...", a URI, or "service=NAME"
    QString password;          // from the keychain; never put into conninfo or a log
    bool replication = false;  // physical replication connection (replication=true)
    int connectTimeoutSec = 10;
    QString applicationName = QStringLiteral("pgarchivist");
};

// Rows of one query, copied out of the PGresult so it can outlive it.
class QueryResult {
public:
    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    const QStringList &columns() const { return m_columns; }
    int column(const QString &name) const { return int(m_columns.indexOf(name)); }
    bool isNull(int row, int col) const { return m_nulls[size_t(row)][size_t(col)]; }
    QString value(int row, int col) const { return m_rows[size_t(row)][size_t(col)]; }
    QString value(int row, const QString &col) const;
    QString commandTag() const { return m_commandTag; }

private:
    friend class Connection;
    QStringList m_columns;
    std::vector<QStringList> m_rows;
    std::vector<std::vector<bool>> m_nulls;
    QString m_commandTag;
};

// One libpq connection (RAII). Connecting and queries are non-blocking underneath so they honour
// a CancelToken (PQcancel is sent) and a timeout; callers still see a simple synchronous API.
class Connection {
public:
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    static Result<std::unique_ptr<Connection>> connect(const ConnectOptions &options,
                                                       const CancelToken *cancel = nullptr);

    // Runs one statement. params are bound as text ($1, $2, ...). timeoutMs <= 0 waits forever.
    Result<QueryResult> exec(const QString &sql, const QStringList &params = {},
                             const CancelToken *cancel = nullptr, int timeoutMs = 0);

    // Asks the server to cancel the running query (thread-safe; may be called from another thread).
    bool cancelRunningQuery();

    int serverVersionNum() const;  // e.g. 150004
    QString user() const;
    QString host() const;
    QString port() const;
    QString database() const;
    PGconn *native() const { return m_conn; }
    // Waits until the socket is readable (or writable), honouring the token and a deadline (ms since epoch, 0: none).
    Status waitForSocket(bool forWrite, const CancelToken *cancel, qint64 deadlineMs) { return waitSocket(forWrite, cancel, deadlineMs); }

private:
    explicit Connection(PGconn *conn) : m_conn(conn) {}
    Status waitSocket(bool forWrite, const CancelToken *cancel, qint64 deadlineMs);
    PGconn *m_conn = nullptr;
};

// Checks a conninfo string without connecting. The error names the bad keyword.
Status validateConninfo(const QString &conninfo);
// The value of one keyword after libpq's parsing (empty when absent). Service entries are not expanded.
QString conninfoValue(const QString &conninfo, const QString &keyword);
// The conninfo as keywords with dbname replaced (when given) and the password taken out into *password (when it
// is still empty): what a client program's command line may show.
Result<QString> conninfoForDatabase(const QString &conninfo, const QString &dbname, QString *password);
// Appends key='value' with libpq quoting.
QString conninfoQuote(const QString &value);

// Turns libpq's message into an Error with a message for a person and what to try next.
Error connectionError(const QString &libpqMessage, const ConnectOptions &options);

} // namespace pga::pg
