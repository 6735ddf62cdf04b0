#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "core/BlunderFinder.h"
#include "engine/Blunders.h"
#include "engine/Undo.h"

#include <QObject>

#include <functional>

namespace pga::app {

class SecretStore;

// Finding blunders in a registered server's archived WAL and undoing them: jobs in the history, the password from the
// keychain. The Blunders view and its Undo dialog call these; `blunders` and `undo` are the same engine calls.
class BlunderService : public QObject {
    Q_OBJECT
public:
    BlunderService(SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    static engine::BlunderScanOptions scanOptions(const ServerEntry &e, const BlunderFilter &filter = {});
    static engine::UndoOptions undoOptions(const ServerEntry &e, quint32 xid);
    // The same from a shell (no password: the CLI takes it from PGPASSWORD or ~/.pgpass).
    // Where the Undo dialog proposes the scratch copy: a new directory under the scratch root.
    static QString defaultScratchDir(const ServerEntry &e, quint32 xid);
    static QString scanCommand(const engine::BlunderScanOptions &o);
    static QString undoCommand(const engine::UndoOptions &o);

    // Records a catalog snapshot first when the server answers (so tables made since the last one are named), then
    // reads the archive through the scan cache.
    void scan(const ServerEntry &e, const BlunderFilter &filter, QObject *context,
              std::function<void(const JobInfo &, const engine::BlunderScan &)> done);
    // o.dryRun: the plan only (names checked against the live server, nothing restored).
    void undo(const ServerEntry &e, engine::UndoOptions o, QObject *context,
              std::function<void(const JobInfo &, const engine::UndoResult &)> done);

private:
    SecretStore *m_secrets;
    JobRunner *m_jobs;
};

} // namespace pga::app
