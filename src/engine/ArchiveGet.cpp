#include "ArchiveGet.h"

#include "core/Buffer.h"
#include "core/PhaseTimer.h"
#include "core/WalName.h"
#include "repo/DurableFile.h"
#include "repo/FileAccess.h"
#include "repo/WalArchive.h"
#include "repo/WalStream.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

namespace {

// DEST is written under a temporary name and renamed, without fsync: PostgreSQL fsyncs what it keeps.
Status writeAtomically(const QString &path, const Buffer &data)
{
    const QString tmp = QFileInfo(path).absolutePath() + QStringLiteral("/.") + QFileInfo(path).fileName()
                        + QStringLiteral(".pga-tmp.%1").arg(::getpid());
    const QByteArray tmpC = QFile::encodeName(tmp);
    const int fd = ::open(tmpC.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return repo::ioError(QStringLiteral("Creating"), tmp, errno);
    const char *p = data.data();
    size_t left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(tmpC.constData());
            return repo::ioError(QStringLiteral("Writing"), path, e);
        }
        p += n;
        left -= size_t(n);
    }
    if (::close(fd) != 0 || ::rename(tmpC.constData(), QFile::encodeName(path).constData()) != 0) {
        const int e = errno;
        ::unlink(tmpC.constData());
        return repo::ioError(QStringLiteral("Writing"), path, e);
    }
    return {};
}

// Spooled copies carry the first 16 hex digits of their SHA-256 in the name: a copy is used only for
// the archived file it was made from (the worker verified it in full and fsynced it).
QString spoolPath(const QString &spool, const repo::WalFileMeta &m)
{
    return spool + QLatin1Char('/') + m.name + QLatin1Char('.') + m.sha256.left(16);
}

bool workerRunning(const QString &spool)
{
    const int fd = ::open(QFile::encodeName(spool + QStringLiteral("/.lock")).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
    ::close(fd);
    return busy;
}

// Whether the archive holds a segment after `name` on its timeline: then a .partial of `name` is not the end of the WAL.
bool laterSegmentArchived(const repo::Repository &repo, const QString &server, const WalName &name)
{
    auto files = repo::listDirectory(repo.timelineDir(server, name.timeline), repo::EntryType::Files);
    if (!files)
        return false;
    for (const QString &f : *files)
        if (f.size() == 28 && f.endsWith(QLatin1String(".zst")) && f.left(24) > name.name)
            return true;
    return false;
}

// A segment that is not archived (yet) but is the last WAL there is: the receiver's .partial of it, or a .partial
// a promotion archived, padded with zeros to a whole segment so that recovery replays up to its last record.
Result<Buffer> partialSegment(const repo::Repository &repo, const QString &server, const WalName &name)
{
    if (laterSegmentArchived(repo, server, name))
        return Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository.").arg(name.name));
    auto streamed = repo::WalStream(repo, server).partialAsSegment(name.name);
    if (streamed || streamed.error().code != Error::Code::NotFound)
        return streamed;
    const auto partialName = WalName::parse(name.name + QStringLiteral(".partial"));
    repo::WalFileMeta m;
    auto archived = repo::WalArchive(repo, server).fetch(*partialName, &m);
    if (!archived)
        return archived.error().code == Error::Code::NotFound
                   ? Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository.").arg(name.name))
                   : archived.error();
    const size_t segSize = m.segmentSize ? m.segmentSize : (16u << 20);
    if (archived->size() > segSize)
        return Error(Error::Code::Corrupt, QStringLiteral("The archived %1 is larger than a segment.").arg(partialName->name));
    Buffer out(segSize);
    std::memcpy(out.data(), archived->data(), archived->size());
    std::memset(out.data() + archived->size(), 0, segSize - archived->size());
    out.resize(segSize);
    return out;
}

} // namespace

QString ArchiveGet::bootSpoolDir(const QString &spoolDir)
{
    static const QString bootId = [] {
        QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        const QString id = f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().trimmed()) : QString();
        return id.isEmpty() ? QStringLiteral("unknown") : id;
    }();
    return spoolDir + QStringLiteral("/boot-") + bootId;
}

QString ArchiveGet::defaultSpoolDir(const QString &destPath)
{
    return QFileInfo(destPath).absolutePath() + QStringLiteral("/.pgarchivist-prefetch");
}

Result<ArchiveGetResult> ArchiveGet::run(ProgressSink &progress, const CancelToken &)
{
    if (Status s = repo::Repository::validateServerName(m_options.server); !s)
        return s.error();
    const auto name = WalName::parse(m_options.walName);
    if (!name && m_options.walName == QLatin1String("00000001.history"))  // PostgreSQL asks; timeline 1 never has one
        return Error(Error::Code::NotFound, QStringLiteral("Timeline 1 has no history file."));
    if (!name)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("%1 is not a WAL file name. Pass %f from restore_command.").arg(m_options.walName));
    if (m_options.destPath.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("No destination given. Pass %p from restore_command."));
    auto repo = repo::Repository::open(m_options.repoDir);
    if (!repo)  // a missing repository is not "file not found": recovery must not end early because of it
        return repo.error().code == Error::Code::NotFound ? Error(Error::Code::Io, repo.error().message, repo.error().detail)
                                                          : repo.error();
    repo::WalArchive archive(*repo, m_options.server);
    const QString spool = m_options.spoolDir.isEmpty() ? defaultSpoolDir(m_options.destPath) : m_options.spoolDir;
    const PhaseTimer timer;

    auto meta = archive.meta(*name);
    if (!meta && meta.error().code == Error::Code::NotFound && name->kind == WalName::Kind::Segment) {
        auto partial = partialSegment(*repo, m_options.server, *name);
        // The receiver may have completed and published the segment meanwhile (and removed its partial).
        if (!partial && partial.error().code == Error::Code::NotFound)
            meta = archive.meta(*name);
    }
    if (!meta && meta.error().code == Error::Code::NotFound && name->kind == WalName::Kind::Segment) {
        auto partial = partialSegment(*repo, m_options.server, *name);
        if (!partial)
            return partial.error();
        if (Status s = writeAtomically(m_options.destPath, *partial); !s)
            return s.error();
        progress.info(QStringLiteral("%1 is not archived whole yet; restored its streamed or partial part, zero-filled.").arg(name->name));
        ArchiveGetResult result;
        result.size = qint64(partial->size());
        result.fromPartial = true;
        return result;
    }
    if (!meta)
        return meta.error();
    ArchiveGetResult result;
    result.size = meta->size;
    const QString spooled = spoolPath(bootSpoolDir(spool), *meta);
    struct stat st {};
    if (::stat(QFile::encodeName(spooled).constData(), &st) == 0 && st.st_size == meta->size
        && ::rename(QFile::encodeName(spooled).constData(), QFile::encodeName(m_options.destPath).constData()) == 0) {
        result.fromSpool = true;
        timer.lap("spool");
    } else {
        auto data = archive.fetch(*name);
        if (!data)
            return data.error();
        timer.lap("fetch");
        if (Status s = writeAtomically(m_options.destPath, *data); !s)
            return s.error();
        timer.lap("write");
    }

    // Start the prefetch worker unless the next segment is spooled already or a worker is at it.
    if (m_options.prefetch > 0 && !m_options.workerProgram.isEmpty() && name->kind == WalName::Kind::Segment) {
        const quint64 segSize = meta->segmentSize ? meta->segmentSize : (16u << 20);
        const auto next = WalName::parse(WalName::segmentName(name->timeline, name->segNo(segSize) + 1, segSize));
        auto nextMeta = archive.meta(*next);
        if (nextMeta && !QFileInfo::exists(spoolPath(bootSpoolDir(spool), *nextMeta)) && !workerRunning(spool)) {
            QProcess p;
            p.setProgram(m_options.workerProgram);
            p.setArguments({QStringLiteral("archive-get"), QStringLiteral("--repo"), repo->root(), QStringLiteral("--server"),
                            m_options.server, QStringLiteral("--prefetch"), QString::number(m_options.prefetch),
                            QStringLiteral("--prefetch-worker"), m_options.walName, spool});
            p.setStandardInputFile(QProcess::nullDevice());
            p.setStandardOutputFile(QProcess::nullDevice());
            p.setStandardErrorFile(QProcess::nullDevice());
            result.prefetchStarted = p.startDetached();
            if (!result.prefetchStarted)
                progress.log(ProgressSink::Level::Debug, QStringLiteral("prefetch worker did not start"));
        }
        timer.lap("prefetch");
    }
    return result;
}

Status ArchiveGet::prefetch(const QString &repoDir, const QString &server, const QString &walName,
                            const QString &spoolDir, int count, const CancelToken &cancel)
{
    const auto name = WalName::parse(walName);
    if (!name || name->kind != WalName::Kind::Segment)
        return {};
    auto repo = repo::Repository::open(repoDir);
    if (!repo)
        return repo.error();
    if (!QDir().mkpath(spoolDir))
        return Error(Error::Code::Io, QStringLiteral("Cannot create the prefetch spool %1.").arg(spoolDir));
    const QString lockPath = spoolDir + QStringLiteral("/.lock");
    const int fd = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return repo::ioError(QStringLiteral("Opening"), lockPath, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return {};  // another worker is at it
    }
    repo::WalArchive archive(*repo, server);
    // Copies of an earlier boot may be incomplete (never fsynced): gone, with any older layout's files.
    const QString bootDir = bootSpoolDir(spoolDir);
    for (const QFileInfo &e : QDir(spoolDir).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)) {
        if (e.fileName() == QLatin1String(".lock") || e.absoluteFilePath() == QFileInfo(bootDir).absoluteFilePath())
            continue;
        if (e.isDir())
            QDir(e.absoluteFilePath()).removeRecursively();
        else
            QFile::remove(e.absoluteFilePath());
    }
    if (!QDir().mkpath(bootDir)) {
        ::close(fd);
        return Error(Error::Code::Io, QStringLiteral("Cannot create the prefetch spool %1.").arg(bootDir));
    }
    QDir spool(bootDir);
    // Segments up to the one just restored are no longer needed, nor are other timelines' or temporaries
    // of a killed worker (we hold the lock: no other worker is writing).
    for (const QString &f : spool.entryList(QDir::Files | QDir::Hidden)) {
        const auto wn = WalName::parse(f.left(24));
        if (!wn || f.startsWith(QLatin1Char('.')) || f.left(24) <= name->name || wn->timeline != name->timeline)
            spool.remove(f);
    }
    auto meta = archive.meta(*name);
    const quint64 segSize = meta && meta->segmentSize ? meta->segmentSize : (16u << 20);
    Status status;
    for (int i = 1; i <= count && !cancel.isCancelled(); ++i) {
        const auto next = WalName::parse(WalName::segmentName(name->timeline, name->segNo(segSize) + quint64(i), segSize));
        repo::WalFileMeta m;
        auto nextMeta = archive.meta(*next);
        if (!nextMeta)
            break;  // not archived (yet)
        if (QFileInfo::exists(spoolPath(bootDir, *nextMeta)))
            continue;
        auto data = archive.fetch(*next, &m);
        if (!data)
            break;  // damaged: archive-get reports that when PostgreSQL asks for it
        // Renamed into place complete; a host crash invalidates the whole boot directory instead of an fsync.
        status = writeAtomically(spoolPath(bootDir, m), *data);
        if (!status)
            break;
    }
    ::close(fd);
    return status;
}

} // namespace pga::engine
