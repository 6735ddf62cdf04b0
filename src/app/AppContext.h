#pragma once

#include "AuditService.h"
#include "JobRunner.h"
#include "SecretStore.h"
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
          m_status(&m_registry, &m_secrets, this), m_audits(&m_registry, &m_secrets, &m_jobs, this)
    {
    }

    // Opens the registry (default location unless given). A damaged one is moved aside: see registry().notice().
    Status open(const QString &registryPath = ServerRegistry::defaultPath()) { return m_registry.open(registryPath); }

    ServerRegistry &registry() { return m_registry; }
    SecretStore &secrets() { return m_secrets; }
    JobRunner &jobs() { return m_jobs; }
    ServerStatusService &status() { return m_status; }
    AuditService &audits() { return m_audits; }

private:
    ServerRegistry m_registry;
    SecretStore m_secrets;
    JobRunner m_jobs;
    ServerStatusService m_status;
    AuditService m_audits; // goes first; the runner then drops the callbacks of its jobs
};

} // namespace pga::app
