#pragma once

#include "core/Audit.h"
#include "core/AuditRules.h"

#include <QDateTime>

// Audit snapshots for the rule tests: a healthy server, and small helpers to change and read one.
namespace pga::test {

inline void set(audit::AuditSnapshot &s, const QString &name, const QString &value, const QString &context = QStringLiteral("sighup"))
{
    audit::Setting st;
    st.name = name;
    st.value = value;
    st.context = context;
    st.source = QStringLiteral("configuration file");
    st.sourceFile = QStringLiteral("/etc/postgresql/15/main/postgresql.conf");
    st.sourceLine = 42;
    s.settings.insert(name, st);
}

// A server configured the way we recommend: no findings at all.
inline audit::AuditSnapshot healthy()
{
    audit::AuditSnapshot s;
    s.versionString = QStringLiteral("PostgreSQL 15.4");
    s.versionNum = 150004;
    s.systemIdentifier = 7312345678901234567ULL;
    s.dataChecksums = true;
    s.collectedAt = QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);
    s.role = {QStringLiteral("postgres"), true, true, true, true};
    set(s, QStringLiteral("wal_level"), QStringLiteral("replica"), QStringLiteral("postmaster"));
    set(s, QStringLiteral("archive_mode"), QStringLiteral("on"), QStringLiteral("postmaster"));
    set(s, QStringLiteral("archive_command"),
        QStringLiteral("pgarchivist-cli archive-push --repo /srv/repo --server main %p"));
    set(s, QStringLiteral("archive_library"), QString());
    set(s, QStringLiteral("archive_timeout"), QStringLiteral("300"));
    set(s, QStringLiteral("full_page_writes"), QStringLiteral("on"));
    set(s, QStringLiteral("fsync"), QStringLiteral("on"));
    set(s, QStringLiteral("max_wal_senders"), QStringLiteral("10"), QStringLiteral("postmaster"));
    s.fileSettingsReadable = true;
    s.archiverReadable = true;
    s.archiver.archivedCount = 12;
    s.archiver.lastArchivedWal = QStringLiteral("00000001000000000000000C");
    s.archiver.lastArchivedTime = s.collectedAt.addSecs(-60);
    s.slotsReadable = true;
    s.archiveReadyCount = 0;
    return s;
}

inline QStringList ids(const QList<audit::Finding> &findings)
{
    QStringList out;
    for (const audit::Finding &f : findings)
        out << f.id;
    return out;
}

inline const audit::Finding *find(const QList<audit::Finding> &findings, const QString &id)
{
    for (const audit::Finding &f : findings)
        if (f.id == id)
            return &f;
    return nullptr;
}


} // namespace pga::test
