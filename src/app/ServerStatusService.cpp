#include "ServerStatusService.h"

#include "ConnectionTest.h"
#include "SecretStore.h"
#include "ServerRegistry.h"

#include <QPointer>

namespace pga::app {

ServerStatusService::ServerStatusService(ServerRegistry *registry, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_registry(registry), m_secrets(secrets)
{
    m_pool.setMaxThreadCount(4);
    m_timer.setInterval(60 * 1000);
    connect(&m_timer, &QTimer::timeout, this, &ServerStatusService::refreshAll);
    m_timer.start();
    connect(registry, &ServerRegistry::serverAdded, this, &ServerStatusService::refresh);
    connect(registry, &ServerRegistry::serverChanged, this, &ServerStatusService::refresh);
    connect(registry, &ServerRegistry::serverRemoved, this, [this](qint64 id) {
        if (auto t = m_running.take(id))
            t->cancel();
        m_status.remove(id);
        m_generation.remove(id);
    });
}

ServerStatusService::~ServerStatusService()
{
    for (const auto &t : std::as_const(m_running))
        t->cancel();
    m_pool.waitForDone();
}

void ServerStatusService::setInterval(int ms) { m_timer.setInterval(ms); }

void ServerStatusService::refreshAll()
{
    const auto servers = m_registry->servers();
    for (const ServerEntry &e : servers)
        refresh(e.id);
}

void ServerStatusService::refresh(qint64 serverId)
{
    auto entry = m_registry->server(serverId);
    if (!entry)
        return;
    const quint64 generation = m_nextGeneration++;
    m_generation.insert(serverId, generation);
    if (auto t = m_running.take(serverId))
        t->cancel();
    ServerStatus s = m_status.value(serverId);
    s.state = ServerStatus::State::Checking;
    m_status.insert(serverId, s);
    emit statusChanged(serverId);
    m_secrets->readPassword(entry->secretKey, this, [this, e = *entry, generation](Result<QString> pw) {
        check(e, pw.valueOr(QString()), generation);
    });
}

void ServerStatusService::check(const ServerEntry &entry, const QString &password, quint64 generation)
{
    if (m_generation.value(entry.id) != generation)
        return;
    auto token = std::make_shared<CancelToken>();
    m_running.insert(entry.id, token);
    pg::ConnectOptions options;
    options.conninfo = entry.conninfo;
    options.password = password;
    options.connectTimeoutSec = m_connectTimeoutSec;
    QPointer<ServerStatusService> self(this);
    const qint64 id = entry.id;
    m_pool.start([self, options, token, id, generation] {
        ServerStatus s;
        auto facts = testConnection(options, *token);
        s.checkedAt = QDateTime::currentDateTime();
        if (facts) {
            s.state = ServerStatus::State::Online;
            s.facts = *facts;
        } else {
            s.state = ServerStatus::State::Unreachable;
            s.reason = facts.error().toString();
        }
        if (token->isCancelled())
            return;
        QMetaObject::invokeMethod(self.data(), [self, id, generation, s] {
            if (self)
                self->deliver(id, generation, s);
        }, Qt::QueuedConnection);
    });
}

void ServerStatusService::deliver(qint64 serverId, quint64 generation, const ServerStatus &status)
{
    if (m_generation.value(serverId) != generation)
        return;  // stale: a newer check started meanwhile
    m_running.remove(serverId);
    m_status.insert(serverId, status);
    emit statusChanged(serverId);
}

} // namespace pga::app
