#pragma once

#include "core/Audit.h"
#include "core/AuditJson.h"
#include "core/Result.h"
#include "engine/AuditCollector.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>

#include <optional>

namespace pga::app {

class JobRunner;
class SecretStore;
class ServerRegistry;

// One audit as the registry keeps it.
struct StoredAudit {
    qint64 id = 0;
    qint64 serverId = 0;
    QDateTime takenAt; // when pgArchivist ran it (our clock, UTC): "when we noticed"
    audit::AuditRecord record;
};

// An archive-related setting that differs between two consecutive stored audits. The change happened
// between previousAuditAt and noticedAt; sourceFile:sourceLine say where the new value is set
// (postgresql.auto.conf means ALTER SYSTEM), which is as close to "who" as the server tells.
struct AuditChange {
    audit::SettingChange change;
    QDateTime previousAuditAt;
    QDateTime noticedAt;
    QString sourceFile;
    int sourceLine = 0;
    QString source; // pg_settings.source of the new value ("configuration file", "default", ...)
};

// Runs configuration audits of registered servers as jobs (password from the keychain first), stores
// every result in the registry and keeps the recent ones per server for the GUI. applyFix runs a
// finding's fix as a job and audits again on the same connection. Lives on the GUI thread.
class AuditService : public QObject {
    Q_OBJECT
public:
    static constexpr int kHistory = 20; // audits per server read back for the change history

    AuditService(ServerRegistry *registry, SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    // Starts an audit unless one (or a fix) is running for the server already; false when it did not start.
    bool runAudit(qint64 serverId);
    // Applies the finding's fix (refused for a fix without SQL or with placeholders), then audits again.
    bool applyFix(qint64 serverId, const audit::Finding &finding);
    bool isBusy(qint64 serverId) const { return m_busy.contains(serverId); }
    // Whether this session audited the server already (the GUI audits once on first sight).
    bool auditedThisSession(qint64 serverId) const { return m_sessionAudited.contains(serverId); }

    // Newest first, from the registry (cached).
    QList<StoredAudit> history(qint64 serverId) const;
    std::optional<StoredAudit> latest(qint64 serverId) const;
    // Archive-setting changes across the stored history, newest first.
    QList<AuditChange> changes(qint64 serverId) const;
    // The worst severity of the latest audit; false when there is none or it found nothing.
    bool worstSeverity(qint64 serverId, audit::Severity *out) const;
    // Why the last audit or fix of the server failed; empty after a success.
    QString lastError(qint64 serverId) const { return m_lastError.value(serverId); }
    engine::FixOutcome lastFixOutcome(qint64 serverId) const { return m_lastFix.value(serverId); }

    void setConnectTimeout(int seconds) { m_connectTimeoutSec = seconds; }

signals:
    void auditStarted(qint64 serverId);
    void auditFinished(qint64 serverId); // stored; latest() has it
    void auditFailed(qint64 serverId, const QString &message);
    void fixApplied(qint64 serverId, const QString &findingId); // lastFixOutcome() says what it took
    void fixFailed(qint64 serverId, const QString &findingId, const QString &message);

private:
    struct Run;
    bool start(qint64 serverId, const std::optional<audit::Finding> &fix);
    void finished(qint64 serverId, const std::shared_ptr<Run> &run, bool ok, const Error &error);
    Status store(qint64 serverId, const engine::AuditResult &result);

    ServerRegistry *m_registry;
    SecretStore *m_secrets;
    JobRunner *m_jobs;
    QSet<qint64> m_busy;
    QSet<qint64> m_sessionAudited;
    QHash<qint64, QString> m_lastError;
    QHash<qint64, engine::FixOutcome> m_lastFix;
    mutable QHash<qint64, QList<StoredAudit>> m_cache;
    int m_connectTimeoutSec = 10;
};

} // namespace pga::app
