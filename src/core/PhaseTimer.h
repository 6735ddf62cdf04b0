#pragma once

#include <QElapsedTimer>
#include <QtGlobal>

#include <cstdio>

namespace pga {

// With PGA_DEBUG_TIMING set, lap() prints the microseconds since construction on stderr: for tuning the
// commands PostgreSQL runs once per WAL file, where every millisecond counts. Silent otherwise.
class PhaseTimer {
public:
    PhaseTimer() { m_timer.start(); }
    void lap(const char *phase) const
    {
        static const bool on = qEnvironmentVariableIsSet("PGA_DEBUG_TIMING");
        if (on)
            std::fprintf(stderr, "%s %lld us\n", phase, static_cast<long long>(m_timer.nsecsElapsed() / 1000));
    }

private:
    QElapsedTimer m_timer;
};

} // namespace pga
