#pragma once

#include "core/Lsn.h"
#include "core/ProgressSink.h"
#include "core/Result.h"
#include "repo/WalStream.h"

#include <memory>

namespace pga::engine {

// Writes a WAL stream into a repository: appends to the current segment's .partial, publishes each completed segment
// into the archive (ArchivePush::pushData) and removes its .partial. position() is what has been written, flushed()
// what is durable and may be acknowledged.
class WalStreamWriter {
public:
    WalStreamWriter(repo::Repository repo, QString server, quint64 segmentSize, int compressionLevel, ProgressSink &progress);

    // Where to continue on `timeline` at `lsn`; the .partial of lsn's segment must hold exactly the bytes before it.
    Status resume(quint32 timeline, Lsn lsn);
    // Appends data that starts at `start` (must equal position()).
    Status write(Lsn start, const char *data, size_t size);
    Status sync();
    // The timeline ended at the current position: its unfinished segment is dropped (the next timeline's segment of that
    // number holds the same bytes up to the switch and is streamed from its start).
    Status endTimeline();
    // A leftover partial that can no longer be continued (the server no longer has its WAL): archived as .partial.
    Status abandonPartial(const repo::StreamPartial &p);
    // A whole segment's .partial that a killed run had not published yet.
    Status publishComplete(const repo::StreamPartial &p);

    Lsn position() const { return m_position; }
    Lsn flushed() const { return m_flushed; }
    quint32 timeline() const { return m_timeline; }
    int segmentsArchived() const { return m_archived; }

private:
    Status openSegment();
    Status completeSegment();
    Status publish(const QString &partialPath, const QString &archivedName);
    repo::Repository m_repo;
    QString m_server;
    repo::WalStream m_stream;
    quint64 m_segSize;
    int m_level;
    ProgressSink &m_progress;
    quint32 m_timeline = 0;
    Lsn m_position, m_flushed;
    std::unique_ptr<repo::PartialWriter> m_file;
    int m_archived = 0;
};

} // namespace pga::engine
