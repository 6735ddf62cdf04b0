#pragma once

#include "DurableFile.h"
#include "Repository.h"
#include "WalArchive.h"
#include "core/Buffer.h"
#include "core/Lsn.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace pga::repo {

// What a running wal-receive last said about itself (servers/NAME/stream/state.json; not durable, rewritten often).
struct ReceiverState {
    bool connected = false;
    quint32 timeline = 0;
    Lsn flushLsn;                 // durable in the repository (archived segments and the fsynced .partial)
    Lsn serverWalEnd;             // the server's end of WAL as of its last message
    double lagSeconds = 0;        // from the server sending WAL to it being durable here (server clock vs ours)
    QDateTime lastMessageUtc;
    QDateTime updatedUtc;
    QString source;               // host:port
    QString slot;
    bool synchronous = false;
    qint64 pid = 0;
    QString lastError;

    qint64 lagBytes() const { return serverWalEnd > flushLsn ? qint64(serverWalEnd.value() - flushLsn.value()) : 0; }
    QJsonObject toJson() const;
    static ReceiverState fromJson(const QJsonObject &o);
};

// The segment wal-receive is writing: servers/NAME/stream/SEGMENT.partial, raw WAL appended as it arrives and
// fdatasynced before its position is acknowledged. Completed segments move into the archive like archive-push's.
struct StreamPartial {
    QString path;
    QString name;        // SEGMENT (24 hex digits) of the file
    quint32 timeline = 0;
    quint64 segNo = 0;
    qint64 size = 0;
};

class WalStream {
public:
    WalStream(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}
    QString dir() const;
    QString statePath() const { return dir() + QStringLiteral("/state.json"); }

    // One receiver per server: an flock on stream/receiver.lock, held while it runs. Busy when another has it.
    class Lock {
    public:
        ~Lock();
        explicit Lock(int fd) : m_fd(fd) {}
    private:
        int m_fd;
    };
    Result<std::unique_ptr<Lock>> lock() const;
    bool receiverRunning() const;

    // The partial segment on disk (the newest, should a crash have left two).
    std::optional<StreamPartial> partial(quint64 segmentSize) const;
    // The partial as an archived-file description (kind "partial", name SEGMENT.partial), scanned for its LSN range
    // and commit times, for summaries and restore planning. NotFound when there is none.
    Result<WalFileMeta> partialMeta() const;
    // The partial's bytes when its segment is `segment` (24 hex digits), padded with zeros to the segment size:
    // what restore_command hands PostgreSQL so that recovery replays to the last streamed record.
    Result<Buffer> partialAsSegment(const QString &segment) const;

    Status writeState(const ReceiverState &s) const;
    Result<ReceiverState> readState() const;

private:
    Repository m_repo;
    QString m_server;
};

// Adds what wal-receive has streamed of the segment in progress (its .partial, as partialMeta() describes it) to a
// listing of the archive, unless that segment is archived whole already: what summaries and restore planning read,
// so that the recoverable window reaches the last streamed commit.
void addStreamedPartial(const Repository &repo, const QString &server, QList<WalFileMeta> &files);

// Appends to a partial segment and makes it durable on sync(). Opening an existing file resumes at its end.
class PartialWriter {
public:
    ~PartialWriter();
    static Result<std::unique_ptr<PartialWriter>> open(const QString &path, const FileOwner &owner);
    Status append(const char *data, size_t n);
    Status sync();  // fdatasync (and the directory, once, for a new file)
    qint64 size() const { return m_size; }
    qint64 syncedSize() const { return m_synced; }
    QString path() const { return m_path; }

private:
    PartialWriter(QString path, int fd, qint64 size, bool fresh) : m_path(std::move(path)), m_fd(fd), m_size(size), m_synced(fresh ? 0 : size), m_dirSynced(!fresh) {}
    QString m_path;
    int m_fd;
    qint64 m_size;
    qint64 m_synced;
    bool m_dirSynced;
    bool m_failed = false;
};

} // namespace pga::repo
