#pragma once

#include "core/Audit.h"
#include "core/AuditRules.h"
#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "pg/Connection.h"

// The configuration audit against a live server (issue 3): read a snapshot, judge it with the core
// rules, and apply a finding's fix.
namespace pga::engine {

// Reads everything the rules need. A role that may not see something (setting sources, hidden
// settings, pg_file_settings, pg_ls_archive_statusdir) does not fail the audit: the snapshot records
// it as unknown. Fails only when the server cannot be queried at all, on timeout, or on cancel.
Result<audit::AuditSnapshot> collectAuditSnapshot(pg::Connection &conn, const CancelToken *cancel = nullptr);

struct AuditResult {
    audit::AuditSnapshot snapshot;
    QList<audit::Finding> findings; // most severe first
};

// Connect, collect, judge: what the GUI's job runner and the CLI run.
class AuditOperation {
public:
    explicit AuditOperation(pg::ConnectOptions connect, audit::AuditOptions rules = {})
        : m_connect(std::move(connect)), m_rules(std::move(rules))
    {
    }
    // Connection errors keep libpq's classification (Connection, Authentication, Timeout, ...).
    Result<AuditResult> run(ProgressSink &progress, const CancelToken &cancel);
    // The same on a connection the caller already has.
    Result<AuditResult> run(pg::Connection &conn, ProgressSink &progress, const CancelToken &cancel);

private:
    pg::ConnectOptions m_connect;
    audit::AuditOptions m_rules;
};

struct FixOutcome {
    bool reloaded = false; // pg_reload_conf() ran and this session saw the new configuration
    bool restartNeeded = false; // some setting (this one or another) waits for a restart
    QStringList pendingRestart; // pg_settings.pending_restart after the reload
};

// Runs the finding's fix_sql, then (for configuration fixes) SELECT pg_reload_conf() and waits until the
// server has reloaded. Refuses a finding without SQL or with placeholders (<repo>) left to fill in.
Result<FixOutcome> applyFix(pg::Connection &conn, const audit::Finding &finding, const CancelToken *cancel = nullptr);

} // namespace pga::engine
