#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>

namespace pga::engine {

struct SandboxInfo {
    QString baseDir;
    QString dataDir;
    QString socketDir;
    QString repoDir;      // a pgArchivist repository the sandbox archives its WAL into
    int port = 0;
    QString conninfo;     // superuser over the unix socket (trust)
    bool exists = false;
    bool running = false;
};

// A local PostgreSQL cluster for trying pgArchivist: initdb under the user's data dir, archiving
// into its own repository with our archive-push, listening on 127.0.0.1 on a free port.
// As root, the server runs as the postgres user, and the sandbox lives in /var/lib/pgarchivist
// (root's home is not traversable by that user).
class Sandbox {
public:
    explicit Sandbox(QString baseDir = defaultBaseDir());
    static QString defaultBaseDir();

    Result<SandboxInfo> create(ProgressSink &progress, const CancelToken &cancel);
    Result<SandboxInfo> start();
    Result<SandboxInfo> stop();
    Result<SandboxInfo> status() const;
    // Stops the server and removes the whole sandbox directory.
    Status destroy();

    // The archive_command the sandbox uses; empty when pgarchivist-cli cannot be found.
    static QString findCli();

private:
    Result<SandboxInfo> load() const;
    QString m_baseDir;
};

inline Result<SandboxInfo> createSandbox(const QString &baseDir, ProgressSink &progress, const CancelToken &cancel)
{
    return Sandbox(baseDir.isEmpty() ? Sandbox::defaultBaseDir() : baseDir).create(progress, cancel);
}

} // namespace pga::engine
