#pragma once

#include "Audit.h"

// The audit rules: pure functions over an AuditSnapshot. Each rule has a stable id (listed in
// docs/cli.md); a rule that lacks the data it needs (a setting hidden from the role) stays silent,
// and role.cannot_read_settings says why.
namespace pga::audit {

struct AuditOptions {
    int backlogWarnSegments = 10; // archiver.backlog from this many .ready segments
    // The archive_command we recommend; <repo> and <server> are for the person to fill in.
    QString archivePushCommand = QStringLiteral("pgarchivist-cli archive-push --repo <repo> --server <server> %p");
};

// Findings, most severe first; within a severity in the order of allFindingIds().
QList<Finding> runAuditRules(const AuditSnapshot &snapshot, const AuditOptions &options = {});

// Every id a rule can produce, in rule order.
QStringList allFindingIds();

// The settings that decide whether a server can be recovered; diffArchiveSettings compares these.
QStringList archiveRelatedSettings();

// SQL quoting, for fixes.
QString sqlLiteral(const QString &text);
QString sqlIdentifier(const QString &name);

} // namespace pga::audit
