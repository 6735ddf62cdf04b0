#pragma once

#include <QString>

#include <cstdint>

namespace pga {

// Where an engine operation reports what it is doing. Implementations must be thread-safe
// (operations may report from worker threads) and cheap: callers may report often, the sink throttles.
class ProgressSink {
public:
    enum class Level { Debug, Info, Warning, Error };

    virtual ~ProgressSink() = default;
    // done/total in the operation's own unit (bytes, files, segments); total <= 0 means unknown.
    virtual void progress(int64_t done, int64_t total) = 0;
    virtual void log(Level level, const QString &line) = 0;
    void info(const QString &line) { log(Level::Info, line); }
    void warning(const QString &line) { log(Level::Warning, line); }
};

// A sink that ignores everything, for callers that do not care.
class NullProgressSink final : public ProgressSink {
public:
    void progress(int64_t, int64_t) override {}
    void log(Level, const QString &) override {}
};

} // namespace pga
