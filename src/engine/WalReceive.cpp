#include "WalReceive.h"

#include "ArchivePush.h"
#include "WalStreamWriter.h"
#include "core/ReplicationMessage.h"
#include "core/WalName.h"
#include "pg/BaseBackupStream.h"
#include "pg/Connection.h"
#include "pg/ReplicationStream.h"
#include "repo/WalArchive.h"
#include "repo/WalStream.h"

#include <QDateTime>
#include <QThread>

#include <unistd.h>

namespace pga::engine {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// Errors that a reconnect cannot cure: the receiver stops and says why.
bool isFatal(const Error &e)
{
    switch (e.code) {
    case Error::Code::WrongCluster:
    case Error::Code::Conflict:
    case Error::Code::Authentication:
    case Error::Code::InvalidArgument:
    case Error::Code::Permission:
    case Error::Code::Busy:
    case Error::Code::Cancelled:
        return true;
    default:
        return false;
    }
}

Lsn segmentStart(Lsn lsn, quint64 segSize) { return Lsn(lsn.value() - lsn.value() % segSize); }

// One connection's worth of streaming.
class Session {
public:
    Session(const WalReceiveOptions &o, repo::Repository &repo, repo::ReceiverState &state, ProgressSink &progress,
            const CancelToken &cancel)
        : m_o(o), m_repo(repo), m_stream(repo, o.server), m_state(state), m_progress(progress), m_cancel(cancel)
    {
    }

    // Returns when the connection ends (an error) or the receiver is cancelled.
    Status run(WalReceiveResult &result);
    bool streamed() const { return m_streamed; }

private:
    Status prepareSlot(pg::Connection &conn);
    Status archiveHistory(pg::Connection &conn, quint32 timeline);
    Status followTimelines(pg::Connection &conn, quint32 serverTimeline);
    Status stream(pg::Connection &conn);
    Status walGone(const Error &e);
    void publishState(bool force);

    const WalReceiveOptions &m_o;
    repo::Repository &m_repo;
    repo::WalStream m_stream;
    repo::ReceiverState &m_state;
    ProgressSink &m_progress;
    const CancelToken &m_cancel;
    std::unique_ptr<WalStreamWriter> m_writer;
    quint64 m_segSize = 0;
    bool m_streamed = false;
    bool m_restart = false;  // the server no longer has our position: the next session starts where the server is
    qint64 m_lastStateMs = 0;
};

// The server recycled WAL this receiver never got (no slot, or wal_keep_size too small): what was streamed of the
// segment is archived as .partial and the next session starts at the server's position, leaving a gap that only
// archive_command can fill. Any other error passes through.
Status Session::walGone(const Error &e)
{
    if (!e.message.contains(QLatin1String("has already been removed")) && !e.detail.contains(QLatin1String("has already been removed")))
        return e;
    if (const auto p = m_stream.partial(m_segSize))
        if (Status s = m_writer->abandonPartial(*p); !s)
            return s;
    m_restart = true;
    m_state.flushLsn = Lsn();
    m_state.timeline = 0;
    return Error(Error::Code::NotFound,
                 QStringLiteral("The server no longer has the WAL after %1 (recycled before this receiver got it). Restarting at the "
                                "server's current position: the archive has a gap there unless archive_command covers it. Give the "
                                "receiver a slot (--slot NAME --create-slot) or raise wal_keep_size so it cannot happen again.")
                     .arg(m_writer->flushed().toString()),
                 e.message);
}

void Session::publishState(bool force)
{
    const qint64 now = nowMs();
    if (!force && now - m_lastStateMs < 1000)
        return;
    m_lastStateMs = now;
    if (m_writer && !m_restart) {
        m_state.flushLsn = m_writer->flushed();
        m_state.timeline = m_writer->timeline();
    }
    m_state.updatedUtc = QDateTime::currentDateTimeUtc();
    if (Status s = m_stream.writeState(m_state); !s)
        m_progress.log(ProgressSink::Level::Debug, s.error().toString());
}

Status Session::prepareSlot(pg::Connection &conn)
{
    if (m_o.slot.isEmpty())
        return {};
    auto slot = pg::readReplicationSlot(conn, m_o.slot, m_cancel);
    if (!slot)
        return slot.error();
    if (slot->exists && slot->type != QLatin1String("physical"))
        return Error(Error::Code::InvalidArgument, QStringLiteral("Replication slot '%1' is a %2 slot; wal-receive needs a physical one.")
                                                       .arg(m_o.slot, slot->type));
    if (slot->exists)
        return {};
    if (!m_o.createSlot)
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The server has no replication slot '%1'. Add --create-slot to create it, or create it with "
                                    "SELECT pg_create_physical_replication_slot('%1', true).")
                         .arg(m_o.slot));
    if (Status s = pg::createPhysicalSlot(conn, m_o.slot, m_cancel); !s)
        return s;
    m_progress.info(QStringLiteral("Created the physical replication slot '%1'.").arg(m_o.slot));
    return {};
}

Status Session::archiveHistory(pg::Connection &conn, quint32 timeline)
{
    if (timeline <= 1)
        return {};
    const auto name = WalName::parse(WalName::historyName(timeline));
    if (!name)
        return Error(Error::Code::Internal, QStringLiteral("No history file name for timeline %1.").arg(timeline));
    repo::WalArchive archive(m_repo, m_o.server);
    if (archive.meta(*name))
        return {};
    QString fileName;
    auto content = pg::timelineHistory(conn, timeline, &fileName, m_cancel);
    if (!content)
        return content.error();
    auto pushed = ArchivePush::pushData(m_repo, m_o.server, name->name, content->constData(), size_t(content->size()), 1,
                                        QStringLiteral("TIMELINE_HISTORY %1").arg(timeline));
    if (!pushed)
        return pushed.error();
    m_progress.info(QStringLiteral("Archived %1 from the server.").arg(name->name));
    return {};
}

// Moves the writer onto the server's timeline when the one it was on has ended (the server was promoted, or this is
// the new primary after a failover).
Status Session::followTimelines(pg::Connection &conn, quint32 serverTimeline)
{
    if (m_writer->timeline() > serverTimeline)
        return Error(Error::Code::WrongCluster,
                     QStringLiteral("The server is on timeline %1, but the repository already streams timeline %2 of '%3': this is an "
                                    "older copy of the cluster (a restored or rewound server?).")
                         .arg(serverTimeline)
                         .arg(m_writer->timeline())
                         .arg(m_o.server));
    while (m_writer->timeline() < serverTimeline) {
        QString fileName;
        auto content = pg::timelineHistory(conn, serverTimeline, &fileName, m_cancel);
        if (!content)
            return content.error();
        auto history = wal::parseTimelineHistory(*content);
        if (!history)
            return history.error();
        const quint32 tli = m_writer->timeline();
        const Lsn end = wal::timelineEnd(*history, tli);
        if (!end.isValid())
            return Error(Error::Code::WrongCluster,
                         QStringLiteral("Timeline %1, which the repository streams, is not an ancestor of the server's timeline %2.")
                             .arg(tli)
                             .arg(serverTimeline));
        if (m_writer->position() < end)
            return {};  // stream the rest of the old timeline first; the server ends it at the switch
        quint32 next = serverTimeline;
        for (const wal::TimelineSwitch &s : *history)
            if (s.parentTimeline > tli) {
                next = s.parentTimeline;
                break;
            }
        if (m_writer->position() > end) {
            // WAL of the old timeline beyond its end (its primary wrote on after the promotion): nowhere else, so kept.
            if (const auto p = m_stream.partial(m_segSize); p && p->timeline == tli)
                if (Status s = m_writer->abandonPartial(*p); !s)
                    return s;
        } else if (Status s = m_writer->endTimeline(); !s) {
            return s;
        }
        if (Status s = archiveHistory(conn, next); !s)
            return s;
        m_progress.info(QStringLiteral("Timeline %1 ended at %2; following timeline %3.").arg(tli).arg(end.toString()).arg(next));
        if (Status s = m_writer->resume(next, segmentStart(end, m_segSize)); !s)
            return s;
    }
    return {};
}

Status Session::run(WalReceiveResult &result)
{
    pg::ConnectOptions co;
    co.conninfo = m_o.conninfo;
    co.password = m_o.password;
    co.replication = true;
    co.applicationName = WalReceive::applicationName();
    auto conn = pg::Connection::connect(co, &m_cancel);
    if (!conn)
        return conn.error();
    auto id = pg::identifySystem(**conn, m_cancel);
    if (!id)
        return id.error();
    auto segSize = pg::walSegmentSize(**conn, m_cancel);
    if (!segSize)
        return segSize.error();
    m_segSize = *segSize;
    if (auto rec = m_repo.ensureServer(m_o.server, id->systemIdentifier, (*conn)->serverVersionNum()); !rec)
        return rec.error();
    if (Status s = prepareSlot(**conn); !s)
        return s;
    m_state.source = (*conn)->host() + QLatin1Char(':') + (*conn)->port();

    // Where to start: the partial on disk, else where the last session's stream ended, else the slot, else now.
    m_writer = std::make_unique<WalStreamWriter>(m_repo, m_o.server, m_segSize, m_o.compressionLevel, m_progress);
    quint32 tli = id->timeline;
    Lsn start = segmentStart(id->xlogPos, m_segSize);
    if (auto p = m_stream.partial(m_segSize)) {
        tli = p->timeline;
        start = Lsn(p->segNo * m_segSize + quint64(p->size));
        if (quint64(p->size) >= m_segSize)  // complete, but not yet published when the last run ended
            if (Status s = m_writer->publishComplete(*p); !s)
                return s;
    } else if (m_state.timeline && m_state.flushLsn.isValid()) {
        tli = m_state.timeline;
        start = segmentStart(m_state.flushLsn, m_segSize);
    } else if (!m_o.slot.isEmpty()) {
        if (auto slot = pg::readReplicationSlot(**conn, m_o.slot, m_cancel); slot && slot->restartLsn.isValid()) {
            start = segmentStart(slot->restartLsn, m_segSize);
            tli = slot->restartTimeline ? slot->restartTimeline : tli;
        }
    }
    if (Status s = m_writer->resume(tli, start); !s)
        return s;
    if (Status s = archiveHistory(**conn, id->timeline); !s)
        return s;
    if (Status s = followTimelines(**conn, id->timeline); !s)
        return s;
    Status s = stream(**conn);
    // What arrived before the end is made durable too (it was never acknowledged, but the next run need not fetch it).
    if (!m_restart)
        if (Status synced = m_writer->sync(); !synced && s)
            s = synced;
    publishState(true);
    result.flushLsn = m_writer->flushed();
    result.timeline = m_writer->timeline();
    result.segmentsArchived += m_writer->segmentsArchived();
    return s;
}

Status Session::stream(pg::Connection &conn)
{
    for (;;) {
        auto rs = pg::ReplicationStream::start(conn, m_o.slot, m_writer->position(), m_writer->timeline(), m_cancel);
        if (!rs)
            return walGone(rs.error());
        m_state.connected = true;
        m_state.lastError.clear();
        m_progress.info(QStringLiteral("Streaming from %1, timeline %2, at %3%4.")
                            .arg(m_state.source)
                            .arg(m_writer->timeline())
                            .arg(m_writer->position().toString(),
                                 m_o.slot.isEmpty() ? QString() : QStringLiteral(" (slot %1)").arg(m_o.slot)));
        publishState(true);
        qint64 lastStatusMs = 0;
        qint64 lastSyncMs = nowMs();
        qint64 lastDataSendUs = 0;
        const qint64 intervalMs = qint64(std::max(1, m_o.statusIntervalSec)) * 1000;
        // Asynchronous mode still makes what arrived durable within this, so the archive lags by well under a second.
        const qint64 asyncSyncMs = 200;
        for (;;) {
            const bool unsynced = m_writer->position() > m_writer->flushed();
            qint64 deadline = lastStatusMs + intervalMs;
            if (unsynced)
                deadline = std::min(deadline, m_o.synchronous ? nowMs() : lastSyncMs + asyncSyncMs);
            const bool idle = !(*rs)->hasBufferedMessage();
            bool replyNow = false;
            if (!idle || deadline > nowMs()) {
                auto ev = (*rs)->next(idle ? deadline : nowMs(), m_cancel);
                if (!ev)
                    return walGone(ev.error());  // a walsender reports removed WAL only once the stream has started
                if (ev->kind == pg::ReplicationStream::Event::Kind::EndOfTimeline) {
                    if (Status s = m_writer->endTimeline(); !s)
                        return s;
                    if (Status s = archiveHistory(conn, ev->nextTimeline); !s)
                        return s;
                    m_progress.info(QStringLiteral("The server ended timeline %1 at %2; following timeline %3.")
                                        .arg(m_writer->timeline())
                                        .arg(m_writer->position().toString())
                                        .arg(ev->nextTimeline));
                    if (Status s = m_writer->resume(ev->nextTimeline, segmentStart(ev->nextTimelineStart, m_segSize)); !s)
                        return s;
                    break;  // START_REPLICATION again on the new timeline
                }
                if (ev->kind == pg::ReplicationStream::Event::Kind::Message) {
                    const wal::StreamMessage &m = ev->message;
                    m_state.serverWalEnd = m.serverWalEnd;
                    m_state.lastMessageUtc = QDateTime::currentDateTimeUtc();
                    if (m.kind == wal::StreamMessage::Kind::XLogData) {
                        if (Status s = m_writer->write(m.start, m.data, m.size); !s)
                            return s;
                        lastDataSendUs = m.sendTimeUs;
                        m_streamed = true;
                        m_state.serverWalEnd = std::max(m.serverWalEnd, m_writer->position());
                    } else {
                        replyNow = m.replyRequested;
                    }
                    // Take what is waiting before syncing (one fdatasync per batch), but never for longer than a sync may wait:
                    // under a continuous stream the socket is never empty.
                    const qint64 batchMs = m_o.synchronous ? 10 : asyncSyncMs;
                    if (!replyNow && nowMs() - lastSyncMs < batchMs && (*rs)->hasBufferedMessage())
                        continue;
                }
            }
            const qint64 now = nowMs();
            const bool syncDue = m_writer->position() > m_writer->flushed()
                                 && (m_o.synchronous || replyNow || now - lastSyncMs >= asyncSyncMs);
            if (syncDue) {
                if (Status s = m_writer->sync(); !s)
                    return s;
                lastSyncMs = now;
                if (lastDataSendUs)
                    m_state.lagSeconds = std::max<qint64>(0, now * 1000 - lastDataSendUs) / 1e6;
            }
            if (m_writer->flushed() >= m_state.serverWalEnd)
                m_state.lagSeconds = 0;
            if (syncDue || replyNow || now - lastStatusMs >= intervalMs) {
                if (Status s = (*rs)->sendStatus(m_writer->position(), m_writer->flushed(), Lsn(), false, m_cancel); !s)
                    return s;
                lastStatusMs = now;
            }
            publishState(false);
        }
    }
}

} // namespace

Result<WalReceiveResult> WalReceive::run(ProgressSink &progress, const CancelToken &cancel)
{
    if (Status s = repo::Repository::validateServerName(m_o.server); !s)
        return s.error();
    auto repo = repo::Repository::open(m_o.repoDir, repo::Repository::Access::Write);
    if (!repo)
        return repo.error();
    if (repo->onObjectStorage())  // the segment being received is appended and fdatasynced in place
        return Error(Error::Code::Unsupported,
                     QStringLiteral("wal-receive needs a repository on a file system; %1 is on object storage. Stream into a local "
                                    "repository, or archive with archive_command (archive-push --async keeps up with object storage).")
                         .arg(repo->root()));
    if (repo->encrypted())  // the .partial would hold plain WAL in the repository while it grows
        return Error(Error::Code::Unsupported,
                     QStringLiteral("wal-receive cannot stream into the encrypted repository %1 (the segment being received is kept "
                                    "unencrypted while it grows). Archive with archive_command (archive-push), or stream into a "
                                    "repository without encryption.")
                         .arg(repo->root()));
    repo::WalStream stream(*repo, m_o.server);
    auto lock = stream.lock();
    if (!lock)
        return lock.error();
    repo::ReceiverState state;
    if (auto previous = stream.readState())
        state = *previous;
    state.connected = false;
    state.slot = m_o.slot;
    state.synchronous = m_o.synchronous;
    state.pid = ::getpid();
    WalReceiveResult result;
    int delaySec = 1;
    for (;;) {
        Session session(m_o, *repo, state, progress, cancel);
        Status s = session.run(result);
        ++result.sessions;
        state.connected = false;
        if (cancel.isCancelled()) {
            state.lastError.clear();
            (void)stream.writeState(state);
            return result;
        }
        state.lastError = s ? QStringLiteral("the server ended the stream") : s.error().message;
        state.updatedUtc = QDateTime::currentDateTimeUtc();
        (void)stream.writeState(state);
        if (!s && isFatal(s.error()))
            return s.error();
        if (m_o.maxSessions > 0 && result.sessions >= m_o.maxSessions)
            return s ? Result<WalReceiveResult>(result) : Result<WalReceiveResult>(s.error());
        if (session.streamed())
            delaySec = 1;
        progress.warning(QStringLiteral("%1 Reconnecting in %2 s.").arg(state.lastError).arg(delaySec));
        for (int i = 0; i < delaySec * 10 && !cancel.isCancelled(); ++i)
            QThread::msleep(100);
        if (cancel.isCancelled())
            return result;
        delaySec = std::min(delaySec * 2, std::max(1, m_o.maxRetryDelaySec));
    }
}

} // namespace pga::engine
