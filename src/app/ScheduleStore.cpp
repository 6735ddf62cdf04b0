#include "ScheduleStore.h"

#include "JobHistorySql.h"
#include "ServerRegistry.h"
#include "core/CalendarSpec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace pga::app {

namespace {

QString isoUtc(const QDateTime &t) { return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString(QLatin1String("")); }
QDateTime fromIso(const QString &s)
{
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

Error sqlError(const QString &what, const QSqlError &e)
{
    return Error(Error::Code::Io, QStringLiteral("Could not %1 in the server registry.").arg(what), e.text());
}

QString optionsJson(const ScheduledTask &t)
{
    QJsonObject o;
    if (t.retainFull > 0)
        o.insert(QStringLiteral("retain_full"), t.retainFull);
    if (t.retainDays > 0)
        o.insert(QStringLiteral("retain_days"), t.retainDays);
    if (!t.backupId.isEmpty())
        o.insert(QStringLiteral("backup"), t.backupId);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

ScheduledTask taskFrom(const QSqlQuery &q)
{
    ScheduledTask t;
    t.id = q.value(0).toLongLong();
    t.serverId = q.value(1).toLongLong();
    t.kind = q.value(2).toString();
    t.calendar = q.value(3).toString();
    const QJsonObject o = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
    t.retainFull = o.value(QStringLiteral("retain_full")).toInt();
    t.retainDays = o.value(QStringLiteral("retain_days")).toInt();
    t.backupId = o.value(QStringLiteral("backup")).toString();
    t.enabled = q.value(5).toBool();
    t.createdAt = fromIso(q.value(6).toString());
    t.lastRunAt = fromIso(q.value(7).toString());
    t.dueAfter = fromIso(q.value(8).toString());
    return t;
}

const char kSelect[] = "SELECT id, server_id, kind, calendar, options, enabled, created_at, last_run_at, due_after FROM schedules";

} // namespace

QStringList ScheduledTask::kinds()
{
    return {QStringLiteral("backup"), QStringLiteral("verify"), QStringLiteral("expire"), QStringLiteral("drill"), QStringLiteral("dump")};
}

QDateTime ScheduledTask::dueAt() const
{
    auto spec = CalendarSpec::parse(calendar);
    if (!spec)
        return {};
    QDateTime from = createdAt;
    for (const QDateTime &t : {lastRunAt, dueAfter})
        if (t.isValid() && (!from.isValid() || t > from))
            from = t;
    return spec->next(from);
}

QString ScheduledTask::describe() const
{
    QString what = kind;
    if (kind == QLatin1String("expire")) {
        QStringList keep;
        if (retainFull > 0)
            keep << QStringLiteral("%1 backups").arg(retainFull);
        if (retainDays > 0)
            keep << QStringLiteral("%1 days").arg(retainDays);
        what += QStringLiteral(" (keep %1)").arg(keep.join(QStringLiteral(", ")));
    } else if (!backupId.isEmpty()) {
        what += QStringLiteral(" of ") + backupId;
    }
    return QStringLiteral("%1 at %2").arg(what, calendar);
}

Status ScheduleStore::validate(const ScheduledTask &t)
{
    if (!ScheduledTask::kinds().contains(t.kind))
        return Error(Error::Code::InvalidArgument,
                     tr("\"%1\" is not a task pgArchivist can schedule; choose one of: %2.").arg(t.kind, ScheduledTask::kinds().join(QStringLiteral(", "))));
    auto spec = CalendarSpec::parse(t.calendar);
    if (!spec)
        return spec.error();
    if (!CalendarSpec::parse(spec->normalized()))  // what is stored must read back
        return Error(Error::Code::InvalidArgument, tr("\"%1\" cannot be stored: its normalized form \"%2\" does not read back.")
                                                        .arg(t.calendar, spec->normalized()));
    if (!spec->next(QDateTime::currentDateTimeUtc()).isValid())
        return Error(Error::Code::InvalidArgument, tr("\"%1\" never happens again, so the task would never run.").arg(t.calendar));
    if (t.kind == QLatin1String("expire") && t.retainFull <= 0 && t.retainDays <= 0)
        return Error(Error::Code::InvalidArgument,
                     tr("A scheduled expiry needs a retention: keep the newest N backups, or what the last D days need, or both."));
    if (t.retainFull < 0 || t.retainDays < 0)
        return Error(Error::Code::InvalidArgument, tr("Retention counts cannot be negative."));
    return {};
}

Result<ScheduledTask> ScheduleStore::add(ScheduledTask t)
{
    if (Status s = validate(t); !s)
        return s.error();
    t.calendar = CalendarSpec::parse(t.calendar)->normalized();
    if (!t.createdAt.isValid())
        t.createdAt = QDateTime::currentDateTimeUtc();
    if (auto server = m_registry.server(t.serverId); !server)
        return server.error();
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("INSERT INTO schedules (server_id, kind, calendar, options, enabled, created_at, last_run_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(t.serverId), QVariant(t.kind), QVariant(t.calendar), QVariant(optionsJson(t)),
                              QVariant(t.enabled ? 1 : 0), QVariant(isoUtc(t.createdAt)), QVariant(isoUtc(t.lastRunAt))})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(tr("add a scheduled task"), q.lastError());
    t.id = q.lastInsertId().toLongLong();
    return t;
}

Status ScheduleStore::update(const ScheduledTask &in)
{
    if (Status s = validate(in); !s)
        return s;
    ScheduledTask t = in;
    t.calendar = CalendarSpec::parse(t.calendar)->normalized();
    auto before = task(t.id);
    if (!before)
        return before.error();
    // A new calendar (or switching on) counts from now: no slot of the old one runs late.
    const bool restart = before->calendar != t.calendar || (t.enabled && !before->enabled);
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("UPDATE schedules SET kind = ?, calendar = ?, options = ?, enabled = ?, due_after = ? WHERE id = ?"));
    for (const QVariant &v : {QVariant(t.kind), QVariant(t.calendar), QVariant(optionsJson(t)), QVariant(t.enabled ? 1 : 0),
                              QVariant(restart ? isoUtc(QDateTime::currentDateTimeUtc()) : isoUtc(before->dueAfter)), QVariant(t.id)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(tr("change scheduled task %1").arg(t.id), q.lastError());
    if (q.numRowsAffected() == 0)
        return Error(Error::Code::NotFound, tr("There is no scheduled task %1.").arg(t.id));
    return {};
}

Status ScheduleStore::remove(qint64 id)
{
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("DELETE FROM schedules WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("remove scheduled task %1").arg(id), q.lastError());
    if (q.numRowsAffected() == 0)
        return Error(Error::Code::NotFound, tr("There is no scheduled task %1.").arg(id));
    return {};
}

Status ScheduleStore::setEnabled(qint64 id, bool enabled)
{
    QSqlQuery q(m_registry.database());
    if (enabled) {
        q.prepare(QStringLiteral("UPDATE schedules SET enabled = 1, due_after = CASE WHEN enabled THEN due_after ELSE ? END WHERE id = ?"));
        q.addBindValue(isoUtc(QDateTime::currentDateTimeUtc()));
    } else {
        q.prepare(QStringLiteral("UPDATE schedules SET enabled = 0 WHERE id = ?"));
    }
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("change scheduled task %1").arg(id), q.lastError());
    if (q.numRowsAffected() == 0)
        return Error(Error::Code::NotFound, tr("There is no scheduled task %1.").arg(id));
    return {};
}

Result<ScheduledTask> ScheduleStore::task(qint64 id) const
{
    QSqlQuery q(m_registry.database());
    q.prepare(QString::fromLatin1(kSelect) + QStringLiteral(" WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("read scheduled task %1").arg(id), q.lastError());
    if (!q.next())
        return Error(Error::Code::NotFound, tr("There is no scheduled task %1.").arg(id));
    return taskFrom(q);
}

QList<ScheduledTask> ScheduleStore::tasks(qint64 serverId) const
{
    QList<ScheduledTask> out;
    if (!m_registry.isOpen())
        return out;
    QSqlQuery q(m_registry.database());
    q.prepare(QString::fromLatin1(kSelect) + (serverId ? QStringLiteral(" WHERE server_id = ?") : QString())
              + QStringLiteral(" ORDER BY server_id, id"));
    if (serverId)
        q.addBindValue(serverId);
    if (!q.exec())
        return out;
    while (q.next())
        out << taskFrom(q);
    return out;
}

Result<bool> ScheduleStore::claimRun(qint64 id, const QDateTime &expectedLast, const QDateTime &at)
{
    QSqlQuery q(m_registry.database());
    q.prepare(QStringLiteral("UPDATE schedules SET last_run_at = ? WHERE id = ? AND last_run_at = ?"));
    q.addBindValue(isoUtc(at));
    q.addBindValue(id);
    q.addBindValue(isoUtc(expectedLast));
    if (!q.exec())
        return sqlError(tr("claim scheduled task %1").arg(id), q.lastError());
    return q.numRowsAffected() == 1;
}

QHash<qint64, JobRecord> ScheduleStore::lastRuns() const
{
    QHash<qint64, JobRecord> out;
    QSqlQuery q(m_registry.database());
    if (!q.exec(jobHistorySelect(false)
                + QStringLiteral(" WHERE id IN (SELECT max(id) FROM job_history WHERE schedule_id > 0 GROUP BY schedule_id)")))
        return out;
    while (q.next()) {
        const JobRecord r = jobRecordFrom(q, false);
        out.insert(r.scheduleId, r);
    }
    return out;
}

QList<JobRecord> ScheduleStore::runsBetween(const QDateTime &from, const QDateTime &to, qint64 serverId) const
{
    QList<JobRecord> out;
    QSqlQuery q(m_registry.database());
    q.prepare(jobHistorySelect(false) + QStringLiteral(" WHERE finished_at >= ? AND finished_at < ?")
              + (serverId ? QStringLiteral(" AND server_id = ?") : QString()) + QStringLiteral(" ORDER BY finished_at, id"));
    q.addBindValue(isoUtc(from));
    q.addBindValue(isoUtc(to));
    if (serverId)
        q.addBindValue(serverId);
    if (!q.exec())
        return out;
    while (q.next())
        out << jobRecordFrom(q, false);
    return out;
}

} // namespace pga::app
