#include "WalStream.h"

#include "FileAccess.h"
#include "core/Sha256.h"
#include "core/WalName.h"
#include "core/WalParser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::repo {

namespace {

QString iso(const QDateTime &t) { return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString(); }

// XLogLongPageHeaderData: a segment's first page header, which says what the segment is.
constexpr qint64 kLongPageHeaderSize = 40;

} // namespace

QJsonObject ReceiverState::toJson() const
{
    return {{QStringLiteral("connected"), connected},
            {QStringLiteral("timeline"), qint64(timeline)},
            {QStringLiteral("flush_lsn"), flushLsn.isValid() ? flushLsn.toString() : QString()},
            {QStringLiteral("server_wal_end"), serverWalEnd.isValid() ? serverWalEnd.toString() : QString()},
            {QStringLiteral("lag_bytes"), lagBytes()},
            {QStringLiteral("lag_seconds"), lagSeconds},
            {QStringLiteral("last_message"), iso(lastMessageUtc)},
            {QStringLiteral("updated"), iso(updatedUtc)},
            {QStringLiteral("source"), source},
            {QStringLiteral("slot"), slot},
            {QStringLiteral("synchronous"), synchronous},
            {QStringLiteral("pid"), pid},
            {QStringLiteral("last_error"), lastError}};
}

ReceiverState ReceiverState::fromJson(const QJsonObject &o)
{
    ReceiverState s;
    s.connected = o.value(QStringLiteral("connected")).toBool();
    s.timeline = quint32(o.value(QStringLiteral("timeline")).toInteger());
    s.flushLsn = Lsn::parse(o.value(QStringLiteral("flush_lsn")).toString()).value_or(Lsn());
    s.serverWalEnd = Lsn::parse(o.value(QStringLiteral("server_wal_end")).toString()).value_or(Lsn());
    s.lagSeconds = o.value(QStringLiteral("lag_seconds")).toDouble();
    s.lastMessageUtc = QDateTime::fromString(o.value(QStringLiteral("last_message")).toString(), Qt::ISODateWithMs);
    s.updatedUtc = QDateTime::fromString(o.value(QStringLiteral("updated")).toString(), Qt::ISODateWithMs);
    s.source = o.value(QStringLiteral("source")).toString();
    s.slot = o.value(QStringLiteral("slot")).toString();
    s.synchronous = o.value(QStringLiteral("synchronous")).toBool();
    s.pid = o.value(QStringLiteral("pid")).toInteger();
    s.lastError = o.value(QStringLiteral("last_error")).toString();
    return s;
}

QString WalStream::dir() const { return m_repo.serverDir(m_server) + QStringLiteral("/stream"); }

WalStream::Lock::~Lock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::unique_ptr<WalStream::Lock>> WalStream::lock() const
{
    if (Status s = makeDirectoryDurably(dir(), m_repo.writeAs()); !s)
        return s.error();
    const QString path = dir() + QStringLiteral("/receiver.lock");
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return ioError(QStringLiteral("Opening"), path, errno);
    if (Status s = m_repo.writeAs().applyToFile(fd, path); !s) {
        ::close(fd);
        return s.error();
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error(Error::Code::Busy, QStringLiteral("Another wal-receive is already streaming into %1 for server '%2'; only one "
                                                       "receiver may write a server's stream.")
                                            .arg(m_repo.root(), m_server));
    }
    return std::make_unique<Lock>(fd);
}

bool WalStream::receiverRunning() const
{
    const int fd = ::open(QFile::encodeName(dir() + QStringLiteral("/receiver.lock")).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool busy = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
    ::close(fd);
    return busy;
}

std::optional<StreamPartial> WalStream::partial(quint64 segmentSize) const
{
    std::optional<StreamPartial> best;
    const QDir d(dir());
    for (const QFileInfo &fi : d.entryInfoList({QStringLiteral("*.partial")}, QDir::Files, QDir::Name)) {
        const auto wn = WalName::parse(fi.fileName());
        if (!wn || wn->kind != WalName::Kind::Partial)
            continue;
        StreamPartial p;
        p.path = fi.absoluteFilePath();
        p.name = fi.fileName().left(24);
        p.timeline = wn->timeline;
        p.segNo = wn->segNo(segmentSize);
        p.size = fi.size();
        if (!best || p.timeline > best->timeline || (p.timeline == best->timeline && p.segNo > best->segNo))
            best = p;
    }
    return best;
}

Result<WalFileMeta> WalStream::partialMeta() const
{
    const QDir d(dir());
    const QStringList files = d.entryList({QStringLiteral("*.partial")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("No streamed partial segment."));
    const QString path = d.absoluteFilePath(files.last());
    auto data = readWholeFile(path, qint64(1) << 30);
    if (!data)
        return data.error();
    WalFileMeta m;
    m.name = files.last();
    m.kind = QStringLiteral("partial");
    m.size = data->size();
    m.storedSize = data->size();
    m.sha256 = Sha256::hexOf(*data);
    m.arrivedUtc = QFileInfo(path).lastModified().toUTC();
    auto header = wal::readSegmentHeader(data->constData(), size_t(data->size()));
    if (!header)
        return Error(Error::Code::Corrupt, QStringLiteral("The streamed partial %1 is damaged: %2").arg(path, header.error().message));
    m.timeline = WalName::parse(m.name)->timeline;
    m.systemIdentifier = header->systemIdentifier;
    m.pgVersionNum = header->pgVersionNum;
    m.segmentSize = header->segmentSize;
    auto scan = wal::scanSegment(data->constData(), size_t(data->size()));
    if (scan) {
        m.startLsn = scan->startLsn;
        m.endLsn = scan->endLsn;
        m.commits = scan->commits;
        m.aborts = scan->aborts;
        m.firstXactTimeUs = scan->firstXactTimeUs;
        m.lastXactTimeUs = scan->lastXactTimeUs;
        m.restorePoints = scan->restorePoints;
        m.minXid = scan->minXid;
        m.maxXid = scan->maxXid;
        m.landmarks = true;
    }
    return m;
}

Result<Buffer> WalStream::partialAsSegment(const QString &segment) const
{
    const QString path = dir() + QLatin1Char('/') + segment + QStringLiteral(".partial");
    auto data = readWholeFile(path, qint64(1) << 30);
    if (!data)
        return data.error();
    if (data->size() < kLongPageHeaderSize)  // just created, its first bytes not written yet
        return Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository yet.").arg(segment));
    auto header = wal::readSegmentHeader(data->constData(), size_t(data->size()));
    if (!header)
        return Error(Error::Code::Corrupt, QStringLiteral("The streamed partial %1 is damaged: %2").arg(path, header.error().message));
    if (qint64(header->segmentSize) < data->size())
        return Error(Error::Code::Corrupt, QStringLiteral("The streamed partial %1 is larger than a segment.").arg(path));
    Buffer out(header->segmentSize);
    if (out.isNull())
        return Error(Error::Code::Internal, QStringLiteral("Out of memory reading %1.").arg(path));
    std::memcpy(out.data(), data->constData(), size_t(data->size()));
    std::memset(out.data() + data->size(), 0, header->segmentSize - size_t(data->size()));
    out.resize(header->segmentSize);
    return out;
}

Status WalStream::writeState(const ReceiverState &s) const
{
    // Rewritten every second or so: renamed into place but not fsynced (a lost update only shows older state).
    const QString tmp = statePath() + QStringLiteral(".tmp");
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(tmp), f.errorString());
    f.write(QJsonDocument(s.toJson()).toJson(QJsonDocument::Compact));
    f.close();
    if (m_repo.writeAs().isSet())
        (void)::chown(QFile::encodeName(tmp).constData(), uid_t(m_repo.writeAs().uid), gid_t(m_repo.writeAs().gid));
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(statePath()).constData()) != 0)
        return ioError(QStringLiteral("Renaming"), tmp, errno);
    return {};
}

Result<ReceiverState> WalStream::readState() const
{
    auto data = readWholeFile(statePath(), 1 << 20);
    if (!data)
        return data.error();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &pe);
    if (!doc.isObject())
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is damaged (%2).").arg(statePath(), pe.errorString()));
    return ReceiverState::fromJson(doc.object());
}

void addStreamedPartial(const Repository &repo, const QString &server, QList<WalFileMeta> &files)
{
    auto m = WalStream(repo, server).partialMeta();
    if (!m)
        return;
    const QString segment = m->name.left(24);
    for (const WalFileMeta &f : files)
        if (f.name == segment)
            return;
    files << *m;
}

PartialWriter::~PartialWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::unique_ptr<PartialWriter>> PartialWriter::open(const QString &path, const FileOwner &owner)
{
    const QByteArray p = QFile::encodeName(path);
    bool fresh = false;
    int fd = ::open(p.constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        fd = ::open(p.constData(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        fresh = true;
    }
    if (fd < 0)
        return ioError(QStringLiteral("Opening"), path, errno);
    if (fresh) {
        if (Status s = owner.applyToFile(fd, path); !s) {
            ::close(fd);
            return s.error();
        }
    }
    if (!fresh) {
        // What a killed run wrote may still be only in the page cache: durable first, since its end is acknowledged next.
        if (::fdatasync(fd) != 0) {
            const int e = errno;
            ::close(fd);
            return ioError(QStringLiteral("Syncing"), path, e);
        }
        if (Status s = syncDirectory(QFileInfo(path).absolutePath()); !s) {
            ::close(fd);
            return s.error();
        }
    }
    struct stat st {};
    ::fstat(fd, &st);
    return std::unique_ptr<PartialWriter>(new PartialWriter(path, fd, qint64(st.st_size), fresh));
}

Status PartialWriter::append(const char *data, size_t n)
{
    while (n > 0) {
        const ssize_t w = ::write(m_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            // What was written is still a valid prefix of the stream: a resume starts at the file's end.
            const int e = w < 0 ? errno : EIO;
            return ioError(QStringLiteral("Writing"), m_path, e);
        }
        data += w;
        n -= size_t(w);
        m_size += w;
    }
    return {};
}

Status PartialWriter::sync()
{
    if (m_synced == m_size && m_dirSynced)
        return {};
    if (m_failed)
        return Error(Error::Code::Io, QStringLiteral("%1 could not be made durable before; it is not synced again.").arg(m_path));
    if (::fdatasync(m_fd) != 0) {
        // After a failed fdatasync the kernel may have dropped the unwritten pages and a retry would "succeed" over lost
        // bytes: cut the file back to what is known durable, and stop using this writer.
        const int e = errno;
        m_failed = true;
        (void)::ftruncate(m_fd, m_synced);
        (void)::fdatasync(m_fd);
        return ioError(QStringLiteral("Syncing"), m_path, e);
    }
    if (!m_dirSynced) {
        if (Status s = syncDirectory(QFileInfo(m_path).absolutePath()); !s)
            return s;
        m_dirSynced = true;
    }
    m_synced = m_size;
    return {};
}

} // namespace pga::repo
