#pragma once

// What the dump and restore-dump operations share around the PostgreSQL client programs they run.
#include "core/Result.h"
#include "pg/ChildProcess.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace pga::engine {

// A private libpq password file (0600, removed on destruction) so the password reaches pg_dump, pg_restore and
// psql through PGPASSFILE, never their command line or environment.
class PassFile {
public:
    static Result<std::unique_ptr<PassFile>> create(const QString &password);
    ~PassFile();
    QStringList env() const;     // PGPASSFILE=… (nothing when there is no password)

private:
    PassFile() = default;
    QString m_path;
};

// The command line as a person would type it (POSIX shell quoting), for manifests, logs and the GUI.
QString shellJoin(const QString &program, const QStringList &args);

// pg_dump/pg_restore/psql stderr: "pg_restore: error: …", "pg_dump: warning: …", "psql:file:12: ERROR: …".
enum class ClientLineKind { Progress, Warning, Error, Other };
ClientLineKind classifyClientLine(const QString &line);


} // namespace pga::engine
