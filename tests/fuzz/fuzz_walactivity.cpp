// libFuzzer target for the blunder finder's WAL record decoding (core/WalRecords, core/WalActivity) and its cache
// encoding. The input is a record stream laid out on valid WAL pages (so the fuzzer reaches the records, not just the
// page header check), and also read as a cache entry. Invariants: never crashes; what is decoded encodes and decodes
// back to the same; the finder takes anything the decoder returns.
#include "SyntheticWal.h"
#include "core/BlunderFinder.h"
#include "core/WalActivity.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512 * 1024)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)pga::wal::decodeActivity(input);
    pga::test::SyntheticWal w(42, 1, 3);
    w.raw(input);
    const QByteArray seg = w.build();
    auto a = pga::wal::scanActivity(seg.constData(), size_t(seg.size()));
    if (!a)
        std::abort();  // the page layout is valid: only records may be bad
    auto back = pga::wal::decodeActivity(pga::wal::encodeActivity(*a));
    if (!back || !(*back == *a))
        std::abort();
    pga::CatalogNames names;
    pga::BlunderFinder finder(names, {}, {});
    finder.addSegment(*a);
    finder.addSegment(*a);
    (void)finder.events();
    return 0;
}
