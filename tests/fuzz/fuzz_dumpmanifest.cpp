// libFuzzer target for repo/DumpCatalog's manifest reader (manifest.json of a dump, read from any repository).
// Invariants: never crashes; what it accepts names only files inside the dump, and writes back to the same.
#include "repo/DumpCatalog.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;
    auto m = pga::repo::DumpManifest::fromJson(doc.object());
    if (!m)
        return 0;
    for (const pga::repo::DumpFile &f : m->allFiles())
        if (!pga::repo::DumpCatalog::safeRelativePath(f.path))
            std::abort();
    auto again = pga::repo::DumpManifest::fromJson(QJsonDocument::fromJson(m->toJsonBytes()).object());
    if (!again || again->toJsonBytes() != m->toJsonBytes())
        std::abort();
    return 0;
}
