#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "engine/Restore.h"
#include "engine/Rewind.h"
#include "engine/Standby.h"

#include <QObject>

#include <functional>

namespace pga::app {

class SecretStore;

// Standbys of a registered server: create one from its repository, promote one, switch an old primary back (pg_rewind),
// rescue from a delayed replica. Jobs in the history, passwords from the keychain; the wizard and dialogs call these and
// `standby create`, `promote`, `rewind` and `standby stop-before` are the same engine calls.
class StandbyService : public QObject {
    Q_OBJECT
public:
    StandbyService(SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    // The server's repository and, for streaming, the server itself as the primary (no password: the standby's server
    // user needs its own in a passfile).
    static engine::StandbyCreateOptions createOptions(const ServerEntry &primary);
    static QString createCommand(const engine::StandbyCreateOptions &o);
    static QString promoteCommand(const engine::PromoteOptions &o);
    static QString rewindCommand(const engine::RewindOptions &o);
    // For a time target, timeText is the time as the user typed it (with its zone).
    static QString stopBeforeCommand(const QString &conninfo, const engine::RecoveryTarget &t, const QString &timeText);
    static bool isTransactionId(const QString &text);
    // Where the wizard proposes the standby's data directory.
    static QString defaultStandbyDir(const ServerEntry &primary);

    void create(const ServerEntry &primary, engine::StandbyCreateOptions o, QObject *context,
                std::function<void(const JobInfo &, const engine::StandbyCreateResult &)> done);
    // o.checkOnly: only what stands in the way (the dialog's first step).
    void promote(const ServerEntry &standby, engine::PromoteOptions o, QObject *context,
                 std::function<void(const JobInfo &, const engine::PromoteResult &)> done);
    void rewind(const ServerEntry &newPrimary, engine::RewindOptions o, QObject *context,
                std::function<void(const JobInfo &, const engine::RewindResult &)> done);
    void stopBefore(const ServerEntry &standby, engine::StopBeforeOptions o, const engine::RecoveryTarget &target, QObject *context,
                    std::function<void(const JobInfo &, const engine::StopBeforeResult &)> done);

private:
    SecretStore *m_secrets;
    JobRunner *m_jobs;
};

} // namespace pga::app
