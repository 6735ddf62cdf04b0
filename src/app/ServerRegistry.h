#pragma once

#include "ServerEntry.h"
#include "core/Result.h"

#include <QDateTime>
#include <QObject>
#include <QSqlDatabase>

namespace pga::app {

struct JobRecord;

// One stored configuration audit: core/AuditJson's record, as JSON.
struct StoredAuditRow {
    qint64 id = 0;
    qint64 serverId = 0;
    QDateTime takenAt; // when pgArchivist ran it (our clock), UTC
    QByteArray json;
};

// The servers the DBA registered, persisted in SQLite under the XDG data dir. The schema is
// versioned with PRAGMA user_version and migrated forward on open. A database that cannot be read
// is moved aside (never deleted) and a fresh one is started; notice() then says where the old one went.
// Lives on the GUI thread: the database is small and local, and QtSql connections are per thread.
class ServerRegistry : public QObject {
    Q_OBJECT
public:
    static constexpr int kSchemaVersion = 5;

    explicit ServerRegistry(QObject *parent = nullptr);
    ~ServerRegistry() override;

    static QString defaultPath();  // $XDG_DATA_HOME/pgarchivist/registry.sqlite

    Status open(const QString &path = defaultPath());
    bool isOpen() const;
    QString path() const { return m_path; }
    // Set when open() had to move a damaged database aside; empty otherwise.
    QString notice() const { return m_notice; }

    QList<ServerEntry> servers() const;
    Result<ServerEntry> server(qint64 id) const;
    Result<ServerEntry> serverByName(const QString &name) const;
    // Inserts (id == 0) or updates. Checks the name and the conninfo; assigns id and secretKey.
    Result<ServerEntry> save(ServerEntry entry);
    Status remove(qint64 id);

    // Job history (finished jobs only), newest first.
    Status addJobRecord(const JobRecord &record);
    QList<JobRecord> jobHistory(int limit = 200) const;
    Result<JobRecord> jobRecord(qint64 id) const;
    qint64 newestJobId() const;  // 0 when the history is empty

    // Configuration audits, newest first; removing a server removes its audits.
    Result<qint64> addAudit(qint64 serverId, const QDateTime &takenAt, const QByteArray &json);
    QList<StoredAuditRow> audits(qint64 serverId, int limit = 50) const;

    // For the stores that keep their rows here (ScheduleStore, MetricStore): this thread's connection.
    QSqlDatabase database() const { return db(); }

    // Checks a server before saving: a name, a conninfo libpq accepts, no duplicate name.
    Status validate(const ServerEntry &entry) const;

signals:
    void serverAdded(qint64 id);
    void serverChanged(qint64 id);
    void serverRemoved(qint64 id);

private:
    Status openAt(const QString &path);
    Status migrate();
    QSqlDatabase db() const;

    QString m_connectionName;
    QString m_path;
    QString m_notice;
};

} // namespace pga::app
