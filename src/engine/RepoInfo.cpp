#include "RepoInfo.h"

#include "core/WalName.h"
#include "core/WalParser.h"
#include "repo/DurableFile.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace pga::engine {

namespace {

QString isoUs(const std::optional<qint64> &us) { return us ? wal::timeFromUs(*us).toString(Qt::ISODateWithMs) : QString(); }
QJsonValue iso(const QDateTime &t) { return t.isValid() ? QJsonValue(t.toString(Qt::ISODateWithMs)) : QJsonValue(); }

// Base backups: servers/NAME/backups/ID/manifest.json with start_lsn, stop_lsn, timeline and stop_time.
QList<BackupPoint> readBackups(const repo::Repository &repo, const QString &server)
{
    QList<BackupPoint> out;
    const QDir d(repo.backupsDir(server));
    for (const QString &id : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        auto data = repo::readWholeFile(d.filePath(id + QStringLiteral("/manifest.json")), 256 << 20);
        if (!data)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(*data).object();
        BackupPoint b;
        b.id = id;
        b.timeline = quint32(o.value(QStringLiteral("timeline")).toInteger());
        b.startLsn = Lsn::parse(o.value(QStringLiteral("start_lsn")).toString()).value_or(Lsn());
        b.stopLsn = Lsn::parse(o.value(QStringLiteral("stop_lsn")).toString()).value_or(Lsn());
        b.stopTimeUtc = QDateTime::fromString(o.value(QStringLiteral("stop_time")).toString(), Qt::ISODateWithMs);
        if (b.timeline && b.stopLsn.isValid())
            out << b;
    }
    return out;
}

} // namespace

Result<QList<ServerArchiveSummary>> archiveSummary(const QString &repoDir, const QString &server)
{
    auto repo = repo::Repository::open(repoDir);
    if (!repo)
        return repo.error();
    QStringList names = repo->servers();
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
        }
        s.backups = readBackups(*repo, n);
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
                             {QStringLiteral("to_time"), iso(t.window->toTimeUtc)}};
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
            {QStringLiteral("last_arrival"), iso(t.lastArrivalUtc)},
            {QStringLiteral("last_arrived_segment"), t.lastArrivedSegment},
            {QStringLiteral("gaps"), gaps},
            {QStringLiteral("window"), window}};
}

QJsonObject toJson(const ServerArchiveSummary &s)
{
    QJsonArray tls;
    for (const TimelineSummary &t : s.timelines)
        tls.append(toJson(t));
    return {{QStringLiteral("name"), s.name},
            {QStringLiteral("system_identifier"), QString::number(s.systemIdentifier)},
            {QStringLiteral("pg_version_num"), s.pgVersionNum},
            {QStringLiteral("pg_version"), s.pgVersionNum ? QString::number(s.pgVersionNum / 10000) : QString()},
            {QStringLiteral("segment_size"), qint64(s.segmentSize)},
            {QStringLiteral("history_files"), QJsonArray::fromStringList(s.historyFiles)},
            {QStringLiteral("damaged_files"), QJsonArray::fromStringList(s.damagedFiles)},
            {QStringLiteral("backups"), qint64(s.backups.size())},
            {QStringLiteral("timelines"), tls}};
}

} // namespace pga::engine
