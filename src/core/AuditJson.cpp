#include "AuditJson.h"

#include "AuditRules.h"

#include <QJsonArray>
#include <QSet>

namespace pga::audit {

namespace {

constexpr int kRecordFormat = 1;

QJsonValue timeToJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QDateTime timeFromJson(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}

QJsonObject roleToJson(const RoleInfo &r)
{
    return {{QStringLiteral("name"), r.name},
            {QStringLiteral("superuser"), r.superuser},
            {QStringLiteral("replication"), r.replication},
            {QStringLiteral("read_all_settings"), r.readAllSettings},
            {QStringLiteral("monitor"), r.monitor}};
}

RoleInfo roleFromJson(const QJsonObject &o)
{
    RoleInfo r;
    r.name = o.value(QStringLiteral("name")).toString();
    r.superuser = o.value(QStringLiteral("superuser")).toBool();
    r.replication = o.value(QStringLiteral("replication")).toBool();
    r.readAllSettings = o.value(QStringLiteral("read_all_settings")).toBool();
    r.monitor = o.value(QStringLiteral("monitor")).toBool();
    return r;
}

QJsonObject archiverToJson(const ArchiverStats &a)
{
    return {{QStringLiteral("archived_count"), qint64(a.archivedCount)},
            {QStringLiteral("last_archived_wal"), a.lastArchivedWal},
            {QStringLiteral("last_archived_time"), timeToJson(a.lastArchivedTime)},
            {QStringLiteral("failed_count"), qint64(a.failedCount)},
            {QStringLiteral("last_failed_wal"), a.lastFailedWal},
            {QStringLiteral("last_failed_time"), timeToJson(a.lastFailedTime)},
            {QStringLiteral("stats_reset"), timeToJson(a.statsReset)}};
}

ArchiverStats archiverFromJson(const QJsonObject &o)
{
    ArchiverStats a;
    a.archivedCount = o.value(QStringLiteral("archived_count")).toInteger();
    a.lastArchivedWal = o.value(QStringLiteral("last_archived_wal")).toString();
    a.lastArchivedTime = timeFromJson(o.value(QStringLiteral("last_archived_time")));
    a.failedCount = o.value(QStringLiteral("failed_count")).toInteger();
    a.lastFailedWal = o.value(QStringLiteral("last_failed_wal")).toString();
    a.lastFailedTime = timeFromJson(o.value(QStringLiteral("last_failed_time")));
    a.statsReset = timeFromJson(o.value(QStringLiteral("stats_reset")));
    return a;
}

QJsonArray stringsToJson(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}

QStringList stringsFromJson(const QJsonValue &v)
{
    QStringList out;
    const QJsonArray a = v.toArray();
    for (const QJsonValue &x : a)
        out << x.toString();
    return out;
}

} // namespace

QJsonObject findingToJson(const Finding &f, bool withSetting)
{
    QJsonObject o {{QStringLiteral("id"), f.id},           {QStringLiteral("severity"), severityName(f.severity)},
                   {QStringLiteral("title"), f.title},     {QStringLiteral("detail"), f.detail},
                   {QStringLiteral("current"), f.current}, {QStringLiteral("recommended"), f.recommended},
                   {QStringLiteral("fix_sql"), f.fixSql},  {QStringLiteral("needs"), needsName(f.needs)}};
    if (withSetting)
        o.insert(QStringLiteral("setting"), f.setting);
    return o;
}

Result<Finding> findingFromJson(const QJsonObject &o)
{
    Finding f;
    f.id = o.value(QStringLiteral("id")).toString();
    if (f.id.isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("A stored audit finding has no id."));
    if (!parseSeverity(o.value(QStringLiteral("severity")).toString(), &f.severity))
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The stored audit finding %1 has an unknown severity.").arg(f.id),
                     o.value(QStringLiteral("severity")).toString());
    if (!parseNeeds(o.value(QStringLiteral("needs")).toString(QStringLiteral("none")), &f.needs))
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The stored audit finding %1 has an unknown 'needs'.").arg(f.id),
                     o.value(QStringLiteral("needs")).toString());
    f.title = o.value(QStringLiteral("title")).toString();
    f.detail = o.value(QStringLiteral("detail")).toString();
    f.current = o.value(QStringLiteral("current")).toString();
    f.recommended = o.value(QStringLiteral("recommended")).toString();
    f.fixSql = o.value(QStringLiteral("fix_sql")).toString();
    f.setting = o.value(QStringLiteral("setting")).toString();
    return f;
}

QJsonObject serverFactsToJson(const AuditSnapshot &s)
{
    return {{QStringLiteral("version"), s.versionString},
            {QStringLiteral("version_num"), s.versionNum},
            {QStringLiteral("system_identifier"), QString::number(s.systemIdentifier)},
            {QStringLiteral("in_recovery"), s.inRecovery},
            {QStringLiteral("data_checksums"), s.dataChecksums},
            {QStringLiteral("role"), roleToJson(s.role)},
            {QStringLiteral("archive_ready_count"),
             s.archiveReadyCount < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(s.archiveReadyCount)},
            {QStringLiteral("archiver"),
             s.archiverReadable ? QJsonValue(archiverToJson(s.archiver)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("collected_at"), timeToJson(s.collectedAt)}};
}

QJsonObject auditReportToJson(const AuditSnapshot &s, const QList<Finding> &findings)
{
    QJsonArray list;
    for (const Finding &f : findings)
        list << findingToJson(f);
    return {{QStringLiteral("server"), serverFactsToJson(s)}, {QStringLiteral("findings"), list}};
}

QJsonObject snapshotToJson(const AuditSnapshot &s)
{
    QJsonObject o = serverFactsToJson(s);
    QJsonObject settings;
    for (const Setting &st : s.settings)
        settings.insert(st.name,
                        QJsonObject {{QStringLiteral("value"), st.value},
                                     {QStringLiteral("unit"), st.unit},
                                     {QStringLiteral("source"), st.source},
                                     {QStringLiteral("source_file"), st.sourceFile},
                                     {QStringLiteral("source_line"), st.sourceLine},
                                     {QStringLiteral("context"), st.context},
                                     {QStringLiteral("pending_restart"), st.pendingRestart}});
    o.insert(QStringLiteral("settings"), settings);
    o.insert(QStringLiteral("setting_sources_visible"), s.settingSourcesVisible);
    o.insert(QStringLiteral("hidden_settings"), stringsToJson(s.hiddenSettings));
    o.insert(QStringLiteral("file_settings_readable"), s.fileSettingsReadable);
    QJsonArray errors;
    for (const FileSettingError &e : s.fileErrors)
        errors << QJsonObject {{QStringLiteral("source_file"), e.sourceFile},
                               {QStringLiteral("source_line"), e.sourceLine},
                               {QStringLiteral("name"), e.name},
                               {QStringLiteral("value"), e.value},
                               {QStringLiteral("error"), e.error}};
    o.insert(QStringLiteral("file_errors"), errors);
    o.insert(QStringLiteral("archiver_readable"), s.archiverReadable);
    if (!s.archiverReadable) // keep the stats even when the report shows null, so the round trip is exact
        o.insert(QStringLiteral("archiver_stats"), archiverToJson(s.archiver));
    o.insert(QStringLiteral("replicas_readable"), s.replicasReadable);
    QJsonArray replicaList;
    for (const Replica &r : s.replicas)
        replicaList << QJsonObject{{QStringLiteral("application_name"), r.applicationName},
                                   {QStringLiteral("state"), r.state},
                                   {QStringLiteral("sync_state"), r.syncState},
                                   {QStringLiteral("uses_slot"), r.usesSlot},
                                   {QStringLiteral("client"), r.client}};
    o.insert(QStringLiteral("replicas"), replicaList);
    o.insert(QStringLiteral("slots_readable"), s.slotsReadable);
    QJsonArray slotList;
    for (const ReplicationSlot &r : s.replicationSlots)
        slotList << QJsonObject {{QStringLiteral("name"), r.name},
                                 {QStringLiteral("type"), r.type},
                                 {QStringLiteral("database"), r.database},
                                 {QStringLiteral("active"), r.active},
                                 {QStringLiteral("temporary"), r.temporary},
                                 {QStringLiteral("restart_lsn"), r.restartLsn},
                                 {QStringLiteral("wal_status"), r.walStatus},
                                 {QStringLiteral("retained_bytes"), qint64(r.retainedBytes)}};
    o.insert(QStringLiteral("slots"), slotList);
    return o;
}

Result<AuditSnapshot> snapshotFromJson(const QJsonObject &o)
{
    if (!o.contains(QStringLiteral("settings")) || !o.value(QStringLiteral("settings")).isObject())
        return Error(Error::Code::Corrupt, QStringLiteral("The stored audit snapshot has no settings."));
    AuditSnapshot s;
    s.versionString = o.value(QStringLiteral("version")).toString();
    s.versionNum = o.value(QStringLiteral("version_num")).toInt();
    s.systemIdentifier = o.value(QStringLiteral("system_identifier")).toString().toULongLong();
    s.inRecovery = o.value(QStringLiteral("in_recovery")).toBool();
    s.dataChecksums = o.value(QStringLiteral("data_checksums")).toBool();
    s.role = roleFromJson(o.value(QStringLiteral("role")).toObject());
    s.archiveReadyCount = o.value(QStringLiteral("archive_ready_count")).toInt(-1);
    s.collectedAt = timeFromJson(o.value(QStringLiteral("collected_at")));
    const QJsonObject settings = o.value(QStringLiteral("settings")).toObject();
    for (auto it = settings.constBegin(); it != settings.constEnd(); ++it) {
        const QJsonObject v = it.value().toObject();
        Setting st;
        st.name = it.key();
        st.value = v.value(QStringLiteral("value")).toString();
        st.unit = v.value(QStringLiteral("unit")).toString();
        st.source = v.value(QStringLiteral("source")).toString();
        st.sourceFile = v.value(QStringLiteral("source_file")).toString();
        st.sourceLine = v.value(QStringLiteral("source_line")).toInt();
        st.context = v.value(QStringLiteral("context")).toString();
        st.pendingRestart = v.value(QStringLiteral("pending_restart")).toBool();
        s.settings.insert(st.name, st);
    }
    s.settingSourcesVisible = o.value(QStringLiteral("setting_sources_visible")).toBool(true);
    s.hiddenSettings = stringsFromJson(o.value(QStringLiteral("hidden_settings")));
    s.fileSettingsReadable = o.value(QStringLiteral("file_settings_readable")).toBool();
    const QJsonArray errors = o.value(QStringLiteral("file_errors")).toArray();
    for (const QJsonValue &v : errors) {
        const QJsonObject e = v.toObject();
        s.fileErrors << FileSettingError {
            e.value(QStringLiteral("source_file")).toString(), e.value(QStringLiteral("source_line")).toInt(),
            e.value(QStringLiteral("name")).toString(), e.value(QStringLiteral("value")).toString(),
            e.value(QStringLiteral("error")).toString()};
    }
    s.archiverReadable = o.value(QStringLiteral("archiver_readable")).toBool();
    s.archiver = archiverFromJson(
        o.value(s.archiverReadable ? QStringLiteral("archiver") : QStringLiteral("archiver_stats")).toObject());
    s.replicasReadable = o.value(QStringLiteral("replicas_readable")).toBool();
    for (const QJsonValue &v : o.value(QStringLiteral("replicas")).toArray()) {
        const QJsonObject r = v.toObject();
        s.replicas << Replica{r.value(QStringLiteral("application_name")).toString(), r.value(QStringLiteral("state")).toString(),
                              r.value(QStringLiteral("sync_state")).toString(), r.value(QStringLiteral("uses_slot")).toBool(),
                              r.value(QStringLiteral("client")).toString()};
    }
    s.slotsReadable = o.value(QStringLiteral("slots_readable")).toBool();
    const QJsonArray slotList = o.value(QStringLiteral("slots")).toArray();
    for (const QJsonValue &v : slotList) {
        const QJsonObject r = v.toObject();
        ReplicationSlot slot;
        slot.name = r.value(QStringLiteral("name")).toString();
        slot.type = r.value(QStringLiteral("type")).toString();
        slot.database = r.value(QStringLiteral("database")).toString();
        slot.active = r.value(QStringLiteral("active")).toBool();
        slot.temporary = r.value(QStringLiteral("temporary")).toBool();
        slot.restartLsn = r.value(QStringLiteral("restart_lsn")).toString();
        slot.walStatus = r.value(QStringLiteral("wal_status")).toString();
        slot.retainedBytes = r.value(QStringLiteral("retained_bytes")).toInteger(-1);
        s.replicationSlots << slot;
    }
    return s;
}

QJsonObject auditRecordToJson(const AuditRecord &r)
{
    QJsonArray list;
    for (const Finding &f : r.findings)
        list << findingToJson(f, true);
    return {{QStringLiteral("format"), kRecordFormat},
            {QStringLiteral("snapshot"), snapshotToJson(r.snapshot)},
            {QStringLiteral("findings"), list}};
}

Result<AuditRecord> auditRecordFromJson(const QJsonObject &o)
{
    const int format = o.value(QStringLiteral("format")).toInt();
    if (format != kRecordFormat)
        return Error(Error::Code::Unsupported,
                     QStringLiteral("The stored audit has format %1; this version reads format %2. Update "
                                    "pgArchivist, or run the audit again.")
                         .arg(format)
                         .arg(kRecordFormat));
    auto snap = snapshotFromJson(o.value(QStringLiteral("snapshot")).toObject());
    if (!snap)
        return snap.error();
    AuditRecord r;
    r.snapshot = std::move(*snap);
    const QJsonArray list = o.value(QStringLiteral("findings")).toArray();
    for (const QJsonValue &v : list) {
        auto f = findingFromJson(v.toObject());
        if (!f)
            return f.error();
        r.findings << *f;
    }
    return r;
}

QList<SettingChange> diffArchiveSettings(const AuditSnapshot &before, const AuditSnapshot &after)
{
    QList<SettingChange> out;
    const QStringList names = archiveRelatedSettings();
    for (const QString &name : names) {
        const bool hadIt = before.has(name);
        const bool hasIt = after.has(name);
        if (!hadIt && !hasIt)
            continue;
        const QString oldValue = before.value(name);
        const QString newValue = after.value(name);
        if (hadIt == hasIt && oldValue == newValue)
            continue;
        out << SettingChange {name, oldValue, newValue, hadIt, hasIt};
    }
    return out;
}

FindingsDiff diffFindings(const QList<Finding> &before, const QList<Finding> &after)
{
    auto key = [](const Finding &f) -> QString { return f.id + QLatin1Char('\x1f') + f.setting; };
    QSet<QString> beforeKeys, afterKeys;
    for (const Finding &f : before)
        beforeKeys.insert(key(f));
    for (const Finding &f : after)
        afterKeys.insert(key(f));
    FindingsDiff d;
    for (const Finding &f : after)
        if (!beforeKeys.contains(key(f)))
            d.added << f;
    for (const Finding &f : before)
        if (!afterKeys.contains(key(f)))
            d.resolved << f;
    return d;
}

} // namespace pga::audit
