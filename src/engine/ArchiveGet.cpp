#include "ArchiveGet.h"

#include "core/Buffer.h"
#include "core/Sha256.h"
#include "core/WalName.h"
#include "repo/DurableFile.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pga::engine {

namespace {

// Writes without fsync: a spool file or DEST is a cache that is verified (spool) or that PostgreSQL
// syncs itself (DEST); the rename still makes sure nobody ever sees half a file.
Status writeAtomically(const QString &path, const QByteArray &data)
{
    const QString tmp = QFileInfo(path).absolutePath() + QStringLiteral("/.") + QFileInfo(path).fileName()
                        + QStringLiteral(".pga-tmp.%1").arg(::getpid());
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error(Error::Code::Io, QStringLiteral("Cannot create %1.").arg(tmp), f.errorString());
    if (f.write(data) != data.size()) {
        const QString why = f.errorString();
        f.close();
        f.remove();
        return Error(Error::Code::Io, QStringLiteral("Writing %1 failed.").arg(tmp), why);
    }
    f.close();
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) != 0) {
        const int e = errno;
        QFile::remove(tmp);
        return repo::ioError(QStringLiteral("Renaming into place"), path, e);
    }
    return {};
}

// A spooled copy is used only when it still matches the checksum the repository recorded.
bool takeFromSpool(const repo::WalArchive &archive, const WalName &name, const QString &spoolFile, const QString &dest,
                   qint64 *size)
{
    if (!QFileInfo::exists(spoolFile))
        return false;
    auto meta = archive.meta(name);
    auto data = MappedFile::open(spoolFile);
    if (!meta || !data || qint64(data->size()) != meta->size || Sha256::hexOf(data->view()) != meta->sha256) {
        QFile::remove(spoolFile);
        return false;
    }
    if (::rename(QFile::encodeName(spoolFile).constData(), QFile::encodeName(dest).constData()) != 0) {
        if (!writeAtomically(dest, data->view()))
            return false;
        QFile::remove(spoolFile);
    }
    *size = qint64(data->size());
    return true;
}

} // namespace

QString ArchiveGet::defaultSpoolDir(const QString &destPath)
{
    return QFileInfo(destPath).absolutePath() + QStringLiteral("/.pgarchivist-prefetch");
}

Result<ArchiveGetResult> ArchiveGet::run(ProgressSink &progress, const CancelToken &)
{
    if (Status s = repo::Repository::validateServerName(m_options.server); !s)
        return s.error();
    const auto name = WalName::parse(m_options.walName);
    if (!name)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("%1 is not a WAL file name. Pass %f from restore_command.").arg(m_options.walName));
    if (m_options.destPath.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("No destination given. Pass %p from restore_command."));
    auto repo = repo::Repository::open(m_options.repoDir);
    if (!repo)
        return repo.error().code == Error::Code::NotFound
                   ? Error(Error::Code::Io, repo.error().message, repo.error().detail)  // a missing repository is no "not found"
                   : repo.error();
    repo::WalArchive archive(*repo, m_options.server);
    const QString spool = m_options.spoolDir.isEmpty() ? defaultSpoolDir(m_options.destPath) : m_options.spoolDir;

    ArchiveGetResult result;
    if (takeFromSpool(archive, *name, spool + QLatin1Char('/') + name->name, m_options.destPath, &result.size)) {
        result.fromSpool = true;
    } else {
        repo::WalFileMeta meta;
        auto data = archive.fetch(*name, &meta);
        if (!data)
            return data.error();
        if (Status s = writeAtomically(m_options.destPath, data->view()); !s)
            return s.error();
        result.size = qint64(data->size());
    }

    // Start (or leave running) the prefetch worker for the segments after this one.
    if (m_options.prefetch > 0 && !m_options.workerProgram.isEmpty() && name->kind == WalName::Kind::Segment) {
        auto meta = archive.meta(*name);
        const quint64 segSize = meta && meta->segmentSize ? meta->segmentSize : (16u << 20);
        const QString next = WalName::segmentName(name->timeline, name->segNo(segSize) + 1, segSize);
        const QString nextArchived = archive.pathFor(*WalName::parse(next));
        if (!QFileInfo::exists(spool + QLatin1Char('/') + next) && QFileInfo::exists(nextArchived)) {
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
    QDir spool(spoolDir);
    // Segments at or before the one just restored are no longer needed; neither are old temporaries.
    for (const QString &f : spool.entryList(QDir::Files | QDir::Hidden)) {
        if (f == QLatin1String(".lock"))
            continue;
        const auto wn = WalName::parse(f);
        if (!wn || f.left(24) <= name->name.left(24) || wn->timeline != name->timeline)
            spool.remove(f);
    }
    auto meta = archive.meta(*name);
    const quint64 segSize = meta && meta->segmentSize ? meta->segmentSize : (16u << 20);
    Status status;
    for (int i = 1; i <= count && !cancel.isCancelled(); ++i) {
        const QString next = WalName::segmentName(name->timeline, name->segNo(segSize) + quint64(i), segSize);
        if (QFileInfo::exists(spool.filePath(next)))
            continue;
        auto data = archive.fetch(*WalName::parse(next));
        if (!data)
            break;  // not archived (yet), or damaged: archive-get reports that when PostgreSQL asks
        if (status = writeAtomically(spool.filePath(next), data->view()); !status)
            break;
    }
    ::close(fd);
    return status;
}

} // namespace pga::engine
