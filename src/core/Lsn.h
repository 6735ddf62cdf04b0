#pragma once

#include <QString>

#include <compare>
#include <cstdint>
#include <optional>

namespace pga {

// A WAL location (XLogRecPtr), written as PostgreSQL does: "16/B374D848".
class Lsn {
public:
    constexpr Lsn() = default;
    constexpr explicit Lsn(uint64_t value) : m_value(value) {}

    static std::optional<Lsn> parse(const QString &text);
    QString toString() const;

    constexpr uint64_t value() const { return m_value; }
    constexpr bool isValid() const { return m_value != 0; }
    constexpr auto operator<=>(const Lsn &) const = default;

private:
    uint64_t m_value = 0;
};

} // namespace pga
