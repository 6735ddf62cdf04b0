#pragma once

#include "ServerEntry.h"
#include "core/CancelToken.h"
#include "pg/ServerFacts.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>

namespace pga::app {

class ServerRegistry;
class SecretStore;

struct ServerStatus {
    enum class State { Unknown, Checking, Online, Unreachable };
    State state = State::Unknown;
    QString reason;             // why unreachable, for a person
    pg::ServerFacts facts;      // valid when Online
    QDateTime checkedAt;
};

// Keeps each registered server's reachability fresh for the tree's badges: checks on add/change,
// then every interval. Checks run on their own small pool (they are not user jobs) and never
// block the GUI thread; a result that arrives after a newer check started is dropped.
class ServerStatusService : public QObject {
    Q_OBJECT
public:
    ServerStatusService(ServerRegistry *registry, SecretStore *secrets, QObject *parent = nullptr);
    ~ServerStatusService() override;

    ServerStatus status(qint64 serverId) const { return m_status.value(serverId); }
    void refresh(qint64 serverId);
    void refreshAll();
    void setInterval(int ms);
    void setConnectTimeout(int seconds) { m_connectTimeoutSec = seconds; }

signals:
    void statusChanged(qint64 serverId);

private:
    void check(const ServerEntry &entry, const QString &password, quint64 generation);
    void deliver(qint64 serverId, quint64 generation, const ServerStatus &status);

    ServerRegistry *m_registry;
    SecretStore *m_secrets;
    QHash<qint64, ServerStatus> m_status;
    QHash<qint64, quint64> m_generation;
    QHash<qint64, std::shared_ptr<CancelToken>> m_running;
    QThreadPool m_pool;
    QTimer m_timer;
    int m_connectTimeoutSec = 10;
    quint64 m_nextGeneration = 1;
};

} // namespace pga::app
