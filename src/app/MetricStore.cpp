#include "MetricStore.h"

#include "ServerRegistry.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

namespace pga::app {

namespace {

QString isoUtc(const QDateTime &t) { return t.toUTC().toString(Qt::ISODateWithMs); }

template <typename T>
QVariant opt(const std::optional<T> &v)
{
    return v ? QVariant::fromValue(*v) : QVariant();
}

std::optional<qint64> optInt(const QVariant &v) { return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong()); }
std::optional<double> optReal(const QVariant &v) { return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble()); }

Error sqlError(const QString &what, const QSqlError &e)
{
    return Error(Error::Code::Io, QStringLiteral("Could not %1 in the server registry.").arg(what), e.text());
}

} // namespace

Status MetricStore::add(const MetricSample &s)
{
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("INSERT INTO metric_samples (server_id, taken_at, span_seconds, wal_lsn, wal_records, wal_fpi, wal_bytes, "
                             "archived_count, failed_count, ready_count, archive_lag_seconds, repo_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(s.serverId), QVariant(isoUtc(s.takenAt)), QVariant(s.spanSeconds), opt(s.walLsn), opt(s.walRecords),
                              opt(s.walFpi), opt(s.walBytes), opt(s.archivedCount), opt(s.failedCount), opt(s.readyCount),
                              opt(s.archiveLagSeconds), opt(s.repoBytes)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(tr("record a metric sample"), q.lastError());
    return {};
}

QList<MetricSample> MetricStore::samples(qint64 serverId, const QDateTime &from, const QDateTime &to) const
{
    QList<MetricSample> out;
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("SELECT server_id, taken_at, span_seconds, wal_lsn, wal_records, wal_fpi, wal_bytes, archived_count, failed_count, "
                             "ready_count, archive_lag_seconds, repo_bytes FROM metric_samples WHERE server_id = ? AND taken_at >= ? AND taken_at < ? "
                             "ORDER BY taken_at"));
    q.addBindValue(serverId);
    q.addBindValue(isoUtc(from));
    q.addBindValue(isoUtc(to));
    if (!q.exec())
        return out;
    while (q.next()) {
        MetricSample s;
        s.serverId = q.value(0).toLongLong();
        s.takenAt = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
        s.spanSeconds = q.value(2).toInt();
        s.walLsn = optInt(q.value(3));
        s.walRecords = optInt(q.value(4));
        s.walFpi = optInt(q.value(5));
        s.walBytes = optInt(q.value(6));
        s.archivedCount = optInt(q.value(7));
        s.failedCount = optInt(q.value(8));
        s.readyCount = optInt(q.value(9));
        s.archiveLagSeconds = optReal(q.value(10));
        s.repoBytes = optInt(q.value(11));
        out << s;
    }
    return out;
}

Result<int> MetricStore::compact(const QDateTime &nowUtc)
{
    QSqlDatabase d = m_registry.database();
    if (!d.transaction())
        return sqlError(tr("compact metric samples"), d.lastError());
    // Beyond the kept span first, so nothing is downsampled only to be deleted.
    QSqlQuery old(d);
    old.prepare(QStringLiteral("DELETE FROM metric_samples WHERE taken_at < ?"));
    old.addBindValue(isoUtc(nowUtc.addDays(-kKeepDays).toUTC()));
    bool ok = old.exec();
    const int ancient = old.numRowsAffected();
    QSqlQuery q(d);
    // On an hour boundary, so an hour is never split between two downsampled rows.
    const QDateTime horizon = nowUtc.addDays(-kRawDays).toUTC();
    const QString rawBefore = isoUtc(QDateTime::fromSecsSinceEpoch(horizon.toSecsSinceEpoch() / 3600 * 3600, QTimeZone::utc()));
    // Counters only grow, so an hour's maximum is its last value; lag and the .ready count keep their worst.
    q.prepare(QStringLiteral(
        "INSERT INTO metric_samples (server_id, taken_at, span_seconds, wal_lsn, wal_records, wal_fpi, wal_bytes, archived_count, "
        "failed_count, ready_count, archive_lag_seconds, repo_bytes) "
        "SELECT server_id, substr(taken_at, 1, 13) || ':00:00.000Z', 3600, max(wal_lsn), max(wal_records), max(wal_fpi), max(wal_bytes), "
        "max(archived_count), max(failed_count), max(ready_count), max(archive_lag_seconds), max(repo_bytes) "
        "FROM metric_samples WHERE span_seconds = 0 AND taken_at < ? GROUP BY server_id, substr(taken_at, 1, 13)"));
    q.addBindValue(rawBefore);
    ok = ok && q.exec();
    QSqlQuery del(d);
    del.prepare(QStringLiteral("DELETE FROM metric_samples WHERE span_seconds = 0 AND taken_at < ?"));
    del.addBindValue(rawBefore);
    ok = ok && del.exec();
    const int raw = del.numRowsAffected();
    if (!ok) {
        const QSqlError e = q.lastError().isValid() ? q.lastError() : del.lastError().isValid() ? del.lastError() : old.lastError();
        d.rollback();
        return sqlError(tr("compact metric samples"), e);
    }
    if (!d.commit())
        return sqlError(tr("compact metric samples"), d.lastError());
    return raw + ancient;
}

} // namespace pga::app
