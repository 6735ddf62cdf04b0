#include "AuditCollector.h"

#include "core/ArchiveCommand.h"
#include "pg/ServerFacts.h"
#include "repo/FileAccess.h"

#include <QFile>
#include <QFileInfo>
#include <sys/stat.h>

#include <QElapsedTimer>
#include <QSet>
#include <QThread>

namespace pga::engine {

namespace {

constexpr int kQueryTimeoutMs = 15000;
constexpr int kReloadWaitMs = 5000;

// Cancel, timeout and a lost connection end the audit; anything else (permission denied) only
// makes one part of the snapshot unknown.
bool isFatal(const Error &e)
{
    return e.code == Error::Code::Cancelled || e.code == Error::Code::Timeout || e.code == Error::Code::Connection;
}

bool isTrue(const QString &v)
{
    return v == QLatin1String("t");
}

QDateTime msecsToTime(const pg::QueryResult &r, int row, int col)
{
    if (r.isNull(row, col))
        return {};
    return QDateTime::fromMSecsSinceEpoch(r.value(row, col).toLongLong(), Qt::UTC);
}

// Epoch milliseconds of a timestamptz column, so no date format parsing is needed.
QString ms(const char *column)
{
    return QStringLiteral("(extract(epoch FROM %1) * 1000)::bigint").arg(QLatin1String(column));
}

Status readRole(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    auto r = conn.exec(QStringLiteral("SELECT rolname, rolsuper, rolreplication, "
                                      "pg_has_role(current_user, 'pg_read_all_settings', 'USAGE'), "
                                      "pg_has_role(current_user, 'pg_monitor', 'USAGE'), %1 "
                                      "FROM pg_roles WHERE rolname = current_user")
                           .arg(ms("now()")),
                       {}, cancel, kQueryTimeoutMs);
    if (!r)
        return r.error();
    if (r->rowCount() != 1)
        return Error(Error::Code::Query, QStringLiteral("The server did not describe the connecting role."));
    s.role.name = r->value(0, 0);
    s.role.superuser = isTrue(r->value(0, 1));
    s.role.replication = isTrue(r->value(0, 2));
    s.role.readAllSettings = isTrue(r->value(0, 3));
    s.role.monitor = isTrue(r->value(0, 4));
    s.collectedAt = msecsToTime(*r, 0, 5);
    return {};
}

Status readSettings(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    // Everything archive-related, everything not at its default, and everything waiting for a restart:
    // what the rules and a later diff need, without ~350 defaults in every stored audit.
    const QStringList wanted = audit::archiveRelatedSettings();
    auto r = conn.exec(
        QStringLiteral("SELECT name, setting, coalesce(unit, ''), source, coalesce(sourcefile, ''), "
                       "coalesce(sourceline, 0), context, pending_restart, coalesce(reset_val, ''), "
                       "sourcefile IS NULL AND source = 'configuration file' "
                       "FROM pg_settings "
                       "WHERE name = ANY(string_to_array($1, ',')) OR source <> 'default' OR pending_restart"),
        {wanted.join(QLatin1Char(','))}, cancel, kQueryTimeoutMs);
    if (!r)
        return r.error();
    s.settingSourcesVisible = true;
    for (int i = 0; i < r->rowCount(); ++i) {
        audit::Setting st;
        st.name = r->value(i, 0);
        st.value = r->isNull(i, 1) ? QString() : r->value(i, 1);
        st.unit = r->value(i, 2);
        st.source = r->value(i, 3);
        st.sourceFile = r->value(i, 4);
        st.sourceLine = r->value(i, 5).toInt();
        st.context = r->value(i, 6);
        st.pendingRestart = isTrue(r->value(i, 7));
        // With archive_mode off the server shows archive_command as "(disabled)"; the configured value is
        // still worth judging before archiving is turned on.
        if (st.name == QLatin1String("archive_command") && st.value == QLatin1String("(disabled)"))
            st.value = r->value(i, 8);
        if (isTrue(r->value(i, 9)))
            s.settingSourcesVisible = false;
        s.settings.insert(st.name, st);
    }
    for (const QString &name : wanted)
        if (!s.settings.contains(name))
            s.hiddenSettings << name;
    return {};
}

Status readFileErrors(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    auto r = conn.exec(QStringLiteral("SELECT coalesce(sourcefile, ''), coalesce(sourceline, 0), coalesce(name, ''), "
                                      "coalesce(setting, ''), error FROM pg_file_settings WHERE error IS NOT NULL "
                                      "ORDER BY seqno"),
                       {}, cancel, kQueryTimeoutMs);
    if (!r)
        return isFatal(r.error()) ? Status(r.error()) : Status(); // superuser-only by default
    s.fileSettingsReadable = true;
    for (int i = 0; i < r->rowCount(); ++i) {
        audit::FileSettingError e {r->value(i, 0), r->value(i, 1).toInt(), r->value(i, 2), r->value(i, 3),
                                   r->value(i, 4)};
        // A changed restart-only setting also shows "setting could not be applied": that is
        // restart.pending, not an error in the file.
        auto it = s.settings.constFind(e.name);
        if (it != s.settings.constEnd() && it->pendingRestart)
            continue;
        s.fileErrors << e;
    }
    return {};
}

Status readArchiver(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    auto r = conn.exec(QStringLiteral("SELECT archived_count, coalesce(last_archived_wal, ''), %1, failed_count, "
                                      "coalesce(last_failed_wal, ''), %2, %3 FROM pg_stat_archiver")
                           .arg(ms("last_archived_time"), ms("last_failed_time"), ms("stats_reset")),
                       {}, cancel, kQueryTimeoutMs);
    if (!r)
        return isFatal(r.error()) ? Status(r.error()) : Status();
    if (r->rowCount() != 1)
        return {};
    s.archiverReadable = true;
    s.archiver.archivedCount = r->value(0, 0).toLongLong();
    s.archiver.lastArchivedWal = r->value(0, 1);
    s.archiver.lastArchivedTime = msecsToTime(*r, 0, 2);
    s.archiver.failedCount = r->value(0, 3).toLongLong();
    s.archiver.lastFailedWal = r->value(0, 4);
    s.archiver.lastFailedTime = msecsToTime(*r, 0, 5);
    s.archiver.statsReset = msecsToTime(*r, 0, 6);
    return {};
}

Status readSlots(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    auto r = conn.exec(QStringLiteral("SELECT slot_name, slot_type, coalesce(database, ''), active, temporary, "
                                      "coalesce(restart_lsn::text, ''), coalesce(wal_status, ''), "
                                      "pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
                                      "ELSE pg_current_wal_lsn() END, restart_lsn)::bigint "
                                      "FROM pg_replication_slots ORDER BY slot_name"),
                       {}, cancel, kQueryTimeoutMs);
    if (!r)
        return isFatal(r.error()) ? Status(r.error()) : Status();
    s.slotsReadable = true;
    for (int i = 0; i < r->rowCount(); ++i) {
        audit::ReplicationSlot slot;
        slot.name = r->value(i, 0);
        slot.type = r->value(i, 1);
        slot.database = r->value(i, 2);
        slot.active = isTrue(r->value(i, 3));
        slot.temporary = isTrue(r->value(i, 4));
        slot.restartLsn = r->value(i, 5);
        slot.walStatus = r->value(i, 6);
        slot.retainedBytes = r->isNull(i, 7) ? -1 : r->value(i, 7).toLongLong();
        s.replicationSlots << slot;
    }
    return {};
}

Status readReplicas(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    auto r = conn.exec(QStringLiteral("SELECT coalesce(r.application_name, ''), coalesce(r.state, ''), coalesce(r.sync_state, ''), "
                                      "EXISTS (SELECT 1 FROM pg_replication_slots sl WHERE sl.active_pid = r.pid), "
                                      "coalesce(host(r.client_addr), 'local') FROM pg_stat_replication r ORDER BY 1, r.pid"),
                       {}, cancel, kQueryTimeoutMs);
    if (!r)
        return isFatal(r.error()) ? Status(r.error()) : Status();
    s.replicasReadable = true;
    for (int i = 0; i < r->rowCount(); ++i)
        s.replicas << audit::Replica{r->value(i, 0), r->value(i, 1), r->value(i, 2), isTrue(r->value(i, 3)), r->value(i, 4)};
    return {};
}

Status readArchiveBacklog(pg::Connection &conn, audit::AuditSnapshot &s, const CancelToken *cancel)
{
    // Superuser or pg_monitor only; a standby's archive_status is not ours to judge either.
    auto r = conn.exec(QStringLiteral("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'"), {},
                       cancel, kQueryTimeoutMs);
    if (!r)
        return isFatal(r.error()) ? Status(r.error()) : Status();
    s.archiveReadyCount = r->value(0, 0).toInt();
    return {};
}

// Who owns the repository archive_command pushes into, and who the server runs as, when both are on this host.
void readRepoOwnership(audit::AuditSnapshot &s)
{
    const QString dataDir = s.value(QStringLiteral("data_directory"));
    if (dataDir.isEmpty())
        return;
    QString repoDir;
    for (const QStringList &words : audit::splitShellCommands(s.value(QStringLiteral("archive_command"))))
        if (words.contains(QStringLiteral("archive-push")))
            for (int i = 0; i + 1 < words.size(); ++i)
                if (words[i] == QLatin1String("--repo"))
                    repoDir = words[i + 1];
    if (repoDir.isEmpty())
        return;
    struct stat data, marker;
    if (::stat(QFile::encodeName(dataDir).constData(), &data) != 0
        || ::stat(QFile::encodeName(repoDir + QStringLiteral("/pgarchivist-repo.json")).constData(), &marker) != 0)
        return;
    // Is it this very server? Its postmaster.pid names the port (unreadable to others: then trust the paths).
    QFile pid(dataDir + QStringLiteral("/postmaster.pid"));
    if (pid.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = pid.readAll().split('\n');
        if (lines.size() < 4 || lines[3].trimmed() != s.value(QStringLiteral("port"), QStringLiteral("5432")).toUtf8())
            return;
    } else if (!pid.exists() && ::geteuid() == data.st_uid) {
        return;  // we could see it, and there is none: another cluster's directory with the same path
    }
    s.archiveRepo = repoDir;
    s.archiveRepoOwner = repo::userName(marker.st_uid);
    s.serverOsUser = repo::userName(data.st_uid);
}

Result<QString> scalar(pg::Connection &conn, const QString &sql, const CancelToken *cancel)
{
    auto r = conn.exec(sql, {}, cancel, kQueryTimeoutMs);
    if (!r)
        return r.error();
    return r->rowCount() > 0 && r->columnCount() > 0 ? r->value(0, 0) : QString();
}

} // namespace

Result<audit::AuditSnapshot> collectAuditSnapshot(pg::Connection &conn, const CancelToken *cancel)
{
    auto facts = pg::readServerFacts(conn, cancel);
    if (!facts)
        return facts.error();
    audit::AuditSnapshot s;
    s.versionString = facts->versionString;
    s.versionNum = facts->versionNum;
    s.systemIdentifier = facts->systemIdentifier;
    s.inRecovery = facts->inRecovery;
    s.dataChecksums = facts->dataChecksums;
    for (auto step : {readRole, readSettings, readFileErrors, readArchiver, readSlots, readReplicas, readArchiveBacklog}) {
        if (Status st = step(conn, s, cancel); !st)
            return st.error();
    }
    readRepoOwnership(s);
    return s;
}

Result<AuditResult> AuditOperation::run(ProgressSink &progress, const CancelToken &cancel)
{
    progress.info(QStringLiteral("Connecting"));
    auto conn = pg::Connection::connect(m_connect, &cancel);
    if (!conn)
        return conn.error();
    return run(**conn, progress, cancel);
}

Result<AuditResult> AuditOperation::run(pg::Connection &conn, ProgressSink &progress, const CancelToken &cancel)
{
    progress.progress(0, 2);
    progress.info(QStringLiteral("Reading settings, archiver state, slots and the role's privileges"));
    auto snap = collectAuditSnapshot(conn, &cancel);
    if (!snap)
        return snap.error();
    progress.progress(1, 2);
    AuditResult r {std::move(*snap), {}};
    r.findings = audit::runAuditRules(r.snapshot, m_rules);
    progress.progress(2, 2);
    progress.info(QStringLiteral("%1 findings").arg(r.findings.size()));
    return r;
}

Result<FixOutcome> applyFix(pg::Connection &conn, const audit::Finding &f, const CancelToken *cancel)
{
    if (f.fixSql.trimmed().isEmpty())
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("%1 has no SQL fix. Recommended: %2.").arg(f.id, f.recommended));
    if (audit::fixNeedsInput(f))
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The fix for %1 has placeholders to fill in first (such as <repo>): %2")
                         .arg(f.id, f.fixSql));
    const bool configuration = f.needs != audit::Needs::None
        || f.fixSql.trimmed().startsWith(QLatin1String("ALTER SYSTEM"), Qt::CaseInsensitive);
    QString loadedBefore;
    if (configuration) {
        auto t = scalar(conn, QStringLiteral("SELECT pg_conf_load_time()::text"), cancel);
        if (!t)
            return t.error();
        loadedBefore = *t;
    }
    if (auto r = conn.exec(f.fixSql, {}, cancel, kQueryTimeoutMs); !r)
        return r.error();

    FixOutcome out;
    if (configuration) {
        if (auto r = scalar(conn, QStringLiteral("SELECT pg_reload_conf()"), cancel); !r)
            return r.error();
        // The reload is asynchronous: wait until this session has read the new configuration, so the
        // pending_restart answer below (and an audit right after) reflect the change.
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < kReloadWaitMs) {
            auto now = scalar(conn, QStringLiteral("SELECT pg_conf_load_time()::text"), cancel);
            if (!now)
                return now.error();
            if (*now != loadedBefore) {
                out.reloaded = true;
                break;
            }
            QThread::msleep(20);
        }
    }
    auto pending = conn.exec(QStringLiteral("SELECT name FROM pg_settings WHERE pending_restart ORDER BY name"), {},
                             cancel, kQueryTimeoutMs);
    if (!pending)
        return pending.error();
    for (int i = 0; i < pending->rowCount(); ++i)
        out.pendingRestart << pending->value(i, 0);
    out.restartNeeded = !out.pendingRestart.isEmpty() || (f.needs == audit::Needs::Restart && !out.reloaded);
    return out;
}

} // namespace pga::engine
