#include "MetricSampler.h"

#include "BackupService.h"
#include "SecretStore.h"
#include "ServerRegistry.h"
#include "core/Lsn.h"
#include "engine/CatalogCapture.h"
#include "pg/Connection.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QtConcurrent>

Q_LOGGING_CATEGORY(lcMetrics, "pgarchivist.app.metrics")

namespace pga::app {

MetricSampler::MetricSampler(ServerRegistry *registry, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_registry(registry), m_secrets(secrets)
{
    connect(&m_timer, &QTimer::timeout, this, &MetricSampler::sampleAll);
}

int MetricSampler::configuredIntervalMinutes()
{
    return std::clamp(QSettings().value(QStringLiteral("metrics/intervalMinutes"), 5).toInt(), 1, 1440);
}

void MetricSampler::setIntervalMinutes(int minutes)
{
    minutes = std::clamp(minutes, 1, 1440);
    QSettings().setValue(QStringLiteral("metrics/intervalMinutes"), minutes);
    if (m_timer.isActive())
        m_timer.start(minutes * 60 * 1000);
}

void MetricSampler::start(int intervalMs)
{
    m_timer.start(intervalMs);
    QTimer::singleShot(0, this, &MetricSampler::sampleAll);
}

void MetricSampler::sampleAll()
{
    for (const ServerEntry &e : m_registry->servers())
        sample(e);
    if (auto c = MetricStore(*m_registry).compact(QDateTime::currentDateTimeUtc()); !c)
        qCWarning(lcMetrics) << c.error().toString();
}

void MetricSampler::sample(const ServerEntry &e)
{
    if (m_busy.contains(e.id))
        return;
    m_busy.insert(e.id);
    m_secrets->readPassword(e.secretKey, this, [this, e](Result<QString> pw) {
        auto *watcher = new QFutureWatcher<MetricSample>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id = e.id] {
            watcher->deleteLater();
            m_busy.remove(id);
            const MetricSample s = watcher->result();
            if (!m_registry->server(id))
                return;  // removed meanwhile
            if (Status st = MetricStore(*m_registry).add(s); !st)
                qCWarning(lcMetrics) << st.error().toString();
            emit sampled(id, s);
        });
        watcher->setFuture(QtConcurrent::run(&MetricSampler::takeSample, e, pw.valueOr(QString()), QDateTime::currentDateTimeUtc()));
    });
}

std::optional<qint64> MetricSampler::directoryBytes(const QString &dir)
{
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        return std::nullopt;
    // A large repository holds millions of chunk files, and several servers may share one: walk each at most once an
    // hour (the size changes slowly next to the 5-minute samples), whoever asks.
    static QMutex mutex;
    static QHash<QString, QPair<qint64, qint64>> cache;  // dir -> (walked at, ms since epoch; bytes)
    const QString key = QFileInfo(dir).absoluteFilePath();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    {
        QMutexLocker lock(&mutex);
        if (auto it = cache.constFind(key); it != cache.constEnd() && nowMs - it->first < 3600 * 1000)
            return it->second;
    }
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    QMutexLocker lock(&mutex);
    cache.insert(key, {nowMs, total});
    return total;
}

void MetricSampler::recordCatalog(const ServerEntry &e, const QString &password)
{
    // The names the blunder finder needs for tables created since the last backup: at most every 15 minutes per
    // server, and a new file in the repository only when the catalog changed.
    if (e.repoDir.isEmpty())
        return;
    static QMutex mutex;
    static QHash<qint64, qint64> taken;  // server id -> ms since epoch
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    {
        QMutexLocker lock(&mutex);
        if (auto it = taken.constFind(e.id); it != taken.constEnd() && nowMs - *it < 15 * 60 * 1000)
            return;
        taken.insert(e.id, nowMs);
    }
    NullProgressSink quiet;
    if (auto r = engine::recordCatalogSnapshot(e.repoDir, BackupService::repoServerName(e), e.conninfo, password, quiet, CancelToken());
        !r && r.error().code != Error::Code::NotFound)
        qCWarning(lcMetrics) << "catalog snapshot of" << e.name << ":" << r.error().toString();
}

MetricSample MetricSampler::takeSample(const ServerEntry &e, const QString &password, const QDateTime &nowUtc)
{
    MetricSample s;
    s.serverId = e.id;
    s.takenAt = nowUtc;
    s.repoBytes = directoryBytes(e.repoDir);
    auto conn = pg::Connection::connect({e.conninfo, password, false, 10, QStringLiteral("pgarchivist metrics")});
    if (!conn)
        return s;  // unreachable: the repository's size is still worth keeping
    recordCatalog(e, password);
    auto r = (*conn)->exec(QStringLiteral(
        "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn, "
        "w.wal_records, w.wal_fpi, w.wal_bytes, a.archived_count, a.failed_count "
        "FROM pg_stat_wal w, pg_stat_archiver a"), {}, nullptr, 10000);
    if (r && r->rowCount() == 1) {
        const auto num = [&](int col) -> std::optional<qint64> {
            return r->isNull(0, col) ? std::nullopt : std::optional<qint64>(r->value(0, col).toLongLong());
        };
        s.walLsn = num(0);
        s.walRecords = num(1);
        s.walFpi = num(2);
        s.walBytes = num(3);
        s.archivedCount = num(4);
        s.failedCount = num(5);
    }
    // Needs superuser or pg_monitor; without it the count is left out.
    auto ready = (*conn)->exec(QStringLiteral(
        "SELECT count(*), COALESCE(extract(epoch FROM now() - min(modification)), 0) FROM pg_ls_archive_statusdir() "
        "WHERE name LIKE '%.ready'"), {}, nullptr, 10000);
    if (ready && ready->rowCount() == 1) {
        s.readyCount = ready->value(0, 0).toLongLong();
        s.archiveLagSeconds = ready->value(0, 1).toDouble();
    }
    return s;
}

} // namespace pga::app
