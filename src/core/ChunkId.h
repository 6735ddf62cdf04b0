#pragma once

#include <QByteArray>
#include <QHashFunctions>
#include <QString>
#include <QStringView>

#include <array>
#include <cstring>
#include <optional>

namespace pga {

// A chunk's name: the SHA-256 of its bytes. A manifest holds one per MiB of data, so it is kept as 32 bytes;
// as 64 hex characters in a QString it took five times as much. Written and read as lower-case hex.
struct ChunkId {
    std::array<unsigned char, 32> bytes{};

    static ChunkId fromDigest(const QByteArray &raw);  // 32 raw bytes (Sha256::finish)
    static std::optional<ChunkId> fromHex(QStringView hex);
    QString hex() const;

    friend bool operator==(const ChunkId &a, const ChunkId &b) { return a.bytes == b.bytes; }
    friend bool operator!=(const ChunkId &a, const ChunkId &b) { return a.bytes != b.bytes; }
    friend size_t qHash(const ChunkId &c, size_t seed = 0) noexcept
    {
        size_t h;  // the bytes are a cryptographic hash already
        std::memcpy(&h, c.bytes.data(), sizeof h);
        return h ^ seed;
    }
};

} // namespace pga
