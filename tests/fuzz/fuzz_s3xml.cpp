// libFuzzer target for repo/s3/S3Xml (what an S3 server, or anything answering in its place, sends back).
// Invariants: parsing never crashes or hangs; a page that parses is consistent (a truncated page has a token,
// sizes are not negative).
#include "repo/s3/S3Xml.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const QByteArray xml(reinterpret_cast<const char *>(data), qsizetype(size));
    if (auto page = pga::repo::s3::parseListPage(xml)) {
        if (page->truncated && page->nextToken.isEmpty())
            std::abort();
        for (const auto &o : page->objects)
            if (o.size < 0)
                std::abort();
    }
    (void)pga::repo::s3::parseError(xml);
    (void)pga::repo::s3::parseUploadId(xml);
    (void)pga::repo::s3::isCompleteMultipartResult(xml);
    return 0;
}
