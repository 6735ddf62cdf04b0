#include "ChunkId.h"

namespace pga {

ChunkId ChunkId::fromDigest(const QByteArray &raw)
{
    ChunkId id;
    std::memcpy(id.bytes.data(), raw.constData(), std::min<size_t>(id.bytes.size(), size_t(raw.size())));
    return id;
}

std::optional<ChunkId> ChunkId::fromHex(QStringView hex)
{
    if (hex.size() != 64)
        return std::nullopt;
    auto nibble = [](QChar c) -> int {
        if (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            return c.unicode() - '0';
        if (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
            return c.unicode() - 'a' + 10;
        return -1;
    };
    ChunkId id;
    for (int i = 0; i < 32; ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        id.bytes[size_t(i)] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return id;
}

QString ChunkId::hex() const
{
    static constexpr char digits[] = "0123456789abcdef";
    QString s(64, Qt::Uninitialized);
    QChar *out = s.data();
    for (unsigned char b : bytes) {
        *out++ = QLatin1Char(digits[b >> 4]);
        *out++ = QLatin1Char(digits[b & 15]);
    }
    return s;
}

} // namespace pga
