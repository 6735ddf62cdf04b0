#include "Blunders.h"

#include "core/TimeText.h"
#include "repo/CatalogStore.h"
#include "repo/FileAccess.h"
#include "repo/WalArchive.h"
#include "repo/WalScanCache.h"

#include <QJsonArray>

namespace pga::engine {

Result<BlunderScan> scanBlunders(const BlunderScanOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    auto repo = repo::Repository::open(o.repoDir, repo::Repository::Access::Read);
    if (!repo)
        return repo.error();
    if (auto rec = repo->server(o.server); !rec)
        return rec.error();
    BlunderScan out;
    auto snapshots = repo::CatalogStore(*repo, o.server).loadAll(&out.warnings);
    if (!snapshots)
        return snapshots.error();
    CatalogNames names;
    for (const CatalogSnapshot &s : *snapshots)
        names.add(s);
    out.snapshots = int(snapshots->size());
    if (!snapshots->empty())
        out.newestSnapshotUtc = snapshots->back().takenUtc;
    else
        out.warnings << QStringLiteral("No catalog snapshot of %1 is in the repository (they are taken with every base backup and by "
                                       "catalog-snapshot): relations are named by their files only.").arg(o.server);
    BlunderFinder finder(names, std::move(*snapshots), o.filter);

    // How many files there are, for the percentage (names only; headers are read one at a time below).
    const repo::WalArchive archive(*repo, o.server);
    qint64 total = 0;
    if (auto tls = repo::listDirectory(repo->walDir(o.server), repo::EntryType::Directories))
        for (const QString &tl : *tls)
            (void)repo::forEachEntry(repo->walDir(o.server) + QLatin1Char('/') + tl, repo::EntryType::Files, false, [&](const QString &f) {
                if (f.endsWith(QLatin1String(".zst")) && !f.endsWith(QLatin1String(".history.zst")) && !f.endsWith(QLatin1String(".backup.zst")))
                    ++total;
                return Status();
            });
    const repo::WalScanCache cache(archive);
    QStringList damaged;
    wal::SegmentActivity previous;  // only its timeline, start and the head of a record it left unfinished
    wal::SegmentActivity activity;  // one segment's, its storage reused for the next
    Status walked = archive.forEachMeta([&](const repo::WalFileMeta &m) -> Status {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        if (m.kind != QLatin1String("segment") && m.kind != QLatin1String("partial"))
            return {};
        bool cached = false;
        if (Status read = cache.read(m, activity, &cached); !read) {
            if (read.error().code == Error::Code::Corrupt || read.error().code == Error::Code::Unsupported) {
                out.warnings << QStringLiteral("%1 was skipped: %2").arg(m.name, read.error().message);
                return {};
            }
            return read.error();
        }
        const wal::SegmentActivity *a = &activity;
        // A record crossing from the previous segment into this one: glued from the two halves, it comes first.
        if (previous.timeline == a->timeline && m.segmentSize && previous.startLsn.isValid() &&
            a->startLsn.value() == previous.startLsn.value() + m.segmentSize)
            if (auto joined = wal::joinedRecord(previous, *a))
                finder.addSegment(*joined);
        finder.addSegment(*a);
        previous = wal::SegmentActivity();
        previous.timeline = a->timeline;
        previous.startLsn = a->startLsn;
        previous.pgVersionNum = a->pgVersionNum;
        previous.carryHead = a->carryHead;
        previous.carryHeadLsn = a->carryHeadLsn;
        ++out.segments;
        if (cached)
            ++out.fromCache;
        else
            out.walBytes += m.size;
        progress.progress(out.segments, std::max<qint64>(total, out.segments));
        return {};
    }, &damaged);
    if (!walked)
        return walked.error();
    for (const QString &d : damaged)
        out.warnings << QStringLiteral("%1 was skipped: its header cannot be read.").arg(d);
    out.events = finder.events();
    progress.info(QStringLiteral("Read %1 WAL files of %2 (%3 from the scan cache): %4 blunders.")
                      .arg(out.segments).arg(o.server).arg(out.fromCache).arg(out.events.size()));
    return out;
}

namespace {

QJsonValue rowsValue(const std::optional<qint64> &rows) { return rows ? QJsonValue(*rows) : QJsonValue(); }

} // namespace

QJsonObject blunderJson(const BlunderEvent &e)
{
    QJsonArray objects;
    for (const BlunderObject &o : e.objects) {
        QJsonObject j{{QStringLiteral("schema"), o.named ? QJsonValue(o.schema) : QJsonValue()},
                      {QStringLiteral("name"), o.name},
                      {QStringLiteral("oid"), o.oid ? QJsonValue(qint64(o.oid)) : QJsonValue()},
                      {QStringLiteral("rows"), rowsValue(o.rows)},
                      {QStringLiteral("relfilenode"), qint64(o.filenode)}};
        if (o.rows && o.rowsEstimated)
            j.insert(QStringLiteral("rows_estimated"), true);
        objects.append(j);
    }
    QJsonArray changes;
    for (const BlunderChange &c : e.changes)
        changes.append(QJsonObject{{QStringLiteral("schema"), c.named ? QJsonValue(c.schema) : QJsonValue()},
                                   {QStringLiteral("name"), c.name},
                                   {QStringLiteral("inserted"), c.inserted},
                                   {QStringLiteral("deleted"), c.deleted},
                                   {QStringLiteral("updated"), c.updated},
                                   {QStringLiteral("created"), c.created},
                                   {QStringLiteral("removed"), c.removed}});
    return QJsonObject{{QStringLiteral("kind"), e.kind},
                       {QStringLiteral("xid"), qint64(e.xid)},
                       {QStringLiteral("commit_lsn"), e.commitLsn.toString()},
                       {QStringLiteral("commit_time"), isoUtcUs(e.commitTimeUs)},
                       {QStringLiteral("database"), e.database},
                       {QStringLiteral("objects"), objects},
                       {QStringLiteral("rows"), rowsValue(e.rows)},
                       {QStringLiteral("timeline"), qint64(e.timeline)},
                       {QStringLiteral("changes"), changes},
                       {QStringLiteral("stop_before_lsn"), e.stopBefore.isValid() ? QJsonValue(e.stopBefore.toString()) : QJsonValue()}};
}

QString blunderObjectText(const BlunderObject &o)
{
    return o.named ? o.schema + QLatin1Char('.') + o.name : o.name;
}

QString blunderSummary(const BlunderEvent &e)
{
    QStringList objects;
    for (const BlunderObject &o : e.objects)
        objects << blunderObjectText(o);
    QString what = blunderKindText(e.kind);
    if (e.kind == QLatin1String("drop_database"))
        what += QLatin1Char(' ') + e.database;
    else
        what += QLatin1Char(' ') + objects.join(QStringLiteral(", "));
    if (e.rows)
        what += QStringLiteral(" (%1 rows%2)").arg(*e.rows).arg(std::any_of(e.objects.begin(), e.objects.end(),
                                                                          [](const BlunderObject &o) { return o.rowsEstimated; })
                                                               ? QStringLiteral(", estimated") : QString());
    return what;
}

} // namespace pga::engine
