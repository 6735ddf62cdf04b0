#include "Zstd.h"

#include <zstd.h>

#include <memory>

namespace pga::zstd {

QByteArray compress(const char *data, size_t size, int level)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size)), Qt::Uninitialized);
    const size_t n = ZSTD_compress(out.data(), size_t(out.size()), data, size, level);
    if (ZSTD_isError(n))
        return {};
    out.truncate(qsizetype(n));
    return out;
}

Result<QByteArray> decompress(const QByteArray &frame, size_t maxSize)
{
    const unsigned long long declared = ZSTD_getFrameContentSize(frame.constData(), size_t(frame.size()));
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is not a zstd frame."));
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared <= maxSize) {
        QByteArray out(qsizetype(declared), Qt::Uninitialized);
        const size_t n = ZSTD_decompress(out.data(), size_t(out.size()), frame.constData(), size_t(frame.size()));
        if (ZSTD_isError(n) || n != declared)
            return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is damaged."),
                         QString::fromLatin1(ZSTD_getErrorName(n)));
        return out;
    }
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data claims an implausible size."));
    // Streaming decode for frames without a content size.
    ZSTD_DCtx *ctx = ZSTD_createDCtx();
    QByteArray out;
    ZSTD_inBuffer in{frame.constData(), size_t(frame.size()), 0};
    QByteArray buf(qsizetype(ZSTD_DStreamOutSize()), Qt::Uninitialized);
    size_t ret = 1;
    while (in.pos < in.size) {
        ZSTD_outBuffer o{buf.data(), size_t(buf.size()), 0};
        ret = ZSTD_decompressStream(ctx, &o, &in);
        if (ZSTD_isError(ret)) {
            ZSTD_freeDCtx(ctx);
            return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is damaged."),
                         QString::fromLatin1(ZSTD_getErrorName(ret)));
        }
        out.append(buf.constData(), qsizetype(o.pos));
        if (size_t(out.size()) > maxSize) {
            ZSTD_freeDCtx(ctx);
            return Error(Error::Code::Corrupt, QStringLiteral("The compressed data expands beyond the allowed size."));
        }
    }
    ZSTD_freeDCtx(ctx);
    if (ret != 0)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is truncated."));
    return out;
}

} // namespace pga::zstd

namespace pga::zstd {

QByteArray compressWith(const char *data, size_t size, int level, int workers)
{
    ZSTD_CCtx *ctx = ZSTD_createCCtx();
    if (!ctx)
        return {};
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 0);
    if (workers > 0)
        ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, workers);  // ignored when libzstd lacks threads
    QByteArray out(qsizetype(ZSTD_compressBound(size)), Qt::Uninitialized);
    const size_t n = ZSTD_compress2(ctx, out.data(), size_t(out.size()), data, size);
    ZSTD_freeCCtx(ctx);
    if (ZSTD_isError(n))
        return {};
    out.truncate(qsizetype(n));
    return out;
}

} // namespace pga::zstd

namespace pga::zstd {

size_t bound(size_t size) { return ZSTD_compressBound(size); }

size_t compressInto(const char *data, size_t size, char *out, size_t outCapacity, int level, int workers)
{
    if (workers == 0) {
        // One context per thread, reused: creating one per call costs fresh, page-faulted tables every time,
        // which on a virtual machine took longer than compressing a 1 MiB chunk.
        static thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> reused(ZSTD_createCCtx(), ZSTD_freeCCtx);
        if (!reused)
            return 0;
        ZSTD_CCtx_reset(reused.get(), ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(reused.get(), ZSTD_c_compressionLevel, level);
        const size_t n = ZSTD_compress2(reused.get(), out, outCapacity, data, size);
        return ZSTD_isError(n) ? 0 : n;
    }
    ZSTD_CCtx *ctx = ZSTD_createCCtx();
    if (!ctx)
        return 0;
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level);
    if (workers > 0)
        ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, workers);  // one frame either way
    const size_t n = ZSTD_compress2(ctx, out, outCapacity, data, size);
    ZSTD_freeCCtx(ctx);
    return ZSTD_isError(n) ? 0 : n;
}

Status decompressInto(const char *frame, size_t frameSize, char *out, size_t expected)
{
    const unsigned long long declared = ZSTD_getFrameContentSize(frame, frameSize);
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is not a zstd frame."));
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != expected)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data has the wrong size (%1 bytes, expected %2).")
                                               .arg(declared)
                                               .arg(expected));
    static thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!ctx)
        return Error(Error::Code::Internal, QStringLiteral("Out of memory."));
    ZSTD_DCtx_reset(ctx.get(), ZSTD_reset_session_and_parameters);
    const size_t n = ZSTD_decompressDCtx(ctx.get(), out, expected, frame, frameSize);
    if (ZSTD_isError(n) || n != expected)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is damaged."),
                     ZSTD_isError(n) ? QString::fromLatin1(ZSTD_getErrorName(n)) : QStringLiteral("short"));
    return {};
}

} // namespace pga::zstd

namespace pga::zstd {

struct StreamCompressor::Ctx {
    ZSTD_CCtx *c = ZSTD_createCCtx();
    QByteArray buf = QByteArray(qsizetype(ZSTD_CStreamOutSize()), Qt::Uninitialized);
    ~Ctx() { ZSTD_freeCCtx(c); }
};

StreamCompressor::StreamCompressor(int level, int workers) : m_ctx(std::make_unique<Ctx>())
{
    ZSTD_CCtx_setParameter(m_ctx->c, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(m_ctx->c, ZSTD_c_checksumFlag, 1);
    if (workers > 0)
        ZSTD_CCtx_setParameter(m_ctx->c, ZSTD_c_nbWorkers, workers);  // ignored (an error) without MT support: fine
}

StreamCompressor::~StreamCompressor() = default;

namespace {
Status drive(ZSTD_CCtx *c, QByteArray &buf, ZSTD_inBuffer &in, ZSTD_EndDirective mode, QByteArray &out)
{
    for (;;) {
        ZSTD_outBuffer o{buf.data(), size_t(buf.size()), 0};
        const size_t left = ZSTD_compressStream2(c, &o, &in, mode);
        if (ZSTD_isError(left))
            return Error(Error::Code::Internal, QStringLiteral("zstd compression failed."), QString::fromLatin1(ZSTD_getErrorName(left)));
        out.append(buf.constData(), qsizetype(o.pos));
        const bool done = mode == ZSTD_e_continue ? in.pos == in.size : left == 0;
        if (done)
            return {};
    }
}
} // namespace

Status StreamCompressor::add(const char *data, size_t size, QByteArray &out)
{
    ZSTD_inBuffer in{data, size, 0};
    return drive(m_ctx->c, m_ctx->buf, in, ZSTD_e_continue, out);
}

Status StreamCompressor::finish(QByteArray &out)
{
    ZSTD_inBuffer in{nullptr, 0, 0};
    return drive(m_ctx->c, m_ctx->buf, in, ZSTD_e_end, out);
}

struct StreamDecompressor::Ctx {
    ZSTD_DCtx *d = ZSTD_createDCtx();
    QByteArray buf = QByteArray(qsizetype(ZSTD_DStreamOutSize()), Qt::Uninitialized);
    QByteArray in;
    size_t inPos = 0;
    bool full = false;    // the last call filled its output: zstd may hold more
    size_t last = 0;      // 0: at a frame boundary
    bool any = false;
    ~Ctx() { ZSTD_freeDCtx(d); }
};

StreamDecompressor::StreamDecompressor() : m_ctx(std::make_unique<Ctx>()) {}
StreamDecompressor::~StreamDecompressor() = default;

Status StreamDecompressor::add(const char *data, size_t size, QByteArray &out)
{
    ZSTD_inBuffer in{data, size, 0};
    if (size)
        m_ctx->any = true;
    bool full = false;
    do {
        const size_t before = in.pos;
        ZSTD_outBuffer o{m_ctx->buf.data(), size_t(m_ctx->buf.size()), 0};
        const size_t r = ZSTD_decompressStream(m_ctx->d, &o, &in);
        if (ZSTD_isError(r))
            return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is damaged."), QString::fromLatin1(ZSTD_getErrorName(r)));
        out.append(m_ctx->buf.constData(), qsizetype(o.pos));
        // A call that consumed and produced nothing (draining at a frame's end) says nothing about where we are.
        if (o.pos > 0 || in.pos > before)
            m_ctx->last = r;
        full = o.pos == o.size;  // zstd may hold more output than fitted
    } while (in.pos < in.size || full);
    return {};
}

void StreamDecompressor::feed(const char *data, size_t size)
{
    m_ctx->in = QByteArray(data, qsizetype(size));
    m_ctx->inPos = 0;
    if (size)
        m_ctx->any = true;
}

Status StreamDecompressor::drain(QByteArray &out, size_t maxOut, bool *needInput)
{
    *needInput = false;
    while (size_t(out.size()) < maxOut) {
        if (m_ctx->inPos >= size_t(m_ctx->in.size()) && !m_ctx->full) {
            *needInput = true;
            return {};
        }
        ZSTD_inBuffer in{m_ctx->in.constData(), size_t(m_ctx->in.size()), m_ctx->inPos};
        const size_t before = in.pos;
        ZSTD_outBuffer o{m_ctx->buf.data(), size_t(m_ctx->buf.size()), 0};
        const size_t r = ZSTD_decompressStream(m_ctx->d, &o, &in);
        if (ZSTD_isError(r))
            return Error(Error::Code::Corrupt, QStringLiteral("The compressed data is damaged."), QString::fromLatin1(ZSTD_getErrorName(r)));
        m_ctx->inPos = in.pos;
        out.append(m_ctx->buf.constData(), qsizetype(o.pos));
        if (o.pos > 0 || in.pos > before)
            m_ctx->last = r;
        m_ctx->full = o.pos == o.size;
    }
    return {};
}

Status StreamDecompressor::finish() const
{
    if (!m_ctx->any)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed file is empty."));
    if (m_ctx->last != 0)
        return Error(Error::Code::Corrupt, QStringLiteral("The compressed file is truncated."));
    return {};
}

} // namespace pga::zstd
