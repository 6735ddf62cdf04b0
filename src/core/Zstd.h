#pragma once

#include "Result.h"

#include <QByteArray>

#include <memory>

namespace pga::zstd {

// One-shot frame compression; level 1..19 (3 is zstd's default, a good speed/size balance).
QByteArray compress(const char *data, size_t size, int level = 3);
inline QByteArray compress(const QByteArray &data, int level = 3) { return compress(data.constData(), size_t(data.size()), level); }
// Decompresses one or more frames. maxSize guards against a corrupt header claiming gigabytes.
Result<QByteArray> decompress(const QByteArray &frame, size_t maxSize = size_t(1) << 30);

} // namespace pga::zstd

namespace pga::zstd {
// Compression with `workers` extra threads (0: in the calling thread); returns an empty array on failure.
QByteArray compressWith(const char *data, size_t size, int level, int workers);
} // namespace pga::zstd

namespace pga::zstd {
// Compresses into out (capacity at least bound(size)); returns the compressed size, 0 on failure.
size_t bound(size_t size);
size_t compressInto(const char *data, size_t size, char *out, size_t outCapacity, int level, int workers = 0);
// Decompresses a single frame whose decompressed size must be exactly `expected` bytes into out.
Status decompressInto(const char *frame, size_t frameSize, char *out, size_t expected);
} // namespace pga::zstd

namespace pga::zstd {

// Streaming compression into one frame with a content checksum (dumps: pg_dump's output as it arrives).
// workers > 0 lets zstd compress on that many extra threads while the caller feeds the next input.
class StreamCompressor {
public:
    explicit StreamCompressor(int level = 3, int workers = 0);
    ~StreamCompressor();
    StreamCompressor(const StreamCompressor &) = delete;
    StreamCompressor &operator=(const StreamCompressor &) = delete;
    // Compresses data; out receives whatever zstd emits (possibly nothing yet).
    Status add(const char *data, size_t size, QByteArray &out);
    // Ends the frame; out receives the rest.
    Status finish(QByteArray &out);

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
};

// Streaming decompression of one or more frames; finish() says whether the input ended inside a frame.
class StreamDecompressor {
public:
    StreamDecompressor();
    ~StreamDecompressor();
    StreamDecompressor(const StreamDecompressor &) = delete;
    StreamDecompressor &operator=(const StreamDecompressor &) = delete;
    // Corrupt when the data is not zstd or its checksum does not match. All of the output at once: only for input whose
    // expansion is bounded (use feed/drain for files).
    Status add(const char *data, size_t size, QByteArray &out);
    // Bounded memory whatever the ratio (a dump of zeros expands 1000-fold): feed input, then drain up to maxOut bytes
    // at a time; *needInput says the input is used up and nothing more is buffered.
    void feed(const char *data, size_t size);
    Status drain(QByteArray &out, size_t maxOut, bool *needInput);
    Status finish() const;

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
};

} // namespace pga::zstd
