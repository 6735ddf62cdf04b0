// libFuzzer target for core/CatalogSnapshot's reader (catalog.json in any repository). Invariants: never crashes;
// what it accepts writes back to JSON that reads back equal.
#include "core/CatalogSnapshot.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    auto s = pga::parseCatalogSnapshot(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!s)
        return 0;
    auto again = pga::parseCatalogSnapshot(pga::catalogSnapshotJson(*s));
    if (!again || !(*again == *s))
        std::abort();
    return 0;
}
