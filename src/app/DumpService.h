#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "core/RestoreToc.h"
#include "engine/ColdBackup.h"
#include "engine/Dump.h"
#include "engine/RestoreDump.h"

#include <QObject>

#include <functional>

namespace pga::app {

class SecretStore;

// Logical dumps of a registered server and their restores, and cold backups of local clusters: each a job in the
// history, with the password from the keychain. The Dump… and Restore dump… dialogs and the scheduler's "dump" task
// call these, so a scheduled dump and a click are the same code (DESIGN.md, "Rules").
class DumpService : public QObject {
    Q_OBJECT
public:
    DumpService(SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    // Sensible defaults: custom format, every database that accepts connections, with the roles and tablespaces.
    static engine::DumpOptions dumpOptions(const ServerEntry &e);
    static engine::RestoreDumpOptions restoreOptions(const ServerEntry &e, const QString &dumpId);
    // The same from a shell (no password: the CLI takes it from PGPASSWORD or ~/.pgpass).
    static QString dumpCommand(const engine::DumpOptions &o);
    static QString restoreCommand(const engine::RestoreDumpOptions &o);
    static QString coldBackupCommand(const engine::ColdBackupOptions &o);
    // A cluster on this machine (the sandbox, or a socket/localhost connection): the only kind cold backups are
    // offered for.
    static bool isLocal(const ServerEntry &e);
    static QString sandboxDataDir();

    void listDatabases(const ServerEntry &e, QObject *context, std::function<void(const Result<QList<engine::DatabaseSize>> &)> done);
    void readToc(const engine::RestoreDumpOptions &o, QObject *context, std::function<void(const Result<QList<TocEntry>> &)> done);
    // Reads the dump's manifest (databases, tables and their sizes) on a worker thread.
    void readDump(const ServerEntry &e, const QString &dumpId, QObject *context, std::function<void(const Result<repo::DumpManifest> &)> done);

    void dump(const ServerEntry &e, engine::DumpOptions o, QObject *context,
              std::function<void(const JobInfo &, const repo::DumpManifest &)> done, qint64 scheduleId = 0);
    // o.password is filled in from the keychain when o.conninfo is the server's own.
    void restore(const ServerEntry &e, engine::RestoreDumpOptions o, QObject *context,
                 std::function<void(const JobInfo &, const engine::RestoreDumpResult &)> done);
    void coldBackup(const ServerEntry &e, const engine::ColdBackupOptions &o, QObject *context,
                    std::function<void(const JobInfo &, const repo::BackupManifest &)> done, qint64 scheduleId = 0);

private:
    SecretStore *m_secrets;
    JobRunner *m_jobs;
};

} // namespace pga::app
