#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/DumpCatalog.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace pga::engine {

struct DumpOptions {
    QString repoDir;
    QString server;
    QString conninfo;
    QString password;              // from the keychain (GUI); the CLI leaves it to libpq
    QStringList databases;         // empty and !all: the conninfo's database
    bool all = false;              // every database that accepts connections, templates excepted
    QString format = QStringLiteral("custom");   // custom | directory | plain
    int jobs = 1;                  // pg_dump -j (directory format only)
    QStringList schemas, tables, excludeTables;
    QString label;
    bool globals = true;           // pg_dumpall --globals-only, once per dump
    int compressLevel = 1;         // our zstd (as base backups); pg_dump itself writes uncompressed
};

// A database as the Dump dialog lists it.
struct DatabaseSize {
    QString name;
    qint64 bytes = 0;
};

// Logical dumps with the client tools matched to the server (ClientTools::matchedClient): pg_dumpall
// --globals-only, then pg_dump per database, uncompressed on pg_dump's side and zstd-compressed by us as it
// streams into REPO/servers/NAME/dumps/ID/ (directory format: into a staging directory, then each file). Progress
// is percent of the tables' bytes, from pg_stat_progress_copy and pg_dump --verbose. The manifest is written last;
// a failed or cancelled dump leaves nothing behind.
class Dump {
public:
    explicit Dump(DumpOptions o) : m_o(std::move(o)) {}
    Result<repo::DumpManifest> run(ProgressSink &progress, const CancelToken &cancel);
    // The databases a dump of --all would take, with their sizes.
    static Result<QList<DatabaseSize>> databases(const QString &conninfo, const QString &password, const CancelToken &cancel);
    // `pgarchivist-cli dump …` for these options.
    static QStringList cliArgs(const DumpOptions &o);

private:
    DumpOptions m_o;
};

// Machine-readable result, as `dump --json` prints it.
QJsonObject dumpJson(const repo::DumpManifest &m);

} // namespace pga::engine
