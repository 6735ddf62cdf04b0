// libFuzzer target for core/CalendarSpec (schedule calendars come from users and from the registry).
// Invariants: parse never crashes or hangs; what parses has a normalized form that parses again to the same
// next run.
#include "core/CalendarSpec.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto spec = pga::CalendarSpec::parse(text);
    if (!spec)
        return 0;
    static const QDateTime base = QDateTime::fromSecsSinceEpoch(1800000000, QTimeZone::utc());
    const QDateTime next = spec->next(base);
    if (next.isValid() && next <= base)
        std::abort();  // next() must be strictly after
    auto again = pga::CalendarSpec::parse(spec->normalized());
    if (!again || again->next(base) != next)
        std::abort();  // the normalized text (what a timer gets) must mean the same
    return 0;
}
