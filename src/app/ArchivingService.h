#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"
#include "engine/ArchivingSetup.h"
#include "engine/Sandbox.h"

#include <QObject>

#include <functional>

namespace pga::app {

class SecretStore;

// Setting a server up to archive into its repository, and the local sandbox server: each step a job. "Configure
// Archiving" is a plan the DBA reads (planArchiving), then the same SQL run (applyArchiving).
class ArchivingService : public QObject {
    Q_OBJECT
public:
    ArchivingService(SecretStore *secrets, JobRunner *jobs, QObject *parent = nullptr);

    // Creates the repository if it is missing (for postgres when run as root), reads the server's settings and
    // works out the statements; an empty plan means it archives there already.
    void plan(const ServerEntry &e, QObject *context, std::function<void(const JobInfo &, const engine::ArchivingPlan &)> done);
    void apply(const ServerEntry &e, const engine::ArchivingPlan &plan, QObject *context,
               std::function<void(const JobInfo &, const engine::ArchivingOutcome &)> done);

    // Where the sandbox lives unless the app is told otherwise (under the app's data directory).
    static QString defaultSandboxDir() { return engine::Sandbox::defaultBaseDir(); }
    // The sandbox in baseDir: started when it exists, created otherwise.
    void createOrStartSandbox(const QString &baseDir, QObject *context, std::function<void(const JobInfo &, const engine::SandboxInfo &)> done);
    // Starts a sandbox that exists and is stopped; nothing otherwise.
    void startSandboxIfStopped(const QString &baseDir, QObject *context, std::function<void(const JobInfo &)> done);

private:
    SecretStore *m_secrets;
    JobRunner *m_jobs;
};

} // namespace pga::app
