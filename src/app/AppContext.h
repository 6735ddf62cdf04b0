#pragma once

#include "ArchivingService.h"
#include "AuditService.h"
#include "BlunderService.h"
#include "BackupService.h"
#include "DumpService.h"
#include "RepositoryService.h"
#include "RestoreService.h"
#include "Scheduler.h"
#include "JobRunner.h"
#include "MetricSampler.h"
#include "SecretStore.h"
#include "StandbyService.h"
#include "ServerRegistry.h"
#include "ServerStatusService.h"

#include <QObject>

namespace pga::app {

// Everything the GUI talks to, created once and passed down. Order matters: the status service
// and the job runner stop their workers before the registry they report to goes away.
class AppContext : public QObject {
    Q_OBJECT
public:
    explicit AppContext(QObject *parent = nullptr)
        : QObject(parent), m_registry(this), m_secrets(this), m_jobs(&m_registry, this),
          m_status(&m_registry, &m_secrets, this), m_audits(&m_registry, &m_secrets, &m_jobs, this),
          m_backups(&m_secrets, &m_jobs, this), m_dumps(&m_secrets, &m_jobs, this), m_blunders(&m_secrets, &m_jobs, this), m_standbys(&m_secrets, &m_jobs, this), m_archiving(&m_secrets, &m_jobs, this), m_restores(&m_registry, &m_jobs, this),
          m_scheduler(&m_registry, &m_backups, this), m_metrics(&m_registry, &m_secrets, this),
          m_repositories(&m_registry, &m_secrets, this)
    {
        m_scheduler.setDumpService(&m_dumps);
    }

    // Opens the registry (default location unless given). A damaged one is moved aside: see registry().notice().
    // S3 repositories get their settings and keys (from the keychain) registered before any job uses them.
    Status open(const QString &registryPath = ServerRegistry::defaultPath())
    {
        Status s = m_registry.open(registryPath);
        if (s)
            m_repositories.configureAll();
        return s;
    }

    ServerRegistry &registry() { return m_registry; }
    SecretStore &secrets() { return m_secrets; }
    JobRunner &jobs() { return m_jobs; }
    ServerStatusService &status() { return m_status; }
    AuditService &audits() { return m_audits; }
    BackupService &backups() { return m_backups; }
    DumpService &dumps() { return m_dumps; }
    BlunderService &blunders() { return m_blunders; }
    StandbyService &standbys() { return m_standbys; }
    ArchivingService &archiving() { return m_archiving; }
    RestoreService &restores() { return m_restores; }
    Scheduler &scheduler() { return m_scheduler; }
    MetricSampler &metrics() { return m_metrics; }
    RepositoryService &repositories() { return m_repositories; }

private:
    ServerRegistry m_registry;
    SecretStore m_secrets;
    JobRunner m_jobs;
    ServerStatusService m_status;
    // Destroyed before the runner (members go in reverse), which then drops the callbacks of their jobs.
    AuditService m_audits;
    BackupService m_backups;
    DumpService m_dumps;
    BlunderService m_blunders;
    StandbyService m_standbys;
    ArchivingService m_archiving;
    RestoreService m_restores;
    Scheduler m_scheduler;
    MetricSampler m_metrics;
    RepositoryService m_repositories;
};

} // namespace pga::app
