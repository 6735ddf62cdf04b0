#pragma once

#include "Audit.h"
#include "Result.h"

#include <QJsonObject>

// Audits as JSON: the CLI's report, and a full record (snapshot + findings) that the GUI stores
// per audit and reads back to compare consecutive audits.
namespace pga::audit {

// Exactly the contract fields: id, severity, title, detail, current, recommended, fix_sql, needs.
// withSetting adds "setting" (the parameter, slot or role the finding is about) for stored records.
QJsonObject findingToJson(const Finding &f, bool withSetting = false);
Result<Finding> findingFromJson(const QJsonObject &o);

// The "server" object of the report: version, version_num, system_identifier (string), in_recovery,
// data_checksums, role {name, superuser, replication, read_all_settings, monitor},
// archive_ready_count (null when unknown), archiver {...} (null when unreadable), collected_at.
QJsonObject serverFactsToJson(const AuditSnapshot &s);

// `pgarchivist-cli check --json`: {"server": {...}, "findings": [...]}.
QJsonObject auditReportToJson(const AuditSnapshot &s, const QList<Finding> &findings);

// Everything in the snapshot, lossless: snapshotFromJson(snapshotToJson(s)) == s.
QJsonObject snapshotToJson(const AuditSnapshot &s);
Result<AuditSnapshot> snapshotFromJson(const QJsonObject &o);

// One stored audit: {"format": 1, "snapshot": {...}, "findings": [... with "setting"]}.
struct AuditRecord {
    AuditSnapshot snapshot;
    QList<Finding> findings;
};
QJsonObject auditRecordToJson(const AuditRecord &r);
Result<AuditRecord> auditRecordFromJson(const QJsonObject &o);

// A setting that differs between two audits. A setting the role could not see in one of them has an
// empty value there and visible=false on that side.
struct SettingChange {
    QString name;
    QString oldValue;
    QString newValue;
    bool oldVisible = true;
    bool newVisible = true;
    bool operator==(const SettingChange &) const = default;
};

// Which archive-related settings (archiveRelatedSettings()) changed between `before` and `after`,
// in that list's order. A setting hidden on both sides is not reported.
QList<SettingChange> diffArchiveSettings(const AuditSnapshot &before, const AuditSnapshot &after);

// Findings by id+setting: which appeared and which went away between two audits.
struct FindingsDiff {
    QList<Finding> added;
    QList<Finding> resolved;
};
FindingsDiff diffFindings(const QList<Finding> &before, const QList<Finding> &after);

} // namespace pga::audit
