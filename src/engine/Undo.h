#pragma once

#include "Blunders.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace pga::engine {

// Undoing a blunder (docs/blunders.md): the newest backup before the transaction is restored into a scratch copy
// that stops just before it (--target-xid XID --target-exclusive), and what the transaction destroyed is copied
// from there into the live server under new names, with the matched pg_dump and pg_restore. Live rows are never
// overwritten; nothing else on the live server changes.
struct UndoOptions {
    QString repoDir;
    QString server;
    quint32 xid = 0;
    QString conninfo;          // the live server
    QString password;
    QString intoSchema;        // where the copies go (default: the table's own schema)
    QString asName;            // a dropped table's new name (one table only)
    QString scratchDir;        // default: a new directory under scratchRoot()
    QString owner;             // as root: who owns and runs the scratch copy (default postgres)
    bool keepScratch = false;
    bool dryRun = false;
    int timeoutSec = 0;        // for replay; 0: none
};

struct UndoItem {
    QString kind;              // table: a dropped table recreated whole | copy: a table's rows before | database
    QString event;             // the blunder kind it undoes
    quint32 databaseOid = 0;
    QString database;          // the live database it goes into (kind database: the new database's name)
    QString sourceSchema, sourceName;  // in the scratch copy; empty until resolved there when no snapshot named it
    quint32 sourceFilenode = 0;
    quint32 sourceOid = 0;             // 0 when no snapshot knew it
    QString targetSchema, targetName;
    bool createSchema = false;         // the target schema does not exist in the live database yet
    std::optional<qint64> expectedRows;
    // After the copy:
    std::optional<qint64> scratchRows, liveRows;
    QString scratchMd5, liveMd5;       // md5 over the rows' md5s in order (tables only)
    QStringList created;               // what pg_restore created, "INDEX public.orders_pkey"
    bool matches() const { return scratchRows == liveRows && scratchMd5 == liveMd5; }
    QString targetText() const;        // "public.orders_before_1234", or the database name
};

struct UndoResult {
    quint32 xid = 0;
    QList<BlunderEvent> events;
    bool dryRun = false;
    QString backupId;                  // the backup restored (dry run: the one that would be)
    QString scratchDir;
    bool keptScratch = false;
    QString scratchConninfo;           // when kept
    QList<UndoItem> items;
    double restoreSeconds = 0, replaySeconds = 0, copySeconds = 0;
    bool allMatch() const;
};

// Refuses (before anything is created) an xid that names no blunder, a target name that exists in the live
// server, --as for more than one table, and a live server of another cluster. Phases for progress: the job log
// says "restore", "replay", "copy"; progress() counts the items copied after the scratch copy is up.
Result<UndoResult> runUndo(const UndoOptions &o, ProgressSink &progress, const CancelToken &cancel);

QJsonObject undoJson(const UndoResult &r);
// The plan or the outcome for a person, one line per item.
QStringList undoLines(const UndoResult &r);

// "orders" + 1234 -> "orders_before_1234", cut to PostgreSQL's 63 bytes.
QString beforeName(const QString &name, quint32 xid);

} // namespace pga::engine
