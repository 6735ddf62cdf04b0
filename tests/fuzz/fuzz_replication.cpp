// libFuzzer target for what a walsender sends (core/ReplicationMessage): the CopyBoth messages of START_REPLICATION and
// the timeline history files of TIMELINE_HISTORY. The first byte picks the parser. Invariants: never crashes; a WAL
// data message's payload lies inside the message; an accepted history has ascending parents and switchpoints.
#include "core/ReplicationMessage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const char *p = reinterpret_cast<const char *>(data) + 1;
    const size_t n = size - 1;
    if (data[0] & 1) {
        auto m = pga::wal::parseStreamMessage(p, n);
        if (m && m->kind == pga::wal::StreamMessage::Kind::XLogData && (m->data < p || m->data + m->size != p + n))
            std::abort();
        return 0;
    }
    auto h = pga::wal::parseTimelineHistory(QByteArray(p, qsizetype(n)));
    if (!h)
        return 0;
    for (qsizetype i = 1; i < h->size(); ++i)
        if ((*h)[i].parentTimeline <= (*h)[i - 1].parentTimeline || (*h)[i].switchpoint < (*h)[i - 1].switchpoint)
            std::abort();
    for (const auto &s : *h)
        if (pga::wal::timelineEnd(*h, s.parentTimeline) != s.switchpoint)
            std::abort();
    return 0;
}
