#pragma once

#include "MetricStore.h"
#include "ServerEntry.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace pga::app {

class SecretStore;
class ServerRegistry;

// While the app runs, samples every registered server every few minutes (metrics/intervalMinutes, default 5):
// WAL position, pg_stat_wal, pg_stat_archiver, the .ready count and the repository's size, into MetricStore.
// Connections and the directory walk run on worker threads; only the insert is on the GUI thread.
class MetricSampler : public QObject {
    Q_OBJECT
public:
    MetricSampler(ServerRegistry *registry, SecretStore *secrets, QObject *parent = nullptr);

    static int configuredIntervalMinutes();  // QSettings metrics/intervalMinutes, 1..1440, default 5
    // Keeps the interval for the next start, and uses it now if sampling runs.
    void setIntervalMinutes(int minutes);
    bool isActive() const { return m_timer.isActive(); }
    void start(int intervalMs);
    void start() { start(configuredIntervalMinutes() * 60 * 1000); }
    void stop() { m_timer.stop(); }
    int intervalMs() const { return m_timer.interval(); }
    // Samples every server now (those still being sampled are skipped).
    void sampleAll();
    void sample(const ServerEntry &e);

    // The work itself, on any thread: what one sample of a server reads.
    static MetricSample takeSample(const ServerEntry &e, const QString &password, const QDateTime &nowUtc);
    // The directory's size on disk, walked at most once an hour per directory.
    static std::optional<qint64> directoryBytes(const QString &dir);
    // A rolling catalog snapshot for the blunder finder, at most every 15 minutes per server (on the sample's thread).
    static void recordCatalog(const ServerEntry &e, const QString &password);

signals:
    void sampled(qint64 serverId, const pga::app::MetricSample &sample);

private:
    ServerRegistry *m_registry;
    SecretStore *m_secrets;
    QTimer m_timer;
    QSet<qint64> m_busy;
};

} // namespace pga::app
