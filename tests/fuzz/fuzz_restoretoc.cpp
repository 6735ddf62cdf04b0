// libFuzzer target for core/RestoreToc (pg_restore --list output, and --use-list files users edit by hand).
// Invariants: parsing never crashes; what parses writes back as a list that parses to the same entries.
#include "core/RestoreToc.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    auto toc = pga::parseRestoreList(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!toc)
        return 0;
    QSet<int> all;
    for (const pga::TocEntry &e : *toc)
        all << e.dumpId;
    auto again = pga::parseRestoreList(pga::restoreListFor(*toc, all));
    if (!again || again->size() != toc->size())
        std::abort();
    for (qsizetype i = 0; i < toc->size(); ++i)
        if ((*again)[i].dumpId != (*toc)[i].dumpId || (*again)[i].desc != (*toc)[i].desc)
            std::abort();
    return 0;
}
