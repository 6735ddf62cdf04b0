#pragma once

#include "ChunkId.h"

#include <QSet>

namespace pga {

// Chunk ids met lately, so that repeats (zero pages, copied files) are skipped cheaply. Bounded: when full it
// starts over, so memory stays at a few MiB whatever the backup's size, and an id it forgot costs only the work
// the set was there to save.
class RecentChunkIds {
public:
    // True when `id` is new to the set (it is remembered from now on).
    bool insert(const ChunkId &id)
    {
        if (m_ids.contains(id))
            return false;
        if (m_ids.size() >= kLimit)
            m_ids.clear();
        m_ids.insert(id);
        return true;
    }
    void forget(const ChunkId &id) { m_ids.remove(id); }

private:
    static constexpr qsizetype kLimit = 1 << 16;
    QSet<ChunkId> m_ids;
};

} // namespace pga
