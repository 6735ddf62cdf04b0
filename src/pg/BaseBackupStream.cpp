#include "BaseBackupStream.h"
#include "ReplicationCommands.h"

#include <libpq-fe.h>

#include <QtEndian>

#include <algorithm>

namespace pga::pg {

using namespace detail;

Result<SystemIdentity> identifySystem(Connection &conn, const CancelToken &cancel)
{
    auto row = singleRowCommand(conn, QStringLiteral("IDENTIFY_SYSTEM"),
                                QStringLiteral("IDENTIFY_SYSTEM (is this a replication connection?)"), cancel);
    if (!row)
        return row.error();
    SystemIdentity id;
    if (row->size() >= 3) {
        id.systemIdentifier = row->at(0).toULongLong();
        id.timeline = row->at(1).toUInt();
        id.xlogPos = Lsn::parse(row->at(2)).value_or(Lsn());
    }
    if (!id.systemIdentifier)
        return Error(Error::Code::Query, QStringLiteral("IDENTIFY_SYSTEM returned no system identifier."));
    return id;
}

Result<QString> showSetting(Connection &conn, const QString &name, const CancelToken &cancel)
{
    auto row = singleRowCommand(conn, QStringLiteral("SHOW ") + name, QStringLiteral("SHOW %1").arg(name), cancel);
    if (!row)
        return row.error();
    return row->value(0);
}

Result<quint64> walSegmentSize(Connection &conn, const CancelToken &cancel)
{
    auto v = showSetting(conn, QStringLiteral("wal_segment_size"), cancel);
    if (!v)
        return v.error();
    QString t = v->trimmed();
    quint64 mult = 1;
    if (t.endsWith(QLatin1String("GB")))
        mult = 1ull << 30;
    else if (t.endsWith(QLatin1String("MB")))
        mult = 1ull << 20;
    else if (t.endsWith(QLatin1String("kB")))
        mult = 1ull << 10;
    while (!t.isEmpty() && !t.back().isDigit())
        t.chop(1);
    const quint64 size = t.toULongLong() * mult;
    if (!size)
        return Error(Error::Code::Query, QStringLiteral("Could not read wal_segment_size ('%1').").arg(*v));
    return size;
}

Result<BaseBackupEnd> runBaseBackup(Connection &conn, const BaseBackupRequest &req, BaseBackupReceiver &rx,
                                    const CancelToken &cancel)
{
    PGconn *c = conn.native();
    QString label = req.label;
    label.replace(QLatin1Char('\''), QLatin1String("''"));
    QString cmd = QStringLiteral("BASE_BACKUP ( LABEL '%1', PROGRESS, CHECKPOINT '%2', MANIFEST 'yes', "
                                       "MANIFEST_CHECKSUMS '%3', WAIT false, TABLESPACE_MAP )")
                            .arg(label, req.fastCheckpoint ? QStringLiteral("fast") : QStringLiteral("spread"),
                                 req.manifestChecksums.toUpper());
    if (req.maxRateKb > 0)
        cmd.insert(cmd.size() - 2, QStringLiteral(", MAX_RATE %1").arg(std::clamp(req.maxRateKb, 32, 1048576)));
    if (Status s = sendSimple(conn, cmd, cancel); !s)
        return s.error();
    BaseBackupEnd end;
    int tupleSets = 0;
    // Two result sets (start position, tablespaces), then the COPY, then the end position.
    for (;;) {
        auto r = nextResult(conn, cancel);
        if (!r)
            return r.error();
        if (!*r)
            break;
        PGresult *res = *r;
        const ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_TUPLES_OK) {
            ++tupleSets;
            if (tupleSets == 1 && PQntuples(res) == 1) {
                end.startLsn = Lsn::parse(QString::fromLatin1(PQgetvalue(res, 0, 0))).value_or(Lsn());
                end.startTimeline = QByteArray(PQgetvalue(res, 0, 1)).toUInt();
            } else if (tupleSets == 2) {
                for (int i = 0; i < PQntuples(res); ++i) {
                    TablespaceInfo t;
                    t.oid = PQgetisnull(res, i, 0) ? 0 : QByteArray(PQgetvalue(res, i, 0)).toUInt();
                    t.location = PQgetisnull(res, i, 1) ? QString() : QString::fromUtf8(PQgetvalue(res, i, 1));
                    t.sizeBytes = PQgetisnull(res, i, 2) ? -1 : QByteArray(PQgetvalue(res, i, 2)).toLongLong() * 1024;
                    end.tablespaces << t;
                }
                if (Status s = rx.started(end.startLsn, end.startTimeline, end.tablespaces); !s) {
                    PQclear(res);
                    return s.error();
                }
            } else if (tupleSets == 3 && PQntuples(res) == 1) {
                end.stopLsn = Lsn::parse(QString::fromLatin1(PQgetvalue(res, 0, 0))).value_or(Lsn());
                end.stopTimeline = QByteArray(PQgetvalue(res, 0, 1)).toUInt();
            }
            PQclear(res);
            continue;
        }
        if (st == PGRES_COMMAND_OK) {
            PQclear(res);
            continue;
        }
        if (st != PGRES_COPY_OUT) {
            Error e = resultError(res, QStringLiteral("the base backup"));
            PQclear(res);
            drain(conn, cancel);
            return e;
        }
        PQclear(res);
        // The copy stream.
        for (;;) {
            if (cancel.isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled; the server abandons the backup."));
            char *buf = nullptr;
            const int n = PQgetCopyData(c, &buf, 1);
            if (n == 0) {
                if (Status w = conn.waitForSocket(false, &cancel, 0); !w)
                    return w.error();
                if (!PQconsumeInput(c))
                    return lost(c, QStringLiteral("receiving the backup"));
                continue;
            }
            if (n == -1)
                break;
            if (n < 0)
                return lost(c, QStringLiteral("receiving the backup"));
            Status s;
            const char type = buf[0];
            if (type == 'd') {
                s = rx.data(buf + 1, size_t(n - 1));
            } else if (type == 'n') {
                const char *name = buf + 1;
                const size_t nameLen = strnlen(name, size_t(n - 1));
                const char *loc = name + nameLen + 1;
                const QString location = loc < buf + n ? QString::fromUtf8(loc, qsizetype(strnlen(loc, size_t(buf + n - loc)))) : QString();
                s = rx.archive(QString::fromUtf8(name, qsizetype(nameLen)), location);
            } else if (type == 'p' && n >= 9) {
                rx.progress(qint64(qFromBigEndian<quint64>(buf + 1)));
            } else if (type == 'm') {
                s = rx.manifestStart();
            }
            PQfreemem(buf);
            if (!s)
                return s.error();
        }
    }
    if (!end.stopLsn.isValid())
        return Error(Error::Code::Query, QStringLiteral("The server ended the base backup without an end position."), pgError(c));
    return end;
}

} // namespace pga::pg
