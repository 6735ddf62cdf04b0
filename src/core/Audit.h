#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>

// The archive configuration audit: what the collector reads from a server (AuditSnapshot) and what
// the rules conclude (Finding). Plain values, no I/O: the engine fills a snapshot, core/AuditRules
// judges it, core/AuditJson stores and diffs it. The GUI keeps one snapshot per audit.
namespace pga::audit {

// One row of pg_settings, as much of it as the role may see.
struct Setting {
    QString name;
    QString value; // pg_settings.setting, in the base unit ("300" for archive_timeout in s)
    QString unit; // "s", "8kB", "" ...
    QString source; // "configuration file", "default", "override" ...
    QString sourceFile; // empty when hidden from the role (needs pg_read_all_settings)
    int sourceLine = 0;
    QString context; // "postmaster" (restart), "sighup" (reload), ...
    bool pendingRestart = false;

    bool operator==(const Setting &) const = default;
};

// A row of pg_file_settings with an error other than "waiting for a restart".
struct FileSettingError {
    QString sourceFile;
    int sourceLine = 0;
    QString name; // may be empty for a syntax error
    QString value;
    QString error;

    bool operator==(const FileSettingError &) const = default;
};

// pg_stat_archiver.
struct ArchiverStats {
    int64_t archivedCount = 0;
    QString lastArchivedWal;
    QDateTime lastArchivedTime; // invalid when never
    int64_t failedCount = 0;
    QString lastFailedWal;
    QDateTime lastFailedTime;
    QDateTime statsReset;

    bool operator==(const ArchiverStats &) const = default;
};

// A row of pg_replication_slots.
struct ReplicationSlot {
    QString name;
    QString type; // "physical" | "logical"
    QString database;
    bool active = false;
    bool temporary = false;
    QString restartLsn; // empty when the slot holds no WAL
    QString walStatus; // "reserved" | "extended" | "unreserved" | "lost" | ""
    int64_t retainedBytes = -1; // WAL kept for the slot; -1 unknown

    bool operator==(const ReplicationSlot &) const = default;
};

// A row of pg_stat_replication: a standby or WAL receiver streaming from this server.
struct Replica {
    QString applicationName;
    QString state;          // startup | catchup | streaming | backup | stopping
    QString syncState;      // async | potential | sync | quorum
    bool usesSlot = false;  // a replication slot's active_pid is this walsender
    QString client;         // client address, or "local"

    bool operator==(const Replica &) const = default;
};

// The connecting role.
struct RoleInfo {
    QString name;
    bool superuser = false;
    bool replication = false;
    bool readAllSettings = false; // has the privileges of pg_read_all_settings
    bool monitor = false; // has the privileges of pg_monitor

    bool operator==(const RoleInfo &) const = default;
};

struct AuditSnapshot {
    QDateTime collectedAt; // the server's clock, UTC
    QString versionString;
    int versionNum = 0;
    quint64 systemIdentifier = 0;
    bool inRecovery = false;
    bool dataChecksums = false;
    RoleInfo role;

    QMap<QString, Setting> settings; // by name; only what the role can see
    bool settingSourcesVisible = true; // false when sourcefile/sourceline came back empty for the role
    QStringList hiddenSettings; // settings the audit needs that pg_settings did not show

    bool fileSettingsReadable = false; // pg_file_settings is superuser-only by default
    QList<FileSettingError> fileErrors;

    bool archiverReadable = false;
    ArchiverStats archiver;

    bool slotsReadable = false;
    QList<ReplicationSlot> replicationSlots;

    bool replicasReadable = false;
    QList<Replica> replicas;

    int archiveReadyCount = -1; // .ready files in pg_wal/archive_status; -1 when the role may not look

    // For a server on this host whose archive_command is our archive-push: the repository it names, the user
    // owning it (who alone may write it) and the OS user the server (and so archive_command) runs as. Empty
    // when not known (a remote server, a path we cannot see).
    QString archiveRepo;
    QString archiveRepoOwner;
    QString serverOsUser;

    // The effective value of a setting, or `fallback` when the role cannot see it.
    QString value(const QString &name, const QString &fallback = {}) const
    {
        auto it = settings.constFind(name);
        return it == settings.constEnd() ? fallback : it->value;
    }
    bool has(const QString &name) const { return settings.contains(name); }

    bool operator==(const AuditSnapshot &) const = default;
};

enum class Severity { Info, Warning, Critical };
// What it takes for a fix to take effect.
enum class Needs { None, Reload, Restart };

struct Finding {
    QString id; // stable, e.g. "archive_mode.off"; the same id may appear once per subject (slots)
    Severity severity = Severity::Info;
    QString title; // one line
    QString detail; // why it matters for recovery, and what to do
    QString current; // the value found
    QString recommended; // the value to set
    QString fixSql; // one statement (ALTER SYSTEM ..., GRANT ..., ...); empty when no SQL fixes it
    Needs needs = Needs::None;
    QString setting; // the parameter (or slot, or role) the finding is about, for the GUI and applyFix

    bool operator==(const Finding &) const = default;
};

QString severityName(Severity s); // "critical" | "warning" | "info"
bool parseSeverity(const QString &text, Severity *out);
QString needsName(Needs n); // "reload" | "restart" | "none"
bool parseNeeds(const QString &text, Needs *out);

// True when fixSql contains placeholders such as <repo> that a person must fill in before it can run.
bool fixNeedsInput(const Finding &f);

// The worst severity among findings; nullopt-like: returns false when there are none.
bool worstSeverity(const QList<Finding> &findings, Severity *out);

} // namespace pga::audit
