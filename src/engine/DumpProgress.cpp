#include "DumpProgress.h"

#include "pg/Connection.h"

#include <QRegularExpression>

namespace pga::engine {

QString DumpProgress::tableOfLine(const QString &line)
{
    static const QRegularExpression re(QStringLiteral("(?:dumping contents of table|processing data for table) \"(.+)\"$"));
    const QRegularExpressionMatch m = re.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

void DumpProgress::startDatabase(const QString &db, const QList<repo::DumpTable> &tables, pg::Connection *watcher, const QString &appName)
{
    m_db = db;
    m_watcher = watcher;
    m_appName = appName;
    m_tables.clear();
    m_dbBytes = 0;
    for (const repo::DumpTable &t : tables) {
        Table x;
        x.bytes = t.bytes;
        x.rows = t.rows;
        m_tables.insert(t.schema + QLatin1Char('.') + t.name, x);
        m_dbBytes += t.bytes;
    }
    report();
}

void DumpProgress::verboseLine(const QString &line)
{
    const QString t = tableOfLine(line);
    if (t.isEmpty()) {
        m_sink.log(ProgressSink::Level::Debug, line);
        return;
    }
    auto it = m_tables.find(t);
    if (it == m_tables.end())
        it = m_tables.insert(t, Table{});
    it->started = true;
    // The current object, in the log for tables that matter (a thousand small ones would drown it).
    const bool big = m_total > 0 && it->bytes * 100 >= m_total;
    m_sink.log(big ? ProgressSink::Level::Info : ProgressSink::Level::Debug,
               QStringLiteral("%1: table %2 (%3 MiB)").arg(m_db, t).arg(double(it->bytes) / 1048576.0, 0, 'f', 1));
}

void DumpProgress::poll(const CancelToken &cancel)
{
    if (!m_watcher)
        return;
    auto r = m_watcher->exec(QStringLiteral("SELECT n.nspname || '.' || c.relname, p.tuples_processed, p.bytes_processed "
                                            "FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid "
                                            "JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace "
                                            "WHERE a.application_name = $1 AND p.datname = current_database()"),
                             {m_appName}, &cancel, 5000);
    QSet<QString> now;
    if (r) {
        for (int i = 0; i < r->rowCount(); ++i) {
            const QString name = r->value(i, 0);
            now.insert(name);
            Table &t = m_tables[name];
            t.started = t.seen = true;
            const qint64 tuples = r->value(i, 1).toLongLong();
            const qint64 bytes = r->value(i, 2).toLongLong();
            double f = t.rows > 0 ? double(tuples) / double(t.rows) : (t.bytes > 0 ? double(bytes) / double(t.bytes) : 0);
            t.fraction = std::clamp(f, t.fraction, 0.99);
        }
    }
    for (auto it = m_tables.begin(); it != m_tables.end(); ++it) {
        Table &t = it.value();
        if (t.started && !t.done && !now.contains(it.key()) && (t.seen || t.startedBeforePoll))
            t.done = true;
        if (t.started)
            t.startedBeforePoll = true;
    }
    report();
}

void DumpProgress::finishDatabase()
{
    m_doneBefore += m_dbBytes;
    m_dbBytes = 0;
    m_tables.clear();
    m_watcher = nullptr;
    report();
}

void DumpProgress::report()
{
    qint64 done = m_doneBefore;
    for (const Table &t : std::as_const(m_tables))
        done += t.done ? t.bytes : qint64(double(t.bytes) * t.fraction);
    if (m_total > 0) {
        done = std::min(done, m_total);
        m_reported = std::max(m_reported, done);
        m_sink.progress(m_reported, m_total);
    } else {
        m_sink.progress(0, -1);
    }
}

} // namespace pga::engine
