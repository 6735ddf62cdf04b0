#pragma once

// Internal to Restore: one worker's writes of restored chunks into the target files.
#include "core/Buffer.h"
#include "core/Result.h"

#include <QString>

#include <vector>

namespace pga::engine {

// Whole 4 KiB blocks go to the file with O_DIRECT, around the page cache: copying every restored byte into it,
// and the kernel's write-back after, cost as much CPU as decompressing and hashing. Up to `depth` such writes
// are in flight at once (Linux AIO), each from its own buffer, so the worker decompresses and hashes the next
// chunk while the disk writes the last. A short tail, a file system that refuses O_DIRECT (at open or at the
// first write) or AIO, and --delta (buffered: it reads the target) use ordinary buffered writes.
class ChunkWriter {
public:
    ChunkWriter(size_t chunkSize, int depth, bool direct);
    ~ChunkWriter();
    ChunkWriter(const ChunkWriter &) = delete;
    ChunkWriter &operator=(const ChunkWriter &) = delete;

    // Switches to another target file (after the writes to the current one completed).
    Status open(const QString &path);
    // The buffered descriptor of the current file (for --delta's reads).
    int fd() const { return m_fd; }
    // A buffer to decompress the next chunk into; waits for the oldest write in flight when all are busy.
    Result<char *> buffer();
    // Writes `len` bytes of the buffer from buffer() at `offset`; may return before they are written.
    Status write(char *buf, size_t len, qint64 offset);
    // Waits for every write in flight; the first error, if any.
    Status finish();

private:
    struct Slot {
        Buffer buf;
        bool busy = false;
        size_t len = 0;
        qint64 offset = 0;
    };
    Status reap(int atLeast);
    Status buffered(const Slot &s);
    void stopDirect();
    QString m_path;
    int m_fd = -1;
    int m_dfd = -1;
    bool m_direct;
    unsigned long m_ctx = 0;  // aio_context_t; 0: no AIO, direct writes are synchronous
    std::vector<Slot> m_slots;
    int m_inFlight = 0;
};

} // namespace pga::engine
