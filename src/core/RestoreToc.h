#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QSet>
#include <QString>

namespace pga {

// One line of `pg_restore --list`: "215; 1259 16386 TABLE public accounts postgres".
struct TocEntry {
    int dumpId = 0;
    quint32 tableOid = 0;
    quint32 oid = 0;
    QString desc;       // TABLE, TABLE DATA, INDEX, FK CONSTRAINT, SEQUENCE SET, …
    QString schema;     // empty for objects outside a schema
    QString name;
    QString owner;
    bool isData() const;  // restoring it copies rows (TABLE DATA, SEQUENCE SET, BLOBS, MATERIALIZED VIEW DATA)
};

// The table of contents pg_restore prints: comment lines (";") are skipped; an entry line that cannot be read
// is an error naming the line, never skipped (a restore list must say exactly what runs).
Result<QList<TocEntry>> parseRestoreList(const QByteArray &text);
// pg_restore --use-list input that restores exactly the entries in `keep` (others commented out, order kept).
QByteArray restoreListFor(const QList<TocEntry> &entries, const QSet<int> &keep);
// [{"id", "desc", "schema", "name", "owner", "oid"}]: what `restore-dump --list` prints.
QJsonArray tocJson(const QList<TocEntry> &entries);

} // namespace pga
