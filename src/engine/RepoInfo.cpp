#include "RepoInfo.h"

#include "core/WalName.h"
#include "core/TimeText.h"
#include "core/WalParser.h"
#include "BackupWal.h"
#include "repo/BackupManifest.h"
#include "repo/DumpCatalog.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace pga::engine {

namespace {

QString isoUs(const std::optional<qint64> &us) { return us ? wal::timeFromUs(*us).toString(Qt::ISODateWithMs) : QString(); }
QJsonValue usText(const std::optional<qint64> &us) { return us ? QJsonValue(QString::number(*us)) : QJsonValue(); }
QJsonValue iso(const QDateTime &t) { return t.isValid() ? QJsonValue(t.toString(Qt::ISODateWithMs)) : QJsonValue(); }

// Base backups (servers/NAME/backups/ID/manifest.json); the usable ones (all WAL to consistency archived)
// bound the recoverable window.
Status readBackups(const repo::Repository &repo, const QString &server, const QList<repo::WalFileMeta> &wal, ServerArchiveSummary &s)
{
    const repo::BackupCatalog catalog(repo, server);
    auto ids = catalog.ids();
    if (!ids)
        return ids.error();
    for (const QString &id : *ids) {
        BackupListing l;
        l.id = id;
        auto m = catalog.read(id);
        if (!m) {
            l.status = QStringLiteral("damaged");
            l.problem = m.error().message;
            s.backupList << l;
            // Format 1's rule for the window reads only timeline, start_lsn, stop_lsn and stop_time: a manifest
            // that still parses and has them counts for the window even when it is unusable for restore.
            auto data = repo::readWholeFile(catalog.dir(id) + QStringLiteral("/manifest.json"), 256 << 20);
            const QJsonObject o = data ? QJsonDocument::fromJson(*data).object() : QJsonObject();
            BackupPoint b{id, quint32(o.value(QStringLiteral("timeline")).toInteger()),
                          Lsn::parse(o.value(QStringLiteral("start_lsn")).toString()).value_or(Lsn()),
                          Lsn::parse(o.value(QStringLiteral("stop_lsn")).toString()).value_or(Lsn()),
                          QDateTime::fromString(o.value(QStringLiteral("stop_time")).toString(), Qt::ISODateWithMs)};
            if (b.timeline && b.stopLsn.isValid() && walReach(wal, b.timeline, b.startLsn, b.stopLsn).consistent)
                s.backups << b;
            continue;
        }
        l.label = m->label;
        l.kind = m->kind;
        l.snapshotId = m->snapshotId;
        l.startTimeUtc = m->startTimeUtc;
        l.stopTimeUtc = m->stopTimeUtc;
        l.startLsn = m->startLsn;
        l.stopLsn = m->stopLsn;
        l.timeline = m->timeline;
        l.logicalBytes = m->logicalBytes;
        l.newBytes = m->newBytes;
        l.files = int(m->fileCount);
        if (m->isCold()) {
            l.status = QStringLiteral("ok");  // consistent as copied; it neither needs WAL nor bounds the window
            s.backupList << l;
            continue;
        }
        const WalReach reach = walReach(wal, m->timeline, m->startLsn, m->stopLsn);
        l.status = reach.consistent ? QStringLiteral("ok") : QStringLiteral("wal-missing");
        if (!reach.consistent)
            l.problem = QStringLiteral("WAL segment %1 is not in the archive").arg(reach.firstMissing);
        s.backupList << l;
        if (reach.consistent)
            s.backups << BackupPoint{id, m->timeline, m->startLsn, m->stopLsn, m->stopTimeUtc};
    }
    return {};
}

// Logical dumps (servers/NAME/dumps/ID/manifest.json).
Status readDumps(const repo::Repository &repo, const QString &server, ServerArchiveSummary &s)
{
    const repo::DumpCatalog catalog(repo, server);
    auto ids = catalog.ids();
    if (!ids)
        return ids.error();
    for (const QString &id : *ids) {
        BackupListing l;
        l.id = id;
        l.kind = QStringLiteral("dump");
        auto m = catalog.read(id);
        if (!m) {
            l.status = QStringLiteral("damaged");
            l.problem = m.error().message;
            s.dumpList << l;
            continue;
        }
        l.status = QStringLiteral("ok");
        l.label = m->label;
        l.startTimeUtc = m->startTimeUtc;
        l.stopTimeUtc = m->stopTimeUtc;
        l.format = m->format;
        l.globals = m->hasGlobals;
        for (const repo::DumpDatabase &d : m->databases)
            l.databases << d.name;
        l.logicalBytes = m->rawBytes();
        l.newBytes = m->storedBytes();
        l.files = int(m->allFiles().size());
        s.dumpList << l;
    }
    return {};
}

} // namespace

Result<QList<ServerArchiveSummary>> archiveSummary(const QString &repoDir, const QString &server)
{
    auto repo = repo::Repository::open(repoDir);
    if (!repo)
        return repo.error();
    auto listed = repo->servers();
    if (!listed)
        return listed.error();
    QStringList names = *listed;
    if (!server.isEmpty()) {
        if (!names.contains(server))
            return Error(Error::Code::NotFound,
                         QStringLiteral("The repository %1 has no server named '%2' (nothing was archived for it yet). "
                                        "Servers: %3.")
                             .arg(repo->root(), server, names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
        names = {server};
    }
    QList<ServerArchiveSummary> out;
    for (const QString &n : names) {
        auto rec = repo->server(n);
        if (!rec)
            return rec.error();
        ServerArchiveSummary s;
        s.name = n;
        s.systemIdentifier = rec->systemIdentifier;
        s.pgVersionNum = rec->pgVersionNum;
        auto files = repo::WalArchive(*repo, n).list(&s.damagedFiles);
        if (!files)
            return files.error();
        repo::addStreamedPartial(*repo, n, *files);
        const repo::WalStream stream(*repo, n);
        if (auto st = stream.readState()) {
            s.receiver = *st;
            s.receiverRunning = stream.receiverRunning();
            if (!s.receiverRunning)
                s.receiver->connected = false;
        }
        QList<ArchivedSegment> segs;
        for (const repo::WalFileMeta &m : *files) {
            if (m.kind == QLatin1String("history"))
                s.historyFiles << m.name;
            else if (m.kind == QLatin1String("backup"))
                ++s.backupFiles;
            else
                segs << repo::WalArchive::toSegment(m);
            if (m.segmentSize && !s.segmentSize)
                s.segmentSize = m.segmentSize;
            if (m.kind == QLatin1String("segment") || m.kind == QLatin1String("partial")) {
                s.restorePointsComplete = s.restorePointsComplete && m.landmarks;
                for (const wal::RestorePoint &p : m.restorePoints)
                    s.restorePoints << ArchivedRestorePoint{p, m.timeline, m.name};
            }
        }
        if (Status b = readBackups(*repo, n, *files, s); !b)
            return b.error();
        if (Status d = readDumps(*repo, n, s); !d)
            return d.error();
        s.timelines = summarizeArchive(segs, s.backups, s.segmentSize ? s.segmentSize : (16u << 20));
        out << s;
    }
    return out;
}

QJsonObject toJson(const TimelineSummary &t)
{
    QJsonArray gaps;
    for (const SegmentGap &g : t.gaps)
        gaps.append(QJsonObject{{QStringLiteral("first"), g.firstName},
                                {QStringLiteral("last"), g.lastName},
                                {QStringLiteral("missing"), qint64(g.count())}});
    QJsonValue window;  // null: no base backup (yet) that this WAL can roll forward
    if (t.window)
        window = QJsonObject{{QStringLiteral("backup"), t.window->backupId},
                             {QStringLiteral("from_lsn"), t.window->fromLsn.toString()},
                             {QStringLiteral("to_lsn"), t.window->toLsn.toString()},
                             {QStringLiteral("from_time"), iso(t.window->fromTimeUtc)},
                             {QStringLiteral("to_time"), iso(t.window->toTimeUtc)},
                             // The last commit to the µs, so that a target copied from it includes that commit.
                             {QStringLiteral("to_time_us"), usText(t.window->toTimeUs)},
                             {QStringLiteral("to_time_exact"), t.window->toTimeUs ? QJsonValue(isoUtcUs(*t.window->toTimeUs)) : iso(t.window->toTimeUtc)}};
    return {{QStringLiteral("timeline"), qint64(t.timeline)},
            {QStringLiteral("first_segment"), t.firstSegment},
            {QStringLiteral("last_segment"), t.lastSegment},
            {QStringLiteral("segments"), qint64(t.segmentCount)},
            {QStringLiteral("bytes"), t.bytes},
            {QStringLiteral("stored_bytes"), t.storedBytes},
            {QStringLiteral("first_lsn"), t.firstLsn.toString()},
            {QStringLiteral("last_lsn"), t.lastLsn.toString()},
            {QStringLiteral("first_xact_time"), t.firstXactTimeUs ? QJsonValue(isoUs(t.firstXactTimeUs)) : QJsonValue()},
            {QStringLiteral("last_xact_time"), t.lastXactTimeUs ? QJsonValue(isoUs(t.lastXactTimeUs)) : QJsonValue()},
            {QStringLiteral("first_xact_time_us"), usText(t.firstXactTimeUs)},
            {QStringLiteral("last_xact_time_us"), usText(t.lastXactTimeUs)},
            {QStringLiteral("last_arrival"), iso(t.lastArrivalUtc)},
            {QStringLiteral("last_arrived_segment"), t.lastArrivedSegment},
            {QStringLiteral("gaps"), gaps},
            {QStringLiteral("window"), window}};
}

QJsonObject toJson(const ArchivedRestorePoint &p)
{
    return {{QStringLiteral("name"), p.point.name},
            {QStringLiteral("lsn"), p.point.lsn.toString()},
            {QStringLiteral("time"), isoUtcUs(p.point.timeUs)},
            {QStringLiteral("timeline"), qint64(p.timeline)}};
}

QJsonObject toJson(const ServerArchiveSummary &s)
{
    QJsonArray tls;
    for (const TimelineSummary &t : s.timelines) {
        QJsonObject o = toJson(t);
        QJsonArray points;
        for (const ArchivedRestorePoint &p : s.restorePoints)
            if (p.timeline == t.timeline)
                points.append(toJson(p));
        o.insert(QStringLiteral("restore_points"), points);
        o.insert(QStringLiteral("restore_points_complete"), s.restorePointsComplete);
        tls.append(o);
    }
    // What every entry has; then a backup's WAL positions, or what a dump has instead ("kind": "dump", after them).
    auto entry = [](const BackupListing &b, bool *usable) {
        QJsonObject o{{QStringLiteral("id"), b.id}, {QStringLiteral("status"), b.status}, {QStringLiteral("kind"), b.kind}};
        if (!b.problem.isEmpty())
            o.insert(QStringLiteral("problem"), b.problem);
        *usable = b.status != QLatin1String("damaged");
        if (*usable) {
            o.insert(QStringLiteral("label"), b.label);
            o.insert(QStringLiteral("start_time"), iso(b.startTimeUtc));
            o.insert(QStringLiteral("stop_time"), iso(b.stopTimeUtc));
            o.insert(QStringLiteral("files"), b.files);
            o.insert(QStringLiteral("logical_bytes"), b.logicalBytes);
        }
        return o;
    };
    QJsonArray backups;
    for (const BackupListing &b : s.backupList) {
        bool usable = false;
        QJsonObject o = entry(b, &usable);
        if (usable) {
            o.insert(QStringLiteral("start_lsn"), b.startLsn.toString());
            o.insert(QStringLiteral("stop_lsn"), b.stopLsn.toString());
            o.insert(QStringLiteral("timeline"), qint64(b.timeline));
            o.insert(QStringLiteral("new_bytes"), b.newBytes);
            if (b.kind == QLatin1String("snapshot"))
                o.insert(QStringLiteral("snapshot_id"), b.snapshotId);
        }
        backups.append(o);
    }
    for (const BackupListing &b : s.dumpList) {
        bool usable = false;
        QJsonObject o = entry(b, &usable);
        if (usable) {
            o.insert(QStringLiteral("format"), b.format);
            o.insert(QStringLiteral("databases"), QJsonArray::fromStringList(b.databases));
            o.insert(QStringLiteral("globals"), b.globals);
            o.insert(QStringLiteral("stored_bytes"), b.newBytes);
        }
        backups.append(o);
    }
    QJsonObject o{{QStringLiteral("name"), s.name},
            {QStringLiteral("system_identifier"), QString::number(s.systemIdentifier)},
            {QStringLiteral("pg_version_num"), s.pgVersionNum},
            {QStringLiteral("pg_version"), s.pgVersionNum ? QString::number(s.pgVersionNum / 10000) : QString()},
            {QStringLiteral("segment_size"), qint64(s.segmentSize)},
            {QStringLiteral("history_files"), QJsonArray::fromStringList(s.historyFiles)},
            {QStringLiteral("damaged_files"), QJsonArray::fromStringList(s.damagedFiles)},
            {QStringLiteral("backups"), backups},
            {QStringLiteral("timelines"), tls}};
    if (s.receiver) {
        QJsonObject r = s.receiver->toJson();
        r.insert(QStringLiteral("running"), s.receiverRunning);
        o.insert(QStringLiteral("receiver"), r);
    }
    return o;
}

} // namespace pga::engine
