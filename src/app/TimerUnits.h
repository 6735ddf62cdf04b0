#pragma once

#include "core/Result.h"

#include <QString>

namespace pga::app {

// The systemd timer and service that run `pgarchivist-cli schedule run-due` every minute, so schedules run with
// the app closed. The same text `schedule install-timer`, the Schedules dialog and the .deb packages install.
struct TimerUnits {
    static constexpr const char *kName = "pgarchivist-schedule";
    QString service;
    QString timer;
    QString directory;  // where they go: ~/.config/systemd/user (--user) or /etc/systemd/system

    // cliPath: the pgarchivist-cli to run; forUser: a user unit (no User=), else a system unit running as `osUser`
    // with that user's registry (its HOME).
    static TimerUnits make(const QString &cliPath, bool forUser, const QString &osUser, const QString &home);
    // Writes both files (replacing earlier ones atomically); the caller then says how to enable them.
    Status install() const;
    QString enableCommand(bool forUser) const;
};

// pgarchivist-cli next to this program (the build tree, /usr/bin for pgarchivist-cli-full in libexec), or on PATH.
QString findCliProgram();

} // namespace pga::app
