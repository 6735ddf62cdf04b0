#include "WalLandmarks.h"

#include "core/Sha256.h"
#include "core/TimeText.h"
#include "repo/DurableFile.h"
#include "repo/FileAccess.h"
#include "repo/WalScanCache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <array>
#include <map>

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

// A block's cache is keyed by its set of file names (the XOR of their SHA-256s, and their count), so a late push or
// expire changing the block is seen, and the key is computed while the directory is read, holding no names.
struct NamesKey {
    std::array<uint8_t, 32> x{};
    int count = 0;
    void add(const QString &name)
    {
        const QByteArray b = name.toLatin1();
        const QByteArray h = Sha256::of(b.constData(), size_t(b.size()));
        for (size_t i = 0; i < x.size(); ++i)
            x[i] ^= uint8_t(h[qsizetype(i)]);
        ++count;
    }
    QString text() const { return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(x.data()), 32).toHex()) + QStringLiteral("-%1").arg(count); }
};

} // namespace

Result<QList<ArchivedRestorePoint>> listRestorePoints(const repo::WalArchive &archive, const CancelToken *cancel)
{
    // Every block of 1024 segments but a timeline's last is complete and unchanging: its restore points are kept in
    // servers/NAME/landmarks/. A listing reads the directory once for the blocks' keys, one small file per cached
    // block, and the headers of the other blocks only (whose names it then holds): memory stays flat once cached.
    const repo::Repository &repo = archive.repository();
    const QString walDir = repo.walDir(archive.server());
    auto timelines = repo::listDirectory(walDir, repo::EntryType::Directories);
    if (!timelines)
        return timelines.error();
    auto segmentOf = [](const QString &file) -> std::optional<WalName> {
        const auto name = file.endsWith(QLatin1String(".zst")) ? WalName::parse(file.chopped(4)) : std::nullopt;
        if (name && (name->kind == WalName::Kind::Segment || name->kind == WalName::Kind::Partial))
            return name;
        return std::nullopt;
    };
    auto blockOf = [](const WalName &n) { return n.segNo(16u << 20) / kBlock; };  // any fixed size: blocks only need to be stable
    QList<ArchivedRestorePoint> out;
    for (const QString &tl : *timelines) {
        const QString tlDir = walDir + QLatin1Char('/') + tl;
        std::map<quint64, NamesKey> keys;
        Status listed = repo::forEachEntry(tlDir, repo::EntryType::Files, false, [&](const QString &f) {
            if (const auto n = segmentOf(f))
                keys[blockOf(*n)].add(n->name);
            return Status();
        });
        if (!listed)
            return listed.error();
        if (keys.empty())
            continue;
        const quint64 lastBlock = keys.rbegin()->first;
        std::map<quint64, QList<ArchivedRestorePoint>> cached;
        std::map<quint64, QStringList> toRead;
        for (const auto &[block, key] : keys) {
            if (block != lastBlock) {
                auto data = repo::readWholeFile(blockPath(archive, tl, block), 16 << 20);
                const QJsonObject o = data ? QJsonDocument::fromJson(*data).object() : QJsonObject();
                if (o.value(QStringLiteral("format")).toInt() == 2 && o.value(QStringLiteral("names_key")).toString() == key.text()) {
                    QList<ArchivedRestorePoint> &points = cached[block];
                    for (const QJsonValue &v : o.value(QStringLiteral("restore_points")).toArray()) {
                        const QJsonObject p = v.toObject();
                        points << ArchivedRestorePoint{{p.value(QStringLiteral("name")).toString(),
                                                        Lsn::parse(p.value(QStringLiteral("lsn")).toString()).value_or(Lsn()),
                                                        p.value(QStringLiteral("time_us")).toString().toLongLong()},
                                                       quint32(tl.toUInt(nullptr, 16)), p.value(QStringLiteral("segment")).toString()};
                    }
                    continue;
                }
            }
            toRead[block];
        }
        if (!toRead.empty()) {
            Status again = repo::forEachEntry(tlDir, repo::EntryType::Files, false, [&](const QString &f) {
                if (const auto n = segmentOf(f))
                    if (auto it = toRead.find(blockOf(*n)); it != toRead.end())
                        it->second << n->name;
                return Status();
            });
            if (!again)
                return again.error();
        }
        for (const auto &[block, key] : keys) {
            if (cancel && cancel->isCancelled())
                return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
            if (auto c = cached.find(block); c != cached.end()) {
                out << c->second;
                continue;
            }
            QStringList names = toRead[block];
            names.sort();
            QList<ArchivedRestorePoint> found;
            for (const QString &n : names) {
                auto m = archive.meta(*WalName::parse(n));
                if (!m) {
                    if (m.error().code == Error::Code::Corrupt || m.error().code == Error::Code::Unsupported)
                        continue;  // damaged: info names it; it holds nothing we could list
                    return m.error();
                }
                if (Status st = pointsOf(archive, *m, found); !st)
                    return st.error();
            }
            if (block != lastBlock && repo.mayWrite()) {  // a reader without write access reads the headers again next time
                QJsonArray points;
                for (const ArchivedRestorePoint &p : found)
                    points.append(QJsonObject{{QStringLiteral("name"), p.point.name}, {QStringLiteral("lsn"), p.point.lsn.toString()},
                                              {QStringLiteral("time_us"), QString::number(p.point.timeUs)}, {QStringLiteral("segment"), p.segment}});
                const QByteArray json = QJsonDocument(QJsonObject{{QStringLiteral("format"), 2}, {QStringLiteral("names_key"), key.text()},
                                                                  {QStringLiteral("files"), key.count}, {QStringLiteral("restore_points"), points}})
                                            .toJson(QJsonDocument::Compact);
                if (repo::makeDirectoryDurably(repo.landmarksDir(archive.server()), repo.cacheOwner()))
                    (void)repo::writeFileDurably(blockPath(archive, tl, block), json, repo::Publish::Replace, repo.cacheOwner());
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
    // A commit record that crosses from one segment into the next is in neither alone (nor in their recorded xid
    // ranges): glue the halves the blunder finder's scan cache keeps (cheap when `blunders` or `undo` filled it).
    const repo::WalScanCache cache(archive);
    wal::SegmentActivity previous;
    quint32 previousSize = 0;
    for (const repo::WalFileMeta *m : segmentsInOrder(files)) {
        if (m->timeline < timeline || (m->endLsn.isValid() && m->endLsn <= from))
            continue;
        if (cancel && cancel->isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        auto a = cache.activity(*m);
        if (!a) {
            previous = wal::SegmentActivity();
            continue;
        }
        if (previousSize && previous.timeline == a->timeline && a->startLsn.value() == previous.startLsn.value() + previousSize)
            if (auto joined = wal::joinedRecord(previous, *a))
                for (const wal::XactEnd &e : joined->ends)
                    if (e.xid == xid && e.lsn >= from)
                        return std::optional<wal::XactOutcome>(wal::XactOutcome{e.xid, e.committed, e.timeUs, e.lsn});
        previous = std::move(*a);
        previousSize = m->segmentSize;
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
