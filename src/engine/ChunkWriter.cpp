#include "ChunkWriter.h"

#include "repo/DurableFile.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pga::engine {

namespace {

constexpr size_t kBlock = 4096;

long ioSetup(unsigned n, aio_context_t *ctx) { return ::syscall(SYS_io_setup, n, ctx); }
long ioDestroy(aio_context_t ctx) { return ::syscall(SYS_io_destroy, ctx); }
long ioSubmit(aio_context_t ctx, long n, iocb **cbs) { return ::syscall(SYS_io_submit, ctx, n, cbs); }
long ioGetEvents(aio_context_t ctx, long minNr, long nr, io_event *ev) { return ::syscall(SYS_io_getevents, ctx, minNr, nr, ev, nullptr); }

} // namespace

ChunkWriter::ChunkWriter(size_t chunkSize, int depth, bool direct) : m_direct(direct)
{
    aio_context_t ctx = 0;
    if (m_direct && depth > 1 && ioSetup(unsigned(depth), &ctx) == 0)
        m_ctx = ctx;
    else
        depth = 1;
    for (int i = 0; i < depth; ++i)
        m_slots.push_back({Buffer(chunkSize)});
}

ChunkWriter::~ChunkWriter()
{
    (void)finish();
    if (m_ctx)
        ioDestroy(m_ctx);
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_dfd >= 0)
        ::close(m_dfd);
}

Status ChunkWriter::open(const QString &path)
{
    if (Status s = finish(); !s)
        return s;
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_dfd >= 0)
        ::close(m_dfd);
    m_path = path;
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
    if (m_fd < 0)
        return repo::ioError(QStringLiteral("Opening"), path, errno);
    m_dfd = m_direct ? ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC | O_DIRECT) : -1;
    return {};
}

Result<char *> ChunkWriter::buffer()
{
    for (;;) {
        for (Slot &s : m_slots)
            if (!s.busy)
                return s.buf.data();
        if (Status st = reap(1); !st)
            return st.error();
    }
}

Status ChunkWriter::buffered(const Slot &s)
{
    if (::pwrite(m_fd, s.buf.data(), s.len, s.offset) != ssize_t(s.len))
        return repo::ioError(QStringLiteral("Writing"), m_path, errno ? errno : ENOSPC);
    // Start writing it to disk now: with plenty of RAM the kernel would otherwise hold gigabytes until the final
    // syncfs, and the disk would idle until then.
    (void)::sync_file_range(m_fd, s.offset, off_t(s.len), SYNC_FILE_RANGE_WRITE);
    return {};
}

Status ChunkWriter::write(char *buf, size_t len, qint64 offset)
{
    Slot *slot = nullptr;
    for (Slot &s : m_slots)
        if (s.buf.data() == buf)
            slot = &s;
    Q_ASSERT(slot && !slot->busy);
    slot->len = len;
    slot->offset = offset;
    errno = 0;
    if (!m_direct || m_dfd < 0 || len % kBlock != 0 || size_t(offset) % kBlock != 0)
        return buffered(*slot);
    if (!m_ctx) {
        if (::pwrite(m_dfd, buf, len, offset) == ssize_t(len))
            return {};
        if (errno != EINVAL)
            return repo::ioError(QStringLiteral("Writing"), m_path, errno ? errno : ENOSPC);
        stopDirect();
        return buffered(*slot);
    }
    iocb cb;
    std::memset(&cb, 0, sizeof cb);
    cb.aio_data = quint64(slot - m_slots.data());
    cb.aio_lio_opcode = IOCB_CMD_PWRITE;
    cb.aio_fildes = quint32(m_dfd);
    cb.aio_buf = quint64(reinterpret_cast<uintptr_t>(buf));
    cb.aio_nbytes = len;
    cb.aio_offset = offset;
    iocb *cbs[1] = {&cb};
    if (ioSubmit(m_ctx, 1, cbs) != 1) {
        if (errno != EINVAL && errno != EOPNOTSUPP)
            return repo::ioError(QStringLiteral("Writing"), m_path, errno ? errno : EIO);
        stopDirect();
        return buffered(*slot);
    }
    slot->busy = true;
    ++m_inFlight;
    return {};
}

void ChunkWriter::stopDirect()
{
    // The file system takes O_DIRECT opens but not these writes: buffered from now on.
    m_direct = false;
    if (m_inFlight == 0 && m_dfd >= 0) {
        ::close(m_dfd);
        m_dfd = -1;
    }
}

Status ChunkWriter::reap(int atLeast)
{
    Status first;
    while (atLeast > 0 && m_inFlight > 0) {
        io_event ev[16];
        const long n = ioGetEvents(m_ctx, std::min(atLeast, m_inFlight), std::min<long>(16, m_inFlight), ev);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return repo::ioError(QStringLiteral("Waiting for writes to"), m_path, errno);
        }
        for (long i = 0; i < n; ++i) {
            Slot &s = m_slots[size_t(ev[i].data)];
            s.busy = false;
            --m_inFlight;
            --atLeast;
            if (ev[i].res == qint64(s.len))
                continue;
            // EINVAL: the file system refused this O_DIRECT write after all; the data is still in the buffer.
            if (ev[i].res == -EINVAL)
                m_direct = false;  // for the next files; this one's descriptor may still have writes in flight
            const Status st = ev[i].res == -EINVAL ? buffered(s)
                                                   : Status(repo::ioError(QStringLiteral("Writing"), m_path,
                                                                          ev[i].res < 0 ? int(-ev[i].res) : ENOSPC));
            if (!st && first)
                first = st;
        }
    }
    return first;
}

Status ChunkWriter::finish()
{
    return m_ctx ? reap(m_inFlight) : Status();
}

} // namespace pga::engine
