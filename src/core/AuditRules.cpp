#include "AuditRules.h"

#include "ArchiveCommand.h"

#include <QRegularExpression>

#include <algorithm>

namespace pga::audit {

namespace {

struct Ctx {
    const AuditSnapshot &s;
    const AuditOptions &o;
    QList<Finding> out;

    Finding &add(const char *id, Severity sev, const QString &title, const QString &detail)
    {
        Finding f;
        f.id = QString::fromLatin1(id);
        f.severity = sev;
        f.title = title;
        f.detail = detail;
        out << f;
        return out.last();
    }

    // Whether this server archives now: a standby archives only with archive_mode = always.
    bool archivingOn() const
    {
        const QString mode = s.value(QStringLiteral("archive_mode"));
        return mode == QLatin1String("always") || (mode == QLatin1String("on") && !s.inRecovery);
    }
};

QString alterSystem(const QString &name, const QString &value)
{
    return QStringLiteral("ALTER SYSTEM SET %1 = %2").arg(name, sqlLiteral(value));
}

// A fix that sets one parameter.
void setFix(Finding &f, const QString &name, const QString &current, const QString &recommended, Needs needs)
{
    f.setting = name;
    f.current = current;
    f.recommended = recommended;
    f.fixSql = alterSystem(name, recommended);
    f.needs = needs;
}

void ruleWalAndArchiveMode(Ctx &c)
{
    if (c.s.value(QStringLiteral("wal_level")) == QLatin1String("minimal")) {
        auto &f = c.add("wal_level.minimal", Severity::Critical, QStringLiteral("wal_level is minimal"),
                        QStringLiteral("With wal_level = minimal the WAL does not contain what a base backup and "
                                       "archive recovery need: no base backup can be taken and archived WAL "
                                       "cannot rebuild the database. Set it to replica (or logical) and restart."));
        setFix(f, QStringLiteral("wal_level"), QStringLiteral("minimal"), QStringLiteral("replica"), Needs::Restart);
    }
    if (c.s.value(QStringLiteral("archive_mode")) == QLatin1String("off")) {
        auto &f = c.add("archive_mode.off", Severity::Critical, QStringLiteral("WAL archiving is off"),
                        QStringLiteral("archive_mode = off: no WAL is archived, so a restore can only go back to "
                                       "the moment a base backup ended, never to a point in time after it. Turn "
                                       "archive_mode on (needs a restart) and set an archive_command."));
        setFix(f, QStringLiteral("archive_mode"), QStringLiteral("off"), QStringLiteral("on"), Needs::Restart);
    }
}

void ruleArchiveCommand(Ctx &c)
{
    const QString library = c.s.value(QStringLiteral("archive_library"));
    if (!library.isEmpty() || !c.s.has(QStringLiteral("archive_command")))
        return; // archive_library takes over from archive_command
    const QString cmd = c.s.value(QStringLiteral("archive_command"));
    if (cmd == QLatin1String("(disabled)"))
        return; // archive_mode is off and the real value is not shown; archive_mode.off says enough
    const QString pushCmd = c.o.archivePushCommand;
    auto recommend = [&](Finding &f, Needs needs = Needs::Reload) {
        setFix(f, QStringLiteral("archive_command"), cmd, pushCmd, needs);
    };
    const ArchiveCommandAnalysis a = analyzeArchiveCommand(cmd);
    if (a.kind == ArchiveCommandAnalysis::Kind::Empty) {
        if (!c.archivingOn())
            return;
        auto &f = c.add("archive_command.empty", Severity::Critical,
                        QStringLiteral("Archiving is on but there is no archive_command"),
                        QStringLiteral("archive_mode is on, but neither archive_command nor archive_library is set. "
                                       "PostgreSQL keeps every WAL segment until it can be archived, so pg_wal "
                                       "grows until the disk is full, and nothing reaches an archive. Set an "
                                       "archive_command (a reload is enough)."));
        recommend(f);
        return;
    }
    if (a.kind == ArchiveCommandAnalysis::Kind::Noop) {
        auto &f = c.add("archive_command.noop", Severity::Critical, QStringLiteral("archive_command throws WAL away"),
                        QStringLiteral("archive_command = '%1' reports success without storing the segment, so "
                                       "PostgreSQL deletes WAL that no archive holds. Point-in-time recovery is "
                                       "impossible. Use a command that stores the segment durably.")
                            .arg(cmd));
        recommend(f);
        return;
    }
    if (a.ignoresErrors) {
        auto &f = c.add("archive_command.ignores_errors", Severity::Critical,
                        QStringLiteral("archive_command reports success even when it fails"),
                        QStringLiteral("The command ends in something that always succeeds ('|| true', '; exit 0', "
                                       "'; echo ...'), so a failed copy is reported as archived and PostgreSQL "
                                       "deletes WAL that no archive holds. Recovery stops at the first such gap. "
                                       "Let the command fail when the copy fails."));
        recommend(f);
    }
    if (a.conditional) {
        auto &f = c.add("archive_command.conditional", Severity::Warning,
                        QStringLiteral("archive_command only archives while %1 exists").arg(a.conditionFile),
                        QStringLiteral("The command archives only while the switch file %1 exists (the classic "
                                       "backup_in_progress recipe) and otherwise reports success, so WAL written "
                                       "outside a backup is discarded: a restore can reach the end of a backup but "
                                       "no later moment. Archive continuously.")
                            .arg(a.conditionFile));
        recommend(f);
    }
    if (a.overwrites()) {
        auto &f = c.add("archive_command.overwrite", Severity::Warning,
                        QStringLiteral("archive_command may overwrite archived WAL"),
                        QStringLiteral("The command copies into the archive without checking whether the file is "
                                       "already there. A second server pointed at the same archive, or a retry "
                                       "after a crash, can silently replace good WAL with different content. "
                                       "Refuse existing files (test ! -f ... &&) or use a tool that checks."));
        recommend(f);
        // A plain local cp with a known destination gets the minimal fix: the existence check.
        static const QRegularExpression plainCp(QStringLiteral("^\\s*cp\\s+%p\\s+(\\S+%f)\\s*$"));
        const auto m = plainCp.match(cmd);
        if (m.hasMatch()) {
            f.recommended = QStringLiteral("test ! -f %1 && %2").arg(m.captured(1), cmd.trimmed());
            f.fixSql = alterSystem(QStringLiteral("archive_command"), f.recommended);
        }
    }
    if (a.notDurable()) {
        auto &f = c.add("archive_command.no_fsync", Severity::Warning,
                        QStringLiteral("archive_command does not make WAL durable"),
                        QStringLiteral("%1 returns before the copy is on stable storage. PostgreSQL then removes "
                                       "its own copy, and a power loss on the archive host can lose a segment the "
                                       "server believes archived: recovery stops at the gap. Use a command that "
                                       "fsyncs the file and its directory.")
                            .arg(a.tool.isEmpty() ? QStringLiteral("The copy") : QStringLiteral("Plain ") + a.tool));
        recommend(f);
    }
}

void ruleArchiveTimeout(Ctx &c)
{
    if (!c.archivingOn() || !c.s.has(QStringLiteral("archive_timeout")))
        return;
    bool ok = false;
    const int seconds = c.s.value(QStringLiteral("archive_timeout")).toInt(&ok);
    if (!ok)
        return;
    const QString current = QStringLiteral("%1s").arg(seconds);
    if (seconds == 0) {
        auto &f = c.add("archive_timeout.zero", Severity::Warning, QStringLiteral("archive_timeout is 0"),
                        QStringLiteral("A segment is archived only when it is full. On a quiet server that can "
                                       "take hours or days, and everything written since the last full segment "
                                       "is lost with the server: the recovery point objective is unbounded. Set "
                                       "archive_timeout to a few minutes."));
        setFix(f, QStringLiteral("archive_timeout"), current, QStringLiteral("5min"), Needs::Reload);
    } else if (seconds < 60) {
        auto &f = c.add("archive_timeout.short", Severity::Info, QStringLiteral("archive_timeout is under a minute"),
                        QStringLiteral("Each timeout archives a whole segment (16 MB by default) however little "
                                       "was written, so a short archive_timeout fills the archive fast. Consider "
                                       "a minute or more, or streaming (wal-receive) for a tighter RPO."));
        setFix(f, QStringLiteral("archive_timeout"), current, QStringLiteral("1min"), Needs::Reload);
    }
}

void ruleArchiver(Ctx &c)
{
    if (!c.s.archiverReadable || (c.s.has(QStringLiteral("archive_mode")) && !c.archivingOn()))
        return;
    const ArchiverStats &st = c.s.archiver;
    if (st.lastFailedTime.isValid() && (!st.lastArchivedTime.isValid() || st.lastFailedTime > st.lastArchivedTime)) {
        auto &f = c.add("archiver.failing", Severity::Critical,
                        QStringLiteral("Archiving fails at WAL file %1").arg(st.lastFailedWal),
                        QStringLiteral("The archiver last failed on %1 at %2 and has not succeeded since (%3 "
                                       "failures in total). Nothing after the last archived segment can be "
                                       "recovered, and pg_wal grows until archiving works again. The server log "
                                       "shows the command's error.")
                            .arg(st.lastFailedWal, st.lastFailedTime.toUTC().toString(Qt::ISODate))
                            .arg(st.failedCount));
        f.setting = QStringLiteral("archive_command");
        f.current = QStringLiteral("failed %1 at %2; last archived %3")
                        .arg(st.lastFailedWal, st.lastFailedTime.toUTC().toString(Qt::ISODate),
                             st.lastArchivedWal.isEmpty() ? QStringLiteral("never") : st.lastArchivedWal);
        f.recommended = QStringLiteral("an archive_command that succeeds");
    }
    if (c.s.archiveReadyCount >= c.o.backlogWarnSegments) {
        auto &f = c.add("archiver.backlog", Severity::Warning,
                        QStringLiteral("%1 WAL segments wait to be archived").arg(c.s.archiveReadyCount),
                        QStringLiteral("Segments are written faster than they are archived, or archiving is "
                                       "stuck. The newest WAL exists only on this server until it is archived, "
                                       "and pg_wal keeps growing."));
        f.current = QStringLiteral("%1 segments").arg(c.s.archiveReadyCount);
        f.recommended = QStringLiteral("fewer than %1").arg(c.o.backlogWarnSegments);
    }
}

void ruleDurability(Ctx &c)
{
    if (c.s.value(QStringLiteral("full_page_writes")) == QLatin1String("off")) {
        auto &f = c.add("full_page_writes.off", Severity::Critical, QStringLiteral("full_page_writes is off"),
                        QStringLiteral("Without full page images a page torn by a crash cannot be repaired from "
                                       "WAL, and an online base backup may contain torn pages that recovery cannot "
                                       "fix: the restored database is silently corrupt."));
        setFix(f, QStringLiteral("full_page_writes"), QStringLiteral("off"), QStringLiteral("on"), Needs::Reload);
    }
    if (c.s.value(QStringLiteral("fsync")) == QLatin1String("off")) {
        auto &f = c.add("fsync.off", Severity::Critical, QStringLiteral("fsync is off"),
                        QStringLiteral("The server does not force WAL and data to disk. After a power loss or OS "
                                       "crash the data directory can be corrupt and the WAL incomplete, and "
                                       "segments handed to the archiver may never have reached the disk."));
        setFix(f, QStringLiteral("fsync"), QStringLiteral("off"), QStringLiteral("on"), Needs::Reload);
    }
    if (!c.s.dataChecksums) {
        auto &f = c.add("data_checksums.off", Severity::Info, QStringLiteral("Data checksums are off"),
                        QStringLiteral("Without page checksums, corruption on disk goes unnoticed and is copied "
                                       "into every backup. Enable them with pg_checksums --enable while the server "
                                       "is stopped (no SQL can do it)."));
        f.setting = QStringLiteral("data_checksums");
        f.current = QStringLiteral("off");
        f.recommended = QStringLiteral("on (pg_checksums --enable, server stopped)");
    }
    if (c.s.value(QStringLiteral("max_wal_senders")) == QLatin1String("0")) {
        auto &f = c.add("max_wal_senders.zero", Severity::Warning, QStringLiteral("max_wal_senders is 0"),
                        QStringLiteral("No replication connections are allowed, so base backups over the "
                                       "replication protocol (ours, pg_basebackup) and WAL streaming cannot run."));
        setFix(f, QStringLiteral("max_wal_senders"), QStringLiteral("0"), QStringLiteral("10"), Needs::Restart);
    }
}

void ruleSlots(Ctx &c)
{
    for (const ReplicationSlot &slot : c.s.replicationSlots) {
        if (slot.temporary)
            continue;
        const bool lost = slot.walStatus == QLatin1String("lost");
        const bool extended = slot.walStatus == QLatin1String("extended");
        const bool retaining = !slot.active && !slot.restartLsn.isEmpty();
        if (!lost && !extended && !retaining)
            continue;
        const QString retained = slot.retainedBytes >= 0
            ? QStringLiteral("%1 MB of WAL retained").arg(slot.retainedBytes / (1024 * 1024))
            : QStringLiteral("WAL retained");
        QString why;
        if (lost)
            why = QStringLiteral("The slot lost WAL its consumer still needed (wal_status lost): that consumer can "
                                 "no longer continue and must be rebuilt.");
        else if (extended)
            why = QStringLiteral("The slot holds more WAL than max_wal_size (wal_status extended); pg_wal grows "
                                 "and may fill the disk, which stops the server.");
        else
            why = QStringLiteral("Nothing is connected to the slot, yet it keeps WAL from being removed; pg_wal "
                                 "grows until the disk is full, which stops the server.");
        auto &f = c.add("slot.inactive", lost ? Severity::Critical : Severity::Warning,
                        QStringLiteral("Replication slot %1 %2")
                            .arg(slot.name, lost ? QStringLiteral("lost WAL") : QStringLiteral("retains WAL")),
                        why + QStringLiteral(" Drop the slot if its consumer is gone."));
        f.setting = slot.name;
        f.current = QStringLiteral("%1, %2, wal_status %3")
                        .arg(slot.active ? QStringLiteral("active") : QStringLiteral("inactive"), retained,
                             slot.walStatus.isEmpty() ? QStringLiteral("unknown") : slot.walStatus);
        f.recommended = QStringLiteral("an active consumer, or no slot");
        f.fixSql = QStringLiteral("SELECT pg_drop_replication_slot(%1)").arg(sqlLiteral(slot.name));
    }
}

// Standbys, receivers and switchback (issue 15).
void ruleReplication(Ctx &c)
{
    for (const Replica &r : c.s.replicas) {
        if (r.usesSlot || (r.state != QLatin1String("streaming") && r.state != QLatin1String("catchup")))
            continue;
        const QString who = r.applicationName.isEmpty() ? r.client : r.applicationName;
        auto &f = c.add("slot.missing_for_receiver", Severity::Warning, QStringLiteral("%1 streams WAL without a replication slot").arg(who),
                        QStringLiteral("Nothing keeps the WAL it has not received yet: if it falls behind by more than wal_keep_size (or "
                                       "is disconnected for a while), the server recycles those segments, a standby must be rebuilt and "
                                       "a WAL receiver leaves a gap in the archive. Give it a physical slot ('wal-receive --slot NAME "
                                       "--create-slot', or primary_slot_name on the standby)."));
        f.setting = who;
        f.current = QStringLiteral("%1 from %2, no slot").arg(r.state, r.client);
        f.recommended = QStringLiteral("a physical replication slot");
    }
    if (c.s.has(QStringLiteral("wal_log_hints")) && !c.s.dataChecksums && c.s.value(QStringLiteral("wal_log_hints")) != QLatin1String("on")) {
        auto &f = c.add("rewind.unavailable", Severity::Info, QStringLiteral("pg_rewind cannot run on this server"),
                        QStringLiteral("pg_rewind needs wal_log_hints or data checksums. Without either, after a failover this server "
                                       "cannot be switched back by rewinding it: it must be copied anew from the repository or the new "
                                       "primary. Turn wal_log_hints on (a restart), or enable checksums with pg_checksums."));
        setFix(f, QStringLiteral("wal_log_hints"), QStringLiteral("off"), QStringLiteral("on"), Needs::Restart);
    }
    if (c.s.inRecovery && c.s.value(QStringLiteral("hot_standby")) == QLatin1String("on")
        && c.s.value(QStringLiteral("hot_standby_feedback")) == QLatin1String("off")) {
        auto &f = c.add("standby.no_hot_standby_feedback", Severity::Info, QStringLiteral("Queries on this hot standby can be cancelled by replay"),
                        QStringLiteral("Without hot_standby_feedback the primary vacuums away rows that queries here still read, so replay "
                                       "either cancels them or falls behind (max_standby_streaming_delay), and a delayed or lagging standby "
                                       "is further from the primary when it must take over. Turn it on unless the primary's bloat matters "
                                       "more."));
        setFix(f, QStringLiteral("hot_standby_feedback"), QStringLiteral("off"), QStringLiteral("on"), Needs::Reload);
    }
}

// Only the repository's owner may write it (issue 10): archive-push run as anyone else is refused, so every
// segment fails to archive until the owner or the command changes.
void ruleRepoOwner(Ctx &c)
{
    if (c.s.archiveRepoOwner.isEmpty() || c.s.serverOsUser.isEmpty() || c.s.archiveRepoOwner == c.s.serverOsUser)
        return;
    auto &f = c.add("archive_command.repo_owner", Severity::Critical,
                    QStringLiteral("The repository belongs to %1, but archive_command runs as %2").arg(c.s.archiveRepoOwner, c.s.serverOsUser),
                    QStringLiteral("Only a repository's owner writes it, so archive-push run by the server (as %1) is refused and "
                                   "no WAL reaches %2: point-in-time recovery stops at the last archived segment. Give the "
                                   "repository to %1 ('chown -R %1: %2'), or make a new one with 'sudo pgarchivist-cli repo-init "
                                   "--repo DIR --owner %1' and point archive_command at it.")
                        .arg(c.s.serverOsUser, c.s.archiveRepo));
    f.setting = QStringLiteral("archive_command");
    f.current = QStringLiteral("repository owner %1, server user %2").arg(c.s.archiveRepoOwner, c.s.serverOsUser);
    f.recommended = QStringLiteral("the repository owned by %1").arg(c.s.serverOsUser);
}

void ruleSettingsState(Ctx &c)
{
    QStringList pending;
    for (const Setting &st : c.s.settings)
        if (st.pendingRestart)
            pending << st.name;
    if (!pending.isEmpty()) {
        auto &f = c.add("restart.pending", Severity::Warning,
                        QStringLiteral("Settings wait for a restart: %1").arg(pending.join(QStringLiteral(", "))),
                        QStringLiteral("These settings were changed in the configuration but take effect only "
                                       "after a restart, so the server still runs with the old values. Restart "
                                       "when convenient, or revert the change."));
        f.setting = pending.join(QLatin1Char(','));
        f.current = QStringLiteral("changed, not in effect: ") + pending.join(QStringLiteral(", "));
        f.recommended = QStringLiteral("restart the server");
        f.needs = Needs::Restart;
    }
    for (const FileSettingError &e : c.s.fileErrors) {
        const QString where = QStringLiteral("%1:%2").arg(e.sourceFile).arg(e.sourceLine);
        auto &f
            = c.add("settings.file_error", Severity::Critical,
                    QStringLiteral("Configuration error at %1%2")
                        .arg(where, e.name.isEmpty() ? QString() : QStringLiteral(" (") + e.name + QLatin1Char(')')),
                    QStringLiteral("The configuration file has an error (%1). The server ignores that line, "
                                   "so the setting is not what the file says, and a restart may fail "
                                   "altogether. Fix or remove the line.")
                        .arg(e.error));
        f.setting = e.name;
        f.current = e.name.isEmpty() ? e.error : QStringLiteral("%1 = %2").arg(e.name, e.value);
        f.recommended = QStringLiteral("a valid value, or no line");
        if (!e.name.isEmpty() && e.sourceFile.endsWith(QLatin1String("postgresql.auto.conf"))) {
            f.fixSql = QStringLiteral("ALTER SYSTEM RESET %1").arg(e.name);
            f.needs = Needs::Reload;
        }
    }
}

void ruleRole(Ctx &c)
{
    const RoleInfo &r = c.s.role;
    if (r.name.isEmpty() || r.superuser)
        return;
    if (!r.replication) {
        auto &f = c.add("role.no_replication", Severity::Warning,
                        QStringLiteral("Role %1 cannot take base backups").arg(r.name),
                        QStringLiteral("Base backups and WAL streaming use a replication connection, which needs "
                                       "the REPLICATION attribute (or a superuser). Grant it, or register the "
                                       "server with a role that has it; pg_hba.conf must also allow the "
                                       "replication connection."));
        f.setting = r.name;
        f.current = QStringLiteral("NOREPLICATION");
        f.recommended = QStringLiteral("REPLICATION");
        f.fixSql = QStringLiteral("ALTER ROLE %1 REPLICATION").arg(sqlIdentifier(r.name));
    }
    if (!r.readAllSettings || !c.s.hiddenSettings.isEmpty()) {
        QStringList hidden {QStringLiteral("where each setting comes from")};
        if (!c.s.hiddenSettings.isEmpty())
            hidden.prepend(c.s.hiddenSettings.join(QStringLiteral(", ")));
        if (c.s.archiveReadyCount < 0)
            hidden << QStringLiteral("the archive backlog");
        if (!c.s.fileSettingsReadable)
            hidden << QStringLiteral("configuration file errors");
        auto &f = c.add("role.cannot_read_settings", Severity::Warning,
                        QStringLiteral("Role %1 cannot see all settings").arg(r.name),
                        QStringLiteral("Hidden from this role: %1. The audit cannot judge what it cannot see. "
                                       "Grant pg_monitor (which includes pg_read_all_settings and the backlog), "
                                       "or audit as a superuser; configuration file errors need a superuser.")
                            .arg(hidden.join(QStringLiteral("; "))));
        f.setting = r.name;
        f.current = QStringLiteral("no pg_read_all_settings");
        f.recommended = QStringLiteral("member of pg_monitor");
        f.fixSql = QStringLiteral("GRANT pg_monitor TO %1").arg(sqlIdentifier(r.name));
    }
}

} // namespace

QStringList allFindingIds()
{
    return {QStringLiteral("wal_level.minimal"),
            QStringLiteral("archive_mode.off"),
            QStringLiteral("archive_command.empty"),
            QStringLiteral("archive_command.noop"),
            QStringLiteral("archive_command.ignores_errors"),
            QStringLiteral("archive_command.conditional"),
            QStringLiteral("archive_command.overwrite"),
            QStringLiteral("archive_command.no_fsync"),
            QStringLiteral("archive_command.repo_owner"),
            QStringLiteral("archive_timeout.zero"),
            QStringLiteral("archive_timeout.short"),
            QStringLiteral("archiver.failing"),
            QStringLiteral("archiver.backlog"),
            QStringLiteral("full_page_writes.off"),
            QStringLiteral("fsync.off"),
            QStringLiteral("data_checksums.off"),
            QStringLiteral("max_wal_senders.zero"),
            QStringLiteral("slot.inactive"),
            QStringLiteral("slot.missing_for_receiver"),
            QStringLiteral("rewind.unavailable"),
            QStringLiteral("standby.no_hot_standby_feedback"),
            QStringLiteral("restart.pending"),
            QStringLiteral("settings.file_error"),
            QStringLiteral("role.no_replication"),
            QStringLiteral("role.cannot_read_settings")};
}

QStringList archiveRelatedSettings()
{
    return {QStringLiteral("wal_level"),
            QStringLiteral("archive_mode"),
            QStringLiteral("archive_command"),
            QStringLiteral("archive_library"),
            QStringLiteral("archive_timeout"),
            QStringLiteral("full_page_writes"),
            QStringLiteral("fsync"),
            QStringLiteral("max_wal_senders"),
            QStringLiteral("max_replication_slots"),
            QStringLiteral("wal_keep_size"),
            QStringLiteral("max_slot_wal_keep_size"),
            QStringLiteral("max_wal_size"),
            QStringLiteral("synchronous_commit"),
            QStringLiteral("wal_log_hints"),
            QStringLiteral("hot_standby"),
            QStringLiteral("hot_standby_feedback"),
            QStringLiteral("restore_command"),
            QStringLiteral("data_checksums")};
}

QList<Finding> runAuditRules(const AuditSnapshot &snapshot, const AuditOptions &options)
{
    Ctx c {snapshot, options, {}};
    ruleWalAndArchiveMode(c);
    ruleArchiveCommand(c);
    ruleRepoOwner(c);
    ruleArchiveTimeout(c);
    ruleArchiver(c);
    ruleDurability(c);
    ruleSlots(c);
    ruleReplication(c);
    ruleSettingsState(c);
    ruleRole(c);
    std::stable_sort(c.out.begin(), c.out.end(),
                     [](const Finding &a, const Finding &b) { return int(a.severity) > int(b.severity); });
    return c.out;
}

QString sqlLiteral(const QString &text)
{
    QString t = text;
    t.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + t + QLatin1Char('\'');
}

QString sqlIdentifier(const QString &name)
{
    QString t = name;
    t.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + t + QLatin1Char('"');
}

} // namespace pga::audit
