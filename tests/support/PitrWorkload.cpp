#include "PitrWorkload.h"

#include <QElapsedTimer>
#include <QThread>

namespace pga::test {

namespace {
// Long enough that two commits never share a clock reading, short enough to keep the test quick.
constexpr int kPauseMs = 25;
} // namespace

PitrWorkload::PitrWorkload(QString conninfo, QString zone) : m_conninfo(std::move(conninfo)), m_zone(std::move(zone)) {}
PitrWorkload::~PitrWorkload() = default;

Result<QString> PitrWorkload::scalar(const QString &sql, const QStringList &params)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!m_conn) {
            auto c = pg::Connection::connect({m_conninfo, {}, false, 10});
            if (!c)
                return c.error();
            m_conn = std::move(*c);
        }
        auto r = m_conn->exec(sql, params, nullptr, 60000);
        if (!r && r.error().code == Error::Code::Connection) {
            m_conn.reset();
            continue;
        }
        if (!r)
            return Error(r.error().code, r.error().message + QStringLiteral(" [") + sql + QLatin1Char(']'), r.error().detail);
        if (r->rowCount() == 0 || r->columnCount() == 0)
            return QString();
        return r->value(0, 0);
    }
    return Error(Error::Code::Connection, QStringLiteral("lost the connection to %1").arg(m_conninfo));
}

QString PitrWorkload::stateSql()
{
    // Every column of every row, in id order: any lost, extra or differently updated row changes it.
    return QStringLiteral("SELECT 'rows=' || count(*) || ' md5=' || coalesce(md5(string_agg(r::text, '|' ORDER BY r.id)), '-') "
                          "FROM pitr_rows r");
}

Result<QString> PitrWorkload::readState(const QString &conninfo)
{
    auto c = pg::Connection::connect({conninfo, {}, false, 10});
    if (!c)
        return c.error();
    auto r = (*c)->exec(stateSql(), {}, nullptr, 60000);
    if (!r)
        return r.error();
    return r->value(0, 0);
}

Status PitrWorkload::prepare()
{
    if (m_zone.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("the workload needs a time zone name"));
    const QStringList ddl{
        QStringLiteral("CREATE TABLE pitr_rows (id bigserial PRIMARY KEY, tag text NOT NULL, n int NOT NULL, payload text NOT NULL)"),
        // Times are read in the test's zone, whatever the server's TimeZone is, so they carry that zone's offset.
        QStringLiteral("CREATE FUNCTION pitr_now() RETURNS text LANGUAGE sql VOLATILE SET TimeZone = '%1' "
                       "AS $$ SELECT clock_timestamp()::text $$")
            .arg(QString(m_zone).replace(QLatin1Char('\''), QStringLiteral("''")))};
    for (const QString &sql : ddl)
        if (auto r = scalar(sql); !r)
            return r.error();
    return {};
}

Result<PitrWorkload::Moment> PitrWorkload::step(const QString &tag)
{
    const int k = ++m_steps;
    // One statement, one transaction: new rows, changed rows and removed rows (disjoint by id % 5),
    // and the transaction's own xid.
    auto xid = scalar(QStringLiteral(
                          "WITH ins AS (INSERT INTO pitr_rows (tag, n, payload) "
                          "             SELECT $1, g, md5($1 || ':' || g) FROM generate_series(1, 40) g RETURNING 1), "
                          "     upd AS (UPDATE pitr_rows SET payload = payload || '+' || $1 WHERE id % 5 = $2::int % 5 RETURNING 1), "
                          "     del AS (DELETE FROM pitr_rows WHERE id % 5 = ($2::int + 2) % 5 AND id % 3 = 0 RETURNING 1) "
                          "SELECT txid_current()::text || ' ' || (SELECT count(*) FROM ins) || (SELECT count(*) FROM upd) "
                          "       || (SELECT count(*) FROM del)"),
                      {tag, QString::number(k)});
    if (!xid)
        return xid.error();
    Moment m;
    m.tag = tag;
    m.xid = xid->section(QLatin1Char(' '), 0, 0);
    auto lsn = scalar(QStringLiteral("SELECT pg_current_wal_insert_lsn()::text"));
    if (!lsn)
        return lsn.error();
    m.lsn = *lsn;
    auto time = scalar(QStringLiteral("SELECT pitr_now()"));
    if (!time)
        return time.error();
    m.time = *time;
    auto st = state();
    if (!st)
        return st.error();
    m.state = *st;
    QThread::msleep(kPauseMs);
    return m;
}

Result<QString> PitrWorkload::restorePoint(const QString &name)
{
    return scalar(QStringLiteral("SELECT pg_create_restore_point($1)::text"), {name});
}

Result<QString> PitrWorkload::switchWal()
{
    return scalar(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
}

Status PitrWorkload::waitForArchived(const QString &walName, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QString last;
    while (t.elapsed() < timeoutMs) {
        auto r = scalar(QStringLiteral("SELECT coalesce(last_archived_wal, '') || ' failed=' || failed_count || ' ' "
                                       "|| coalesce(last_failed_wal, '') FROM pg_stat_archiver"));
        if (!r)
            return r.error();
        last = *r;
        const QString archived = last.section(QLatin1Char(' '), 0, 0);
        // Same timeline, same or later position (segment names of one timeline sort by position).
        if (archived.size() >= 24 && archived.left(8) == walName.left(8) && archived.left(24) >= walName.left(24))
            return {};
        QThread::msleep(100);
    }
    return Error(Error::Code::Timeout, QStringLiteral("%1 was not archived in time").arg(walName), last);
}

Result<QString> PitrWorkload::state() { return scalar(stateSql()); }

BackgroundSteps::BackgroundSteps(const QString &conninfo, const QString &zone, const QString &tagPrefix)
{
    m_thread.reset(QThread::create([this, conninfo, zone, tagPrefix] {
        PitrWorkload w(conninfo, zone);
        for (int n = 1; !m_stop.load(); ++n) {
            auto m = w.step(tagPrefix + QString::number(n));
            if (!m) {
                m_error = m.error();
                m_failed = true;
                return;
            }
            m_moments << *m;
            ++m_done;
        }
    }));
    m_thread->start();
}

BackgroundSteps::~BackgroundSteps() { (void)stop(); }

bool BackgroundSteps::waitBeyond(int n, int timeoutMs) const
{
    QElapsedTimer t;
    t.start();
    while (m_done.load() <= n && !m_failed.load() && t.elapsed() < timeoutMs)
        QThread::msleep(10);
    return m_done.load() > n;
}

Result<QList<PitrWorkload::Moment>> BackgroundSteps::stop()
{
    m_stop = true;
    if (m_thread) {
        m_thread->wait();
        m_thread.reset();
    }
    if (m_failed.load())
        return m_error;
    return m_moments;
}

QString RecoveryTarget::kindName(Kind k)
{
    switch (k) {
    case Kind::Time: return QStringLiteral("time");
    case Kind::Lsn: return QStringLiteral("lsn");
    case Kind::Xid: return QStringLiteral("xid");
    case Kind::Name: return QStringLiteral("name");
    case Kind::Immediate: return QStringLiteral("immediate");
    }
    return {};
}

} // namespace pga::test
