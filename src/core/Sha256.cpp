#include "Sha256.h"

#include "Sha256Block.h"

#include <cstring>

namespace pga {

struct Sha256::State {
    uint32_t h[8];
    uint64_t total = 0;  // bytes
    uint8_t pending[64];
    size_t pendingSize = 0;
    void (*compress)(uint32_t *, const uint8_t *, size_t) = sha256::hasShaNi() ? sha256::compressShaNi : sha256::compressPortable;

    State() { reset(); }
    void reset()
    {
        static constexpr uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        std::memcpy(h, iv, sizeof h);
        total = 0;
        pendingSize = 0;
    }
    void add(const uint8_t *p, size_t n)
    {
        total += n;
        if (pendingSize > 0) {
            const size_t take = std::min(n, 64 - pendingSize);
            std::memcpy(pending + pendingSize, p, take);
            pendingSize += take;
            p += take;
            n -= take;
            if (pendingSize < 64)
                return;
            compress(h, pending, 1);
            pendingSize = 0;
        }
        if (n >= 64) {
            compress(h, p, n / 64);
            p += n & ~size_t(63);
            n &= 63;
        }
        std::memcpy(pending, p, n);
        pendingSize = n;
    }
    void finish(uint8_t out[32])
    {
        const uint64_t bits = total * 8;
        uint8_t tail[72] = {0x80};
        const size_t padding = (pendingSize < 56 ? 56 : 120) - pendingSize;
        for (int i = 0; i < 8; ++i)
            tail[padding + size_t(i)] = uint8_t(bits >> (56 - 8 * i));
        add(tail, padding + 8);
        for (int i = 0; i < 8; ++i) {
            out[4 * i] = uint8_t(h[i] >> 24);
            out[4 * i + 1] = uint8_t(h[i] >> 16);
            out[4 * i + 2] = uint8_t(h[i] >> 8);
            out[4 * i + 3] = uint8_t(h[i]);
        }
        reset();
    }
};

Sha256::Sha256() : m_state(std::make_unique<State>()) {}
Sha256::~Sha256() = default;

void Sha256::add(const char *data, size_t size) { m_state->add(reinterpret_cast<const uint8_t *>(data), size); }

QByteArray Sha256::finish()
{
    QByteArray out(32, Qt::Uninitialized);
    m_state->finish(reinterpret_cast<uint8_t *>(out.data()));
    return out;
}

QString Sha256::finishHex() { return QString::fromLatin1(finish().toHex()); }

QByteArray Sha256::of(const char *data, size_t size)
{
    Sha256 h;
    h.add(data, size);
    return h.finish();
}

QString Sha256::hexOf(const QByteArray &data) { return hexOf(data.constData(), size_t(data.size())); }

QString Sha256::hexOf(const char *data, size_t size) { return QString::fromLatin1(of(data, size).toHex()); }

} // namespace pga
