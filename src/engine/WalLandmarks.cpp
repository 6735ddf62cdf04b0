#include "WalLandmarks.h"

#include "core/Sha256.h"
#include "core/TimeText.h"
#include "repo/DurableFile.h"
#include "repo/FileAccess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <algorithm>

namespace pga::engine {

namespace {

bool isSegment(const repo::WalFileMeta &m) { return m.kind == QLatin1String("segment") || m.kind == QLatin1String("partial"); }

// WAL order: by timeline, then position.
QList<const repo::WalFileMeta *> segmentsInOrder(const QList<repo::WalFileMeta> &files)
{
    QList<const repo::WalFileMeta *> out;
    for (const repo::WalFileMeta &m : files)
        if (isSegment(m))
            out << &m;
    std::sort(out.begin(), out.end(), [](const repo::WalFileMeta *a, const repo::WalFileMeta *b) {
        return a->timeline != b->timeline ? a->timeline < b->timeline : a->name < b->name;
    });
    return out;
}

Result<wal::SegmentScan> scanArchived(const repo::WalArchive &archive, const repo::WalFileMeta &m, std::vector<wal::XactOutcome> *xacts)
{
    auto name = WalName::parse(m.name);
    if (!name)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is not a WAL file name.").arg(m.name));
    auto data = archive.fetch(*name);
    if (!data)
        return data.error();
    return wal::scanSegment(data->data(), data->size(), xacts);
}

} // namespace

namespace {

constexpr quint64 kBlock = 1024;  // segments per landmark block

// The restore points of one archived file: from its header, or from its WAL when the header predates them.
Status pointsOf(const repo::WalArchive &archive, const repo::WalFileMeta &m, QList<ArchivedRestorePoint> &out)
{
    QList<wal::RestorePoint> points = m.restorePoints;
    if (!m.landmarks) {
        auto scan = scanArchived(archive, m, nullptr);
        if (!scan)
            return scan.error();
        points = scan->restorePoints;
    }
    for (const wal::RestorePoint &p : points)
        out << ArchivedRestorePoint{p, m.timeline, m.name};
    return {};
}

QString blockPath(const repo::WalArchive &archive, const QString &timelineDir, quint64 block)
{
    return archive.repository().landmarksDir(archive.server()) + QStringLiteral("/%1-%2.json").arg(timelineDir).arg(block, 8, 16, QLatin1Char('0'));
}

// A block's cache holds the SHA-256 of its file names: expire removing one, or a late push adding one, is seen.
QString namesKey(const QStringList &names)
{
    Sha256 sha;
    for (const QString &n : names) {
        const QByteArray b = n.toLatin1() + '\n';
        sha.add(b.constData(), size_t(b.size()));
    }
    return sha.finishHex();
}

} // namespace

Result<QList<ArchivedRestorePoint>> listRestorePoints(const repo::WalArchive &archive, const CancelToken *cancel)
{
    // Every block of 1024 segments but a timeline's last is complete and unchanging: its restore points are kept in
    // servers/NAME/landmarks/, so a listing reads one small file per block and the headers of the last block only.
    const repo::Repository &repo = archive.repository();
    const QString walDir = repo.walDir(archive.server());
    auto timelines = repo::listDirectory(walDir, repo::EntryType::Directories);
    if (!timelines)
        return timelines.error();
    QList<ArchivedRestorePoint> out;
    for (const QString &tl : *timelines) {
        auto files = repo::listDirectory(walDir + QLatin1Char('/') + tl, repo::EntryType::Files);
        if (!files)
            return files.error();
        QMap<quint64, QStringList> blocks;  // block -> archived file names (segments, partials)
        for (const QString &f : *files) {
            const auto name = f.endsWith(QLatin1String(".zst")) ? WalName::parse(f.chopped(4)) : std::nullopt;
            if (name && (name->kind == WalName::Kind::Segment || name->kind == WalName::Kind::Partial))
                blocks[name->segNo(16u << 20) / kBlock] << name->name;  // any fixed size: blocks only need to be stable
        }
        for (auto it = blocks.cbegin(); it != blocks.cend(); ++it) {
            if (cancel && cancel->isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
            const bool last = std::next(it) == blocks.cend();
            const QString cache = blockPath(archive, tl, it.key());
            const QString key = namesKey(it.value());
            if (!last) {
                auto data = repo::readWholeFile(cache, 16 << 20);
                const QJsonObject o = data ? QJsonDocument::fromJson(*data).object() : QJsonObject();
                if (o.value(QStringLiteral("format")).toInt() == 1 && o.value(QStringLiteral("names_sha256")).toString() == key) {
                    for (const QJsonValue &v : o.value(QStringLiteral("restore_points")).toArray()) {
                        const QJsonObject p = v.toObject();
                        out << ArchivedRestorePoint{{p.value(QStringLiteral("name")).toString(),
                                                     Lsn::parse(p.value(QStringLiteral("lsn")).toString()).value_or(Lsn()),
                                                     p.value(QStringLiteral("time_us")).toString().toLongLong()},
                                                    quint32(tl.toUInt(nullptr, 16)), p.value(QStringLiteral("segment")).toString()};
                    }
                    continue;
                }
            }
            QList<ArchivedRestorePoint> found;
            for (const QString &n : it.value()) {
                auto m = archive.meta(*WalName::parse(n));
                if (!m) {
                    if (m.error().code == Error::Code::Corrupt || m.error().code == Error::Code::Unsupported)
                        continue;  // damaged: info names it; it holds nothing we could list
                    return m.error();
                }
                if (Status s = pointsOf(archive, *m, found); !s)
                    return s.error();
            }
            if (!last && repo.mayWrite()) {  // a reader without write access just reads headers again next time
                QJsonArray points;
                for (const ArchivedRestorePoint &p : found)
                    points.append(QJsonObject{{QStringLiteral("name"), p.point.name}, {QStringLiteral("lsn"), p.point.lsn.toString()},
                                              {QStringLiteral("time_us"), QString::number(p.point.timeUs)}, {QStringLiteral("segment"), p.segment}});
                const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("format"), 1}, {QStringLiteral("names_sha256"), key},
                                                                  {QStringLiteral("files"), qint64(it.value().size())},
                                                                  {QStringLiteral("restore_points"), points}})
                                            .toJson(QJsonDocument::Compact);
                if (repo::makeDirectoryDurably(repo.landmarksDir(archive.server()), repo.cacheOwner()))
                    (void)repo::writeFileDurably(cache, json, repo::Publish::Replace, repo.cacheOwner());
            }
            out << found;
        }
    }
    return out;
}

Result<QList<ArchivedRestorePoint>> listRestorePoints(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files,
                                                      const CancelToken *cancel)
{
    QList<ArchivedRestorePoint> out;
    for (const repo::WalFileMeta *m : segmentsInOrder(files)) {
        if (cancel && cancel->isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        QList<wal::RestorePoint> points = m->restorePoints;
        if (!m->landmarks) {
            auto scan = scanArchived(archive, *m, nullptr);
            if (!scan)
                return scan.error();
            points = scan->restorePoints;
        }
        for (const wal::RestorePoint &p : points)
            out << ArchivedRestorePoint{p, m->timeline, m->name};
    }
    return out;
}

Result<std::optional<wal::XactOutcome>> findTransaction(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files,
                                                        quint32 xid, quint32 timeline, Lsn from, const CancelToken *cancel)
{
    for (const repo::WalFileMeta *m : segmentsInOrder(files)) {
        if (m->timeline < timeline || (m->endLsn.isValid() && m->endLsn <= from))
            continue;
        if (cancel && cancel->isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        // The recorded range rules a segment out, unless it straddles xid wraparound (then its range says nothing).
        if (m->landmarks && (!m->minXid || (*m->maxXid - *m->minXid < 0x80000000u && (xid < *m->minXid || xid > *m->maxXid))))
            continue;
        std::vector<wal::XactOutcome> xacts;
        auto scan = scanArchived(archive, *m, &xacts);
        if (!scan)
            return scan.error();
        for (const wal::XactOutcome &x : xacts)
            if (x.xid == xid && x.lsn >= from)
                return std::optional<wal::XactOutcome>(x);
    }
    return std::optional<wal::XactOutcome>();
}

Result<Lsn> locateTarget(const repo::WalArchive &archive, const QList<repo::WalFileMeta> &files, bool byName, const QString &text,
                         quint32 timeline, Lsn from, QString *warning, const CancelToken *cancel)
{
    if (byName) {
        auto points = listRestorePoints(archive, files, cancel);
        if (!points)
            return points.error();
        QList<ArchivedRestorePoint> reachable, named;
        for (const ArchivedRestorePoint &p : *points)
            if (p.timeline >= timeline && p.point.lsn > from) {
                reachable << p;
                if (p.point.name == text)
                    named << p;
            }
        if (named.isEmpty()) {
            QStringList names;
            for (const ArchivedRestorePoint &p : reachable.mid(std::max<qsizetype>(0, reachable.size() - 20)))
                names << QStringLiteral("'%1' (timeline %2, LSN %3, %4)")
                             .arg(p.point.name)
                             .arg(p.timeline)
                             .arg(p.point.lsn.toString(), localTimestampText(p.point.timeUs));
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("No restore point named '%1' is in the archived WAL after the oldest backup (LSN %2), so "
                                        "recovery could not stop there. %3")
                             .arg(text, from.toString(),
                                  names.isEmpty() ? QStringLiteral("There is no restore point there; make one with "
                                                                   "SELECT pg_create_restore_point('name').")
                                                  : QStringLiteral("Restore points there: %1.").arg(names.join(QStringLiteral(", ")))));
        }
        if (named.size() > 1 && warning)
            *warning = QStringLiteral("%1 restore points are named '%2'; PostgreSQL stops at the first one after the backup it "
                                      "starts from (the newest is at LSN %3).")
                           .arg(named.size())
                           .arg(text, named.last().point.lsn.toString());
        return named.last().point.lsn;
    }
    quint32 epoch = 0;
    const auto xid = parseTargetXid(text, &epoch);
    if (!xid)
        return Error(Error::Code::InvalidArgument, QStringLiteral("'%1' is not a transaction ID.").arg(text));
    auto found = findTransaction(archive, files, *xid, timeline, from, cancel);
    if (!found)
        return found.error();
    if (!*found)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("Transaction %1 has no commit or abort in the archived WAL after the oldest backup (LSN %2): "
                                    "it ended before that backup, is still running, or never existed, so recovery could not "
                                    "stop at it.")
                         .arg(*xid)
                         .arg(from.toString()));
    if (!(*found)->committed)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("Transaction %1 was rolled back (its abort is at LSN %2, %3): there is no committed state to "
                                    "recover to. To stop just before it, restore with --target-lsn %2 --target-exclusive.")
                         .arg(*xid)
                         .arg((*found)->lsn.toString(), localTimestampText((*found)->timeUs)));
    return (*found)->lsn;
}

std::optional<quint32> parseTargetXid(const QString &text, quint32 *epoch)
{
    bool ok = false;
    const QString t = text.trimmed();
    const quint64 v = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? t.mid(2).toULongLong(&ok, 16) : t.toULongLong(&ok, 10);
    if (!ok || quint32(v) < 3)  // 0 is no transaction, 1 and 2 are the bootstrap and frozen xids
        return std::nullopt;
    if (epoch)
        *epoch = quint32(v >> 32);
    return quint32(v);
}

} // namespace pga::engine
