#pragma once

#include "Repository.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace pga::repo {

// One stored file of a dump: zstd-compressed, named relative to the dump's directory.
struct DumpFile {
    QString path;            // "db1.dump.zst", "db2/toc.dat.zst"
    qint64 bytes = 0;        // stored (compressed)
    qint64 rawBytes = 0;     // what pg_dump wrote
    QString sha256;          // of the stored bytes
};

// A table as the server described it when the dump started: what progress is weighted by and what the
// Restore dump dialog shows beside the table of contents.
struct DumpTable {
    QString schema, name;
    qint64 bytes = 0;        // pg_table_size at the start (pg_class.relpages when a lock is in the way)
    qint64 rows = 0;         // pg_class.reltuples (an estimate; -1 unknown)
};

struct DumpDatabase {
    QString name;
    qint64 sizeBytes = 0;    // pg_database_size at the start
    QString command;         // the exact pg_dump command line (no password: it went through a passfile)
    QList<DumpFile> files;
    QList<DumpTable> tables;
    double seconds = 0;
};

// REPO/servers/NAME/dumps/ID/manifest.json (docs/repository-format.md, "Logical dumps"): written last, so a dump
// is visible only when every file it names is durable.
struct DumpManifest {
    static constexpr int kFormat = 1;
    QString id;
    QString label;
    QString server;
    QString format;                  // custom | directory | plain
    quint64 systemIdentifier = 0;
    int serverVersionNum = 0;
    QString dumpProgram;             // the pg_dump that ran
    int dumpVersionNum = 0;
    QString dumpallProgram;
    int dumpallVersionNum = 0;
    QDateTime startTimeUtc, stopTimeUtc;
    bool hasGlobals = false;
    DumpFile globals;                // roles and tablespaces (pg_dumpall --globals-only), plain SQL
    QString globalsCommand;
    QList<DumpDatabase> databases;
    QStringList filters;             // --schema/--table/--exclude-table as given

    qint64 storedBytes() const;
    qint64 rawBytes() const;
    QList<DumpFile> allFiles() const;
    const DumpDatabase *database(const QString &name) const;
    QByteArray toJsonBytes() const;
    static Result<DumpManifest> fromJson(const QJsonObject &o);
};

// The dumps of one server, like BackupCatalog: published ones have manifest.json.
class DumpCatalog {
public:
    DumpCatalog(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}

    QString root() const;                 // servers/NAME/dumps
    QString dir(const QString &id) const;
    QString filePath(const QString &id, const QString &file) const;
    Result<QStringList> ids() const;      // published, oldest first
    Result<QStringList> unfinishedIds() const;
    Result<DumpManifest> read(const QString &id) const;
    Status begin(const QString &id) const;
    Status publish(const DumpManifest &m) const;
    Status remove(const QString &id) const;
    // "20261201T140000Z-D": sorts by time beside base backup IDs.
    static QString makeId(const QDateTime &utc);
    // A stored file's path must stay inside the dump (a crafted manifest must not send us elsewhere).
    static bool safeRelativePath(const QString &path);

private:
    Result<QStringList> list(bool published) const;
    Repository m_repo;
    QString m_server;
};

} // namespace pga::repo
