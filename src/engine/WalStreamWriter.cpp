#include "WalStreamWriter.h"

#include "ArchivePush.h"
#include "core/Buffer.h"
#include "core/WalName.h"
#include "repo/DurableFile.h"

#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace pga::engine {

WalStreamWriter::WalStreamWriter(repo::Repository repo, QString server, quint64 segmentSize, int compressionLevel,
                                 ProgressSink &progress)
    : m_repo(repo), m_server(server), m_stream(repo, server), m_segSize(segmentSize), m_level(compressionLevel), m_progress(progress)
{
}

Status WalStreamWriter::resume(quint32 timeline, Lsn lsn)
{
    m_file.reset();
    m_timeline = timeline;
    m_position = m_flushed = lsn;
    if (lsn.value() % m_segSize == 0) {
        // The segment file is made when its first byte arrives; a leftover of it (the stream restarts the segment from its
        // start) would otherwise be appended to.
        const QString leftover = m_stream.dir() + QLatin1Char('/') + WalName::segmentName(timeline, lsn.value() / m_segSize, m_segSize)
                                 + QStringLiteral(".partial");
        if (QFile::exists(leftover) && !QFile::remove(leftover))
            return Error(Error::Code::Io, QStringLiteral("Cannot remove %1.").arg(leftover));
        return {};
    }
    if (Status s = openSegment(); !s)
        return s;
    if (quint64(m_file->size()) != lsn.value() % m_segSize)
        return Error(Error::Code::Internal, QStringLiteral("%1 has %2 bytes; resuming at %3 needs %4.")
                                                .arg(m_file->path())
                                                .arg(m_file->size())
                                                .arg(lsn.toString())
                                                .arg(lsn.value() % m_segSize));
    return {};
}

Status WalStreamWriter::openSegment()
{
    if (Status s = makeDirectoryDurably(m_stream.dir(), m_repo.writeAs()); !s)
        return s;
    const QString name = WalName::segmentName(m_timeline, m_position.value() / m_segSize, m_segSize);
    auto f = repo::PartialWriter::open(m_stream.dir() + QLatin1Char('/') + name + QStringLiteral(".partial"), m_repo.writeAs());
    if (!f)
        return f.error();
    m_file = std::move(*f);
    return {};
}

Status WalStreamWriter::write(Lsn start, const char *data, size_t size)
{
    if (start != m_position)
        return Error(Error::Code::Corrupt, QStringLiteral("The server sent WAL from %1, but the stream is at %2.")
                                               .arg(start.toString(), m_position.toString()));
    while (size > 0) {
        if (!m_file)
            if (Status s = openSegment(); !s)
                return s;
        const quint64 room = m_segSize - m_position.value() % m_segSize;
        const size_t n = size_t(std::min<quint64>(room, size));
        if (Status s = m_file->append(data, n); !s)
            return s;
        m_position = Lsn(m_position.value() + n);
        data += n;
        size -= n;
        if (m_position.value() % m_segSize == 0)
            if (Status s = completeSegment(); !s)
                return s;
    }
    return {};
}

Status WalStreamWriter::sync()
{
    if (m_file)
        if (Status s = m_file->sync(); !s)
            return s;
    m_flushed = m_position;
    return {};
}

Status WalStreamWriter::completeSegment()
{
    // Durable as a .partial first: the flush position may then cover it even if publishing fails and is retried.
    if (Status s = m_file->sync(); !s)
        return s;
    const QString path = m_file->path();
    m_file.reset();
    m_flushed = m_position;
    return publish(path, QFileInfo(path).fileName().left(24));
}

Status WalStreamWriter::publish(const QString &partialPath, const QString &archivedName)
{
    auto data = MappedFile::open(partialPath);
    if (!data)
        return data.error();
    auto pushed = ArchivePush::pushData(m_repo, m_server, archivedName, data->data(), data->size(), m_level, partialPath);
    if (!pushed) {
        // A .partial is unfinished by nature: the promoted server's own .partial of that segment may hold more bytes.
        if (!(pushed.error().code == Error::Code::Conflict && archivedName.endsWith(QLatin1String(".partial"))))
            return pushed.error();
        m_progress.warning(QStringLiteral("%1 is archived already with other content (the promoted server's own copy); keeping that.")
                               .arg(archivedName));
    } else {
        ++m_archived;
        m_progress.info(QStringLiteral("Archived %1 from the stream%2.")
                            .arg(archivedName, pushed->outcome == repo::WalArchive::Stored::AlreadyArchived
                                                   ? QStringLiteral(" (archive_command had stored the same bytes)")
                                                   : QString()));
    }
    if (::unlink(QFile::encodeName(partialPath).constData()) != 0 && errno != ENOENT)
        return repo::ioError(QStringLiteral("Removing"), partialPath, errno);
    return repo::syncDirectory(m_stream.dir());
}

Status WalStreamWriter::endTimeline()
{
    if (Status s = sync(); !s)
        return s;
    if (!m_file)
        return {};
    // The unfinished segment of the old timeline is not archived: its bytes up to the switch open the new timeline's
    // segment of the same number, which is streamed next from its start. And SEGMENT.partial of the old timeline is the
    // name the promoted server's archiver uses for its own copy, which must not find ours (with other bytes) in its way.
    const QString path = m_file->path();
    m_file.reset();
    if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
        return repo::ioError(QStringLiteral("Removing"), path, errno);
    return repo::syncDirectory(m_stream.dir());
}

Status WalStreamWriter::publishComplete(const repo::StreamPartial &p)
{
    if (quint64(p.size) != m_segSize)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 has %2 bytes, more than a segment.").arg(p.path).arg(p.size));
    return publish(p.path, p.name);
}

Status WalStreamWriter::abandonPartial(const repo::StreamPartial &p)
{
    if (m_file && m_file->path() == p.path)
        m_file.reset();
    m_progress.warning(QStringLiteral("Archiving the %1 bytes streamed of %2 as %2.partial: the stream cannot continue that segment.")
                           .arg(p.size)
                           .arg(p.name));
    return publish(p.path, p.name + QStringLiteral(".partial"));
}

} // namespace pga::engine
