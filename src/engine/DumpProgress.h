#pragma once

// Internal to Dump and RestoreDump: percent progress of pg_dump/pg_restore, weighted by table size.
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "repo/DumpCatalog.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace pga::pg {
class Connection;
}

namespace pga::engine {

// Tables are "started" by the client's --verbose line ("dumping contents of table", "processing data for
// table"), in progress while pg_stat_progress_copy shows their COPY (tuples against reltuples, or bytes against
// the table's size), and done once they have left it. Reported as bytes of the whole job, never going back.
class DumpProgress {
public:
    DumpProgress(ProgressSink &sink, qint64 totalBytes) : m_sink(sink), m_total(totalBytes) {}

    // watcher: a connection to the database whose COPYs to follow (the source for a dump, the target for a restore).
    void startDatabase(const QString &db, const QList<repo::DumpTable> &tables, pg::Connection *watcher, const QString &appName);
    void verboseLine(const QString &line);
    // A watcher that could connect only later (pg_restore --create makes the database first).
    void setWatcher(pg::Connection *watcher) { m_watcher = watcher; }
    void poll(const CancelToken &cancel);
    void finishDatabase();
    // "schema.name" of a --verbose line about a table's data, empty for other lines.
    static QString tableOfLine(const QString &line);

private:
    struct Table {
        qint64 bytes = 0;
        qint64 rows = 0;
        bool started = false;
        bool startedBeforePoll = false;
        bool seen = false;     // seen in pg_stat_progress_copy
        bool done = false;
        double fraction = 0;
    };
    void report();
    ProgressSink &m_sink;
    qint64 m_total;
    qint64 m_doneBefore = 0;   // bytes of databases finished
    qint64 m_dbBytes = 0;
    QHash<QString, Table> m_tables;
    pg::Connection *m_watcher = nullptr;
    QString m_appName, m_db;
    qint64 m_reported = 0;
};

} // namespace pga::engine
