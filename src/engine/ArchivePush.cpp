#include "ArchivePush.h"
#include "repo/FileAccess.h"

#include "core/Buffer.h"
#include "core/PhaseTimer.h"
#include "core/Sha256.h"
#include "core/WalName.h"
#include "core/WalParser.h"
#include "repo/DurableFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

namespace pga::engine {

namespace {

QString kindName(WalName::Kind k)
{
    switch (k) {
    case WalName::Kind::Segment: return QStringLiteral("segment");
    case WalName::Kind::Partial: return QStringLiteral("partial");
    case WalName::Kind::History: return QStringLiteral("history");
    case WalName::Kind::Backup: return QStringLiteral("backup");
    }
    return {};
}

// What identifies the file PostgreSQL will pass for a segment: device, inode, size and modification time.
// PostgreSQL never rewrites a segment it marked ready, and a recycled or restored file gets a new identity.
} // namespace

QString walSourceIdentity(const QString &path, qint64 *size)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    if (size)
        *size = qint64(st.st_size);
    return QStringLiteral("%1-%2-%3-%4.%5")
        .arg(quint64(st.st_dev))
        .arg(quint64(st.st_ino))
        .arg(qint64(st.st_size))
        .arg(qint64(st.st_mtim.tv_sec))
        .arg(qint64(st.st_mtim.tv_nsec));
}

namespace {

QString sourceIdentity(const QString &path, qint64 *size = nullptr) { return walSourceIdentity(path, size); }

// A pushed-ahead segment leaves a marker next to pg_wal's own status files; PostgreSQL's call for that segment
// then acknowledges with a stat instead of reading and hashing 16 MiB again. Markers are written only after the
// archived file is durable and are not fsynced: a lost marker only means the slower path.
QString aheadDir(const QString &walDir) { return walDir + QStringLiteral("/.pgarchivist-ahead"); }

// The marker also names where the segment went (repository and server), so that pointing archive_command at
// another repository never acknowledges a segment that repository has not received from this file.
QString markerPath(const QString &walDir, const QString &name, const QString &identity, const QString &target)
{
    return aheadDir(walDir) + QLatin1Char('/') + name + QLatin1Char('.') + identity + QLatin1Char('.') + target;
}

} // namespace

QString archiveTargetTag(const repo::Repository &repo, const QString &server)
{
    return Sha256::hexOf((repo.root() + QLatin1Char('\n') + server).toUtf8()).left(16);
}

QString archiveTargetTag(const QString &repoDir, const QString &server)
{
    QString root = repoDir;
    if (root.startsWith(QLatin1String("s3://")))
        while (root.endsWith(QLatin1Char('/')))
            root.chop(1);
    else
        root = QFileInfo(root).absoluteFilePath();
    return Sha256::hexOf((root + QLatin1Char('\n') + server).toUtf8()).left(16);
}

namespace {

QString targetTag(const repo::Repository &repo, const QString &server) { return archiveTargetTag(repo, server); }

void writeMarker(const QString &walDir, const QString &name, const QString &identity, const QString &target)
{
    QDir().mkpath(aheadDir(walDir));
    const int fd = ::open(QFile::encodeName(markerPath(walDir, name, identity, target)).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::close(fd);
}

// Markers of segments before `current` on its timeline were used or are of no more use; so are markers whose
// segment is gone from pg_wal.
void pruneMarkers(const QString &walDir, const QString &current)
{
    QDir dir(aheadDir(walDir));
    for (const QString &m : dir.entryList(QDir::Files)) {
        const QString seg = m.left(24);
        if ((seg.left(8) == current.left(8) && seg < current) || !QFileInfo::exists(walDir + QLatin1Char('/') + seg))
            dir.remove(m);
    }
}

// The file's bytes, mapped or in memory.
struct Bytes {
    const char *p;
    size_t n;
    const char *data() const { return p; }
    size_t size() const { return n; }
    QByteArray view() const { return QByteArray::fromRawData(p, qsizetype(n)); }
};

} // namespace

Result<ArchivePushResult> ArchivePush::pushOne(repo::Repository &repo, const QString &server, const QString &path,
                                                int level)
{
    const QString fileName = QFileInfo(path).fileName();
    const auto name = WalName::parse(fileName);
    if (!name)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("%1 is not a WAL file name PostgreSQL archives (segment, .partial, .history or "
                                    ".backup). Pass %p from archive_command.")
                         .arg(fileName));
    const PhaseTimer timer;
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return mapped.error();
    timer.lap("read");
    return pushData(repo, server, fileName, mapped->data(), mapped->size(), level, path);
}

Result<ArchivePushResult> ArchivePush::pushData(repo::Repository &repo, const QString &server, const QString &fileName,
                                                 const char *bytes, size_t size, int level, const QString &path)
{
    const auto name = WalName::parse(fileName);
    if (!name)
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 is not a WAL file name.").arg(fileName));
    const PhaseTimer timer;
    const Bytes input{bytes, size}, *data = &input;

    repo::WalFileMeta meta;
    meta.name = fileName;
    meta.kind = kindName(name->kind);
    meta.timeline = name->timeline;
    const bool isWal = name->kind == WalName::Kind::Segment || name->kind == WalName::Kind::Partial;
    if (isWal) {
        auto header = wal::readSegmentHeader(data->data(), data->size());
        if (!header)
            return Error(Error::Code::Corrupt, QStringLiteral("Refused %1: %2").arg(path, header.error().message));
        const wal::SegmentHeader &h = *header;
        // The first segment of a new timeline starts as a copy of the parent timeline's last one, so
        // its first page header may carry an ancestor timeline; never a later one.
        if (h.timeline > name->timeline || name->segNo(h.segmentSize) != h.pageAddress.value() / h.segmentSize)
            return Error(Error::Code::Corrupt,
                         QStringLiteral("Refused %1: its header says it is segment %2 of timeline %3, not what its name "
                                        "says. The file was renamed or is damaged.")
                             .arg(path, h.pageAddress.toString())
                             .arg(h.timeline));
        if (name->kind == WalName::Kind::Segment && data->size() != size_t(h.segmentSize))
            return Error(Error::Code::Corrupt, QStringLiteral("Refused %1: it has %2 bytes, but this cluster's segments have %3.")
                                                   .arg(path)
                                                   .arg(data->size())
                                                   .arg(h.segmentSize));
        // Checked once per process and cluster (the async pusher pushes hundreds): on object storage it is a round trip.
        static std::mutex verifiedMutex;
        static QSet<QString> verified;
        const QString key = repo.root() + QLatin1Char('\n') + server + QLatin1Char('\n') + QString::number(h.systemIdentifier);
        bool known = false;
        {
            std::lock_guard lock(verifiedMutex);
            known = verified.contains(key);
        }
        if (!known) {
            auto rec = repo.ensureServer(server, h.systemIdentifier, h.pgVersionNum);
            if (!rec)
                return rec.error();
            std::lock_guard lock(verifiedMutex);
            verified.insert(key);
        }
        meta.systemIdentifier = h.systemIdentifier;
        meta.pgVersionNum = h.pgVersionNum;
        meta.segmentSize = h.segmentSize;
    } else if (auto rec = repo.server(server); !rec && rec.error().code != Error::Code::NotFound) {
        return rec.error();  // history and backup files carry no system identifier; only check the name is usable
    }
    timer.lap("header");

    repo::WalArchive archive(repo, server);
    ArchivePushResult result;
    result.name = fileName;
    result.size = qint64(data->size());
    // Fast path for a retry or a file pushed ahead: same size recorded, same checksum, nothing to write. Not on object
    // storage, where asking costs a round trip for every new file: the store's HEAD finds one already there.
    if (auto existing = repo.onObjectStorage() ? Result<repo::WalFileMeta>(Error(Error::Code::NotFound, QString())) : archive.meta(*name);
        existing && existing->size == qint64(data->size())) {
        if (Sha256::hexOf(data->view()) == existing->sha256) {
            result.outcome = repo::WalArchive::Stored::AlreadyArchived;
            result.storedSize = existing->storedSize;
            return result;
        }
    }
    meta.arrivedUtc = QDateTime::currentDateTimeUtc();
    // The record scan (LSN range, commit times) shares the hashing thread while zstd compresses.
    Result<wal::SegmentScan> scan = Error(Error::Code::Internal, QStringLiteral("not scanned"));
    auto scanRecords = [&] {
        scan = wal::scanSegment(data->data(), data->size());
        if (!scan)
            return;
        meta.startLsn = scan->startLsn;
        meta.endLsn = scan->endLsn;
        meta.walSwitch = scan->walSwitch;
        meta.commits = scan->commits;
        meta.aborts = scan->aborts;
        meta.firstXactTimeUs = scan->firstXactTimeUs;
        meta.lastXactTimeUs = scan->lastXactTimeUs;
        meta.landmarks = true;
        meta.restorePoints = scan->restorePoints;
        meta.minXid = scan->minXid;
        meta.maxXid = scan->maxXid;
    };
    const repo::WalArchive::Encoded encoded =
        repo::WalArchive::encode(data->data(), data->size(), meta, level, isWal ? std::function<void()>(scanRecords) : std::function<void()>());
    timer.lap("encode+scan");
    if (isWal && !scan)
        return Error(Error::Code::Corrupt, QStringLiteral("Refused %1: %2").arg(path, scan.error().message));
    if (!encoded.ok())
        return Error(Error::Code::Internal, QStringLiteral("Compressing %1 failed.").arg(path));
    auto stored = archive.store(*name, encoded, meta);
    if (!stored)
        return stored.error();
    timer.lap("store");
    result.outcome = *stored;
    result.storedSize = encoded.size();
    return result;
}

Result<ArchivePushResult> ArchivePush::run(ProgressSink &progress, const CancelToken &cancel)
{
    if (Status s = repo::Repository::validateServerName(m_options.server); !s)
        return s.error();
    auto repo = repo::Repository::open(m_options.repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();

    const QFileInfo self(m_options.walPath);
    const QString walDir = self.absolutePath();
    const auto selfName = WalName::parse(self.fileName());
    const bool isSegment = selfName && selfName->kind == WalName::Kind::Segment;
    const QString target = targetTag(*repo, m_options.server);

    // Pushed ahead by an earlier call, and still the very same file: acknowledged without reading it again.
    std::optional<Result<ArchivePushResult>> acknowledged;
    if (isSegment) {
        qint64 size = 0;
        const QString id = sourceIdentity(m_options.walPath, &size);
        const QString marker = markerPath(walDir, self.fileName(), id, target);
        if (!id.isEmpty() && QFileInfo::exists(marker)) {
            auto meta = repo::WalArchive(*repo, m_options.server).meta(*selfName);
            if (meta && meta->size == size) {
                ArchivePushResult r;
                r.name = self.fileName();
                r.outcome = repo::WalArchive::Stored::AlreadyArchived;
                r.size = size;
                r.storedSize = meta->storedSize;
                r.acknowledgedAhead = true;
                acknowledged = r;
            }
            QFile::remove(marker);
        }
    }

    // Push-ahead: the next segments PostgreSQL has marked ready, compressed in parallel with this one.
    struct Ahead {
        QString name;
        QString identity;
        std::future<Result<ArchivePushResult>> result;
    };
    std::vector<Ahead> ahead;
    if (m_options.pushAhead > 0 && isSegment) {
        pruneMarkers(walDir, self.fileName());
        const QDir status(walDir + QStringLiteral("/archive_status"));
        const QStringList ready = status.entryList({QStringLiteral("*.ready")}, QDir::Files, QDir::Name);
        for (const QString &r : ready) {
            const QString n = r.chopped(6);
            const auto wn = WalName::parse(n);
            if (!wn || wn->kind != WalName::Kind::Segment || n <= self.fileName())
                continue;
            if (int(ahead.size()) >= m_options.pushAhead)
                break;
            if (auto there = repo::pathExists(repo::WalArchive(*repo, m_options.server).pathFor(*wn)); there && *there)
                continue;  // pushed ahead already; PostgreSQL's own call for it verifies it
            const QString p = walDir + QLatin1Char('/') + n;
            repo::Repository r2 = *repo;
            const QString server = m_options.server;
            const int level = m_options.compressionLevel;
            ahead.push_back({n, sourceIdentity(p), std::async(std::launch::async, [r2, server, p, level]() mutable {
                                 return pushOne(r2, server, p, level);
                             })});
        }
    }
    auto result = acknowledged ? *acknowledged : pushOne(*repo, m_options.server, m_options.walPath, m_options.compressionLevel);
    int pushedAhead = 0;
    for (Ahead &a : ahead) {
        auto r = a.result.get();  // a failure here is not ours to report: PostgreSQL will push that file itself
        if (r && r->outcome == repo::WalArchive::Stored::New) {
            ++pushedAhead;
            // Only when the file did not change while it was read: the marker vouches for these exact bytes.
            if (!a.identity.isEmpty() && sourceIdentity(walDir + QLatin1Char('/') + a.name) == a.identity)
                writeMarker(walDir, a.name, a.identity, target);
        } else if (!r) {
            progress.log(ProgressSink::Level::Debug, QStringLiteral("push-ahead: ") + r.error().toString());
        }
    }
    if (!result)
        return result;
    result->pushedAhead = pushedAhead;
    (void)cancel;
    progress.progress(1, 1);
    return result;
}

} // namespace pga::engine
