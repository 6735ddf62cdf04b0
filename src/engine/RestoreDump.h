#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/RestoreToc.h"
#include "core/Result.h"
#include "repo/DumpCatalog.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace pga::engine {

struct RestoreDumpOptions {
    QString repoDir;
    QString server;
    QString dumpId;
    QString conninfo;        // the target server (its database: where a single database goes by default)
    QString password;
    QString database;        // which database of the dump; empty: its only one, or all of them (with globals, --create)
    QString into;            // a new database to restore into (created)
    bool create = false;     // pg_restore --create: the database under its own name
    bool clean = false;      // drop objects before recreating them (--clean --if-exists)
    bool globals = false;    // also the roles and tablespaces (always when restoring every database)
    int jobs = 1;
    QString useListFile;     // a pg_restore list: only its uncommented entries
    QByteArray useList;      // the same, from the GUI
    QStringList schemas, tables;
    bool dataOnly = false, schemaOnly = false;
};

struct RestoreDumpResult {
    QString dumpId;
    QStringList databases;       // restored into (target names)
    QStringList commands;        // what ran, without secrets
    QStringList warnings;        // errors pg_restore/psql ignored, with their statements
    int errorsIgnored = 0;
    double seconds = 0;
};

// Restores a dump from the repository with the client tools matched to the target and to the dump: pg_restore
// for custom and directory dumps (fed from the repository through our zstd; a temporary file when --jobs or a
// list needs seeking), psql for plain ones. Every stored file's SHA-256 is checked before anything runs. Errors
// pg_restore ignores ("errors ignored on restore: N") are warnings with their statements, not a failure.
class RestoreDump {
public:
    explicit RestoreDump(RestoreDumpOptions o) : m_o(std::move(o)) {}
    // The table of contents of one database of the dump (custom and directory dumps).
    Result<QList<TocEntry>> toc(const CancelToken &cancel) const;
    Result<RestoreDumpResult> run(ProgressSink &progress, const CancelToken &cancel);
    static QStringList cliArgs(const RestoreDumpOptions &o);

private:
    Result<QList<TocEntry>> tocOf(const repo::DumpCatalog &catalog, const repo::DumpManifest &m, const CancelToken &cancel) const;
    RestoreDumpOptions m_o;
};

QJsonObject restoreDumpJson(const RestoreDumpResult &r);

// Every stored file of the dump read back and checked against its SHA-256 and size, and with `decompress` its zstd
// frames and their checksums too: the problems found, one line each naming the file. verify decompresses; restore-dump
// only hashes before it starts (the stored bytes' SHA-256 catches any damage, and decompressing a large dump twice
// would cost as much as the restore), then checks the frames as it feeds the client.
Result<QStringList> checkDumpFiles(const repo::DumpCatalog &catalog, const repo::DumpManifest &m, const QList<repo::DumpFile> &files,
                                   const CancelToken &cancel, bool decompress = true);

} // namespace pga::engine
