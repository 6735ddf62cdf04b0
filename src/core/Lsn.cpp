#include "Lsn.h"

namespace pga {

std::optional<Lsn> Lsn::parse(const QString &text)
{
    const QString t = text.trimmed();
    const qsizetype slash = t.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == t.size() - 1 || slash > 8 || t.size() - slash - 1 > 8)
        return std::nullopt;
    bool okHi = false, okLo = false;
    const uint64_t hi = t.left(slash).toULongLong(&okHi, 16);
    const uint64_t lo = t.mid(slash + 1).toULongLong(&okLo, 16);
    if (!okHi || !okLo)
        return std::nullopt;
    return Lsn((hi << 32) | lo);
}

QString Lsn::toString() const
{
    return QStringLiteral("%1/%2")
        .arg(uint32_t(m_value >> 32), 0, 16)
        .arg(uint32_t(m_value & 0xffffffffu), 0, 16)
        .toUpper();
}

} // namespace pga
