#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace pga::engine {

struct ExpireOptions {
    QString repoDir;
    QString server;
    int retainFull = -1;     // keep the newest N backups (-1: no count rule)
    int retainDays = -1;     // keep backups needed to recover to any moment of the last D days (-1: no age rule)
    int retainDumps = -1;    // keep the newest N dumps (-1: no count rule; with neither dump rule, dumps are left alone)
    int retainDumpDays = -1; // keep dumps of the last D days (and the newest one older)
    bool dryRun = false;
};

struct ExpireResult {
    QStringList backups;          // expired backup IDs (or that would be)
    QStringList keptBackups;
    QStringList dumps;            // expired dump IDs
    QStringList keptDumps;
    QStringList walFiles;         // WAL files removed
    qint64 walBytes = 0;
    int chunks = 0;               // chunks no backup (of any server) references any more
    qint64 chunkBytes = 0;
    int leftovers = 0;            // temporaries and unfinished backups cleaned up
    int cacheFiles = 0;           // WAL scan cache entries of removed WAL and rolling catalog snapshots no kept WAL needs
};

// Retention: removes backups beyond --retain-full / --retain-days, then the WAL older than the oldest kept
// backup's start, then every chunk no remaining backup of any server uses. Holds the server's lock and
// the repository's chunk lock exclusively, so it never races a backup.
class Expire {
public:
    explicit Expire(ExpireOptions o) : m_o(std::move(o)) {}
    Result<ExpireResult> run(ProgressSink &progress, const CancelToken &cancel);

private:
    ExpireOptions m_o;
};

} // namespace pga::engine
