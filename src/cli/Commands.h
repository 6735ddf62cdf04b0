#pragma once

#include <QStringList>

// Each subcommand lives in its own file; main.cpp lists them.
namespace pga::cli {
int runVersion(const QStringList &args);
int runCheck(const QStringList &args);
int runConnect(const QStringList &args);
int runSandbox(const QStringList &args);
int runRepoInit(const QStringList &args);
int runRepoRekey(const QStringList &args);
int runArchivePush(const QStringList &args);
int runArchiveGet(const QStringList &args);
int runInfo(const QStringList &args);
int runRestorePoints(const QStringList &args);
int runBackup(const QStringList &args);
int runRestore(const QStringList &args);
int runEstimate(const QStringList &args);
int runVerify(const QStringList &args);
int runExpire(const QStringList &args);
int runDrill(const QStringList &args);
int runSchedule(const QStringList &args);
int runForecast(const QStringList &args);
int runDump(const QStringList &args);
int runRestoreDump(const QStringList &args);
int runColdBackup(const QStringList &args);
int runBlunders(const QStringList &args);
int runUndo(const QStringList &args);
int runCatalogSnapshot(const QStringList &args);
int runWalReceive(const QStringList &args);
int runStandby(const QStringList &args);
int runPromote(const QStringList &args);
int runRewind(const QStringList &args);
} // namespace pga::cli
