#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace pga {

// Cancellation shared between the caller and a running operation. Cheap to poll between chunks;
// operations that block in libpq or a process register a callback (PQcancel, kill) that runs once.
class CancelToken {
public:
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }

    void cancel()
    {
        if (m_cancelled.exchange(true))
            return;
        std::vector<std::function<void()>> callbacks;
        {
            std::lock_guard lock(m_mutex);
            callbacks.swap(m_callbacks);
        }
        for (auto &cb : callbacks)
            cb();
    }

    // Returns an id for removeCallback. Runs at once when already cancelled.
    int addCallback(std::function<void()> cb)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!isCancelled()) {
                m_callbacks.push_back(std::move(cb));
                return int(m_callbacks.size()) - 1;
            }
        }
        cb();
        return -1;
    }

    void removeCallback(int id)
    {
        std::lock_guard lock(m_mutex);
        if (id >= 0 && id < int(m_callbacks.size()))
            m_callbacks[size_t(id)] = [] {};
    }

private:
    std::atomic_bool m_cancelled{false};
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_callbacks;
};

// RAII registration of a cancel callback for the duration of a blocking call.
class CancelScope {
public:
    CancelScope(const CancelToken &token, std::function<void()> cb)
        : m_token(const_cast<CancelToken &>(token)), m_id(m_token.addCallback(std::move(cb))) {}
    ~CancelScope() { m_token.removeCallback(m_id); }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;

private:
    CancelToken &m_token;
    int m_id;
};

} // namespace pga
