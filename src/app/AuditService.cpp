#include "AuditService.h"
#include "RepositoryService.h"

#include "JobRunner.h"
#include "SecretStore.h"
#include "ServerRegistry.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcAudits, "pgarchivist.app.audits")

namespace pga::app {

namespace {

// A word for sh: as it is when it is plain, else in single quotes.
QString shellWord(const QString &s)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:@%+=-]+$"));
    if (plain.match(s).hasMatch())
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// The rules recommend our archive-push; when the server's repository is known, fill it in so the fix
// can run as it is.
audit::AuditOptions rulesFor(const ServerEntry &e)
{
    audit::AuditOptions o;
    if (!e.repoDir.isEmpty() && !e.repoServer.isEmpty())
        o.archivePushCommand = QStringLiteral("pgarchivist-cli archive-push --repo %1 --server %2%3 %p")
                                   .arg(shellWord(e.repoDir), shellWord(e.repoServer), RepositoryService::cliOptions(e));
    return o;
}

} // namespace

// What a job hands back to the GUI thread. Written by the worker, read in the done callback only.
struct AuditService::Run {
    std::optional<audit::Finding> fix;
    bool fixApplied = false;
    engine::FixOutcome outcome;
    std::optional<engine::AuditResult> result;
};

AuditService::AuditService(ServerRegistry *registry, SecretStore *secrets, JobRunner *jobs, QObject *parent)
    : QObject(parent), m_registry(registry), m_secrets(secrets), m_jobs(jobs)
{
    connect(registry, &ServerRegistry::serverRemoved, this, [this](qint64 id) {
        m_cache.remove(id);
        m_sessionAudited.remove(id);
        m_lastError.remove(id);
        m_lastFix.remove(id);
    });
}

bool AuditService::runAudit(qint64 serverId)
{
    return start(serverId, std::nullopt);
}

bool AuditService::applyFix(qint64 serverId, const audit::Finding &finding)
{
    if (finding.fixSql.trimmed().isEmpty() || audit::fixNeedsInput(finding))
        return false; // the GUI disables Apply for these; applyFix in the engine refuses them too
    return start(serverId, finding);
}

bool AuditService::start(qint64 serverId, const std::optional<audit::Finding> &fix)
{
    if (m_busy.contains(serverId))
        return false;
    auto entry = m_registry->server(serverId);
    if (!entry)
        return false;
    m_busy.insert(serverId);
    emit auditStarted(serverId);
    m_secrets->readPassword(entry->secretKey, this, [this, e = *entry, fix](Result<QString> pw) {
        pg::ConnectOptions options;
        options.conninfo = e.conninfo;
        options.password = pw.valueOr(QString());
        options.connectTimeoutSec = m_connectTimeoutSec;
        auto run = std::make_shared<Run>();
        run->fix = fix;
        const QString title
            = fix ? tr("Apply fix %1 on %2").arg(fix->id, e.name) : tr("Audit configuration of %1").arg(e.name);
        const audit::AuditOptions rules = rulesFor(e);
        m_jobs->start(
            {fix ? QStringLiteral("audit-fix") : QStringLiteral("audit"), title, e.id},
            [options, rules, run](JobContext &ctx) -> Status {
                auto conn = pg::Connection::connect(options, &ctx.cancelToken());
                if (!conn)
                    return conn.error();
                if (run->fix) {
                    ctx.info(QStringLiteral("Running: %1").arg(run->fix->fixSql));
                    auto outcome = engine::applyFix(**conn, *run->fix, &ctx.cancelToken());
                    if (!outcome)
                        return outcome.error();
                    run->fixApplied = true;
                    run->outcome = *outcome;
                    if (outcome->reloaded)
                        ctx.info(QStringLiteral("The server reloaded its configuration"));
                    if (outcome->restartNeeded)
                        ctx.warning(QStringLiteral("A restart is still needed for: %1")
                                        .arg(outcome->pendingRestart.join(QStringLiteral(", "))));
                }
                auto result = engine::AuditOperation(options, rules).run(**conn, ctx, ctx.cancelToken());
                if (!result)
                    return result.error();
                run->result = std::move(*result);
                return {};
            },
            this,
            [this, id = e.id, run](const JobInfo &job) {
                finished(id, run, job.state == JobInfo::State::Succeeded, job.error);
            });
    });
    return true;
}

void AuditService::finished(qint64 serverId, const std::shared_ptr<Run> &run, bool ok, const Error &error)
{
    m_busy.remove(serverId);
    const QString why = error.isError() ? error.toString() : QString();
    if (run->fix) {
        if (run->fixApplied) {
            m_lastFix.insert(serverId, run->outcome);
            emit fixApplied(serverId, run->fix->id);
        } else {
            m_lastError.insert(serverId, why);
            emit fixFailed(serverId, run->fix->id, why);
            return;
        }
    }
    if (!ok || !run->result) {
        m_lastError.insert(serverId, why);
        emit auditFailed(serverId, why);
        return;
    }
    m_sessionAudited.insert(serverId);
    if (Status s = store(serverId, *run->result); !s) {
        m_lastError.insert(serverId, s.error().toString());
        emit auditFailed(serverId, s.error().toString());
        return;
    }
    m_lastError.remove(serverId);
    emit auditFinished(serverId);
}

Status AuditService::store(qint64 serverId, const engine::AuditResult &result)
{
    StoredAudit a;
    a.serverId = serverId;
    a.takenAt = QDateTime::currentDateTimeUtc();
    a.record = {result.snapshot, result.findings};
    const QByteArray json = QJsonDocument(audit::auditRecordToJson(a.record)).toJson(QJsonDocument::Compact);
    QList<StoredAudit> h = history(serverId); // before the insert, which it would otherwise read back too
    auto id = m_registry->addAudit(serverId, a.takenAt, json);
    if (!id)
        return id.error();
    a.id = *id;
    h.prepend(a);
    while (h.size() > kHistory)
        h.removeLast();
    m_cache.insert(serverId, h);
    return {};
}

QList<StoredAudit> AuditService::history(qint64 serverId) const
{
    auto it = m_cache.constFind(serverId);
    if (it != m_cache.constEnd())
        return *it;
    QList<StoredAudit> out;
    const auto rows = m_registry->audits(serverId, kHistory);
    for (const StoredAuditRow &row : rows) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(row.json, &pe);
        auto record = doc.isObject() ? audit::auditRecordFromJson(doc.object())
                                     : Result<audit::AuditRecord>(Error(Error::Code::Corrupt, pe.errorString()));
        if (!record) {
            // One unreadable row must not hide the others.
            qCWarning(lcAudits) << "skipping stored audit" << row.id << record.error().toString();
            continue;
        }
        out.append({row.id, row.serverId, row.takenAt, *record});
    }
    m_cache.insert(serverId, out);
    return out;
}

std::optional<StoredAudit> AuditService::latest(qint64 serverId) const
{
    const auto h = history(serverId);
    if (h.isEmpty())
        return std::nullopt;
    return h.first();
}

QList<AuditChange> AuditService::changes(qint64 serverId) const
{
    QList<AuditChange> out;
    const auto h = history(serverId);
    for (int i = 0; i + 1 < h.size(); ++i) {
        const StoredAudit &after = h[i];
        const StoredAudit &before = h[i + 1];
        const auto diff = audit::diffArchiveSettings(before.record.snapshot, after.record.snapshot);
        for (const audit::SettingChange &c : diff) {
            AuditChange ac;
            ac.change = c;
            ac.previousAuditAt = before.takenAt;
            ac.noticedAt = after.takenAt;
            const audit::Setting s = after.record.snapshot.settings.value(c.name);
            ac.sourceFile = s.sourceFile;
            ac.sourceLine = s.sourceLine;
            ac.source = s.source;
            out.append(ac);
        }
    }
    return out;
}

bool AuditService::worstSeverity(qint64 serverId, audit::Severity *out) const
{
    const auto l = latest(serverId);
    return l && audit::worstSeverity(l->record.findings, out);
}

} // namespace pga::app
