#include "ServerRegistry.h"
#include "repo/s3/S3Config.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "JobHistorySql.h"
#include "JobRecord.h"
#include "pg/Connection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

Q_LOGGING_CATEGORY(lcRegistry, "pgarchivist.app.registry")

namespace pga::app {

namespace {

// Each step takes the schema from version i to i + 1. Never edit a step once released; add one.
const char *const kMigrations[] = {
    // 0 -> 1: servers
    "CREATE TABLE servers ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE,"
    " grp TEXT NOT NULL DEFAULT '',"
    " conninfo TEXT NOT NULL,"
    " repo_dir TEXT NOT NULL DEFAULT '',"
    " repo_server TEXT NOT NULL DEFAULT '',"
    " sandbox INTEGER NOT NULL DEFAULT 0,"
    " secret_key TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
    // 1 -> 2: job history
    "CREATE TABLE job_history ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " server_id INTEGER NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL,"
    " started_at TEXT NOT NULL,"
    " finished_at TEXT NOT NULL,"
    " message TEXT NOT NULL DEFAULT '',"
    " log TEXT NOT NULL DEFAULT '')",
    // 2 -> 3: configuration audits (core/AuditJson record), kept for "what changed since the last audit"
    "CREATE TABLE audits ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,"
    " taken_at TEXT NOT NULL,"
    " json TEXT NOT NULL);"
    "CREATE INDEX audits_server ON audits (server_id, id)",
    // 3 -> 4: scheduled tasks (app/ScheduleStore), which run each job came from, and sampled metrics (app/MetricStore)
    "CREATE TABLE schedules ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL,"
    " calendar TEXT NOT NULL,"
    " options TEXT NOT NULL DEFAULT '{}',"
    " enabled INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL,"
    " last_run_at TEXT NOT NULL DEFAULT '',"
    " due_after TEXT NOT NULL DEFAULT '');"
    "ALTER TABLE job_history ADD COLUMN schedule_id INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE metric_samples ("
    " server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,"
    " taken_at TEXT NOT NULL,"
    " span_seconds INTEGER NOT NULL DEFAULT 0,"
    " wal_lsn INTEGER, wal_records INTEGER, wal_fpi INTEGER, wal_bytes INTEGER,"
    " archived_count INTEGER, failed_count INTEGER, ready_count INTEGER,"
    " archive_lag_seconds REAL, repo_bytes INTEGER);"
    "CREATE INDEX metric_samples_server ON metric_samples (server_id, taken_at)",
    // 4 -> 5: how an s3:// repository is reached (app/ServerEntry.h S3Settings as JSON; the keys are in the keychain)
    "ALTER TABLE servers ADD COLUMN repo_options TEXT NOT NULL DEFAULT '{}'",
};
static_assert(std::size(kMigrations) == ServerRegistry::kSchemaVersion);

// QtSql binds a null QString as SQL NULL; our columns are NOT NULL text.
QVariant text(const QString &s) { return QVariant(s.isNull() ? QStringLiteral("") : s); }

QString isoUtc(const QDateTime &t) { return t.toUTC().toString(Qt::ISODateWithMs); }
QDateTime fromIso(const QString &s) { return QDateTime::fromString(s, Qt::ISODateWithMs); }

Error sqlError(const QString &what, const QSqlError &e, const QString &path)
{
    return Error(Error::Code::Io, QStringLiteral("Could not %1 in the server registry %2.").arg(what, path),
                 e.text());
}

ServerEntry entryFrom(const QSqlQuery &q)
{
    ServerEntry e;
    e.id = q.value(0).toLongLong();
    e.name = q.value(1).toString();
    e.group = q.value(2).toString();
    e.conninfo = q.value(3).toString();
    e.repoDir = q.value(4).toString();
    e.repoServer = q.value(5).toString();
    e.sandbox = q.value(6).toBool();
    e.secretKey = q.value(7).toString();
    e.createdAt = fromIso(q.value(8).toString());
    const QJsonObject o = QJsonDocument::fromJson(q.value(9).toString().toUtf8()).object();
    e.s3.endpoint = o.value(QStringLiteral("s3_endpoint")).toString();
    e.s3.region = o.value(QStringLiteral("s3_region")).toString();
    e.s3.pathStyle = o.value(QStringLiteral("s3_path_style")).toBool(true);
    e.s3.verifyTls = o.value(QStringLiteral("s3_verify_tls")).toBool(true);
    e.s3.caFile = o.value(QStringLiteral("s3_ca_file")).toString();
    e.encryption.encrypted = o.value(QStringLiteral("encrypted")).toBool();
    e.encryption.passphraseFile = o.value(QStringLiteral("passphrase_file")).toString();
    return e;
}

QString repoOptionsJson(const ServerEntry &e)
{
    QJsonObject o;
    if (e.repoOnObjectStorage())
        o = QJsonObject{{QStringLiteral("s3_endpoint"), e.s3.endpoint}, {QStringLiteral("s3_region"), e.s3.region},
                        {QStringLiteral("s3_path_style"), e.s3.pathStyle}, {QStringLiteral("s3_verify_tls"), e.s3.verifyTls},
                        {QStringLiteral("s3_ca_file"), e.s3.caFile}};
    if (e.encryption.encrypted) {
        o.insert(QStringLiteral("encrypted"), true);
        o.insert(QStringLiteral("passphrase_file"), e.encryption.passphraseFile);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

const char kSelectServers[] =
    "SELECT id, name, grp, conninfo, repo_dir, repo_server, sandbox, secret_key, created_at, repo_options FROM servers";

} // namespace

ServerRegistry::ServerRegistry(QObject *parent)
    : QObject(parent), m_connectionName(QStringLiteral("pga-registry-%1").arg(quintptr(this), 0, 16))
{
}

ServerRegistry::~ServerRegistry()
{
    {
        QSqlDatabase d = QSqlDatabase::database(m_connectionName, false);
        if (d.isValid())
            d.close();
    }
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
}

QString ServerRegistry::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/pgarchivist/registry.sqlite");
}

QSqlDatabase ServerRegistry::db() const { return QSqlDatabase::database(m_connectionName, false); }

bool ServerRegistry::isOpen() const { return db().isValid() && db().isOpen(); }

Status ServerRegistry::open(const QString &path)
{
    m_notice.clear();
    const QFileInfo fi(path);
    if (!QDir().mkpath(fi.absolutePath()))
        return Error(Error::Code::Io, QStringLiteral("Could not create the folder %1 for the server registry.")
                                          .arg(fi.absolutePath()));
    // The inventory, audit history and job logs are for this user only (SQLite gives its -wal and -shm files the
    // database file's mode). Older versions left 0755/0644: tightened on every open.
    // Only a folder that is the registry's own: a shared one ($PGARCHIVIST_REGISTRY=/tmp/x.sqlite, the home folder)
    // keeps its mode, or every other user of /tmp would be locked out; the database file is still 0600.
    const QByteArray dirC = QFile::encodeName(fi.absolutePath()), fileC = QFile::encodeName(fi.absoluteFilePath());
    struct stat dirSt {};
    const bool shared = ::stat(dirC.constData(), &dirSt) != 0 || (dirSt.st_mode & S_ISVTX) || dirSt.st_uid != ::geteuid()
        || QDir(fi.absolutePath()) == QDir(QDir::homePath()) || QDir(fi.absolutePath()).isRoot();
    if (!shared && ::chmod(dirC.constData(), 0700) != 0)
        return Error(Error::Code::Io, QStringLiteral("Could not make the folder %1 private (mode 0700): %2.")
                                          .arg(fi.absolutePath(), QString::fromLocal8Bit(std::strerror(errno))));
    if (const int fd = ::open(fileC.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) {
        (void)::fchmod(fd, 0600);
        ::close(fd);
    }
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        (void)::chmod(QByteArray(fileC + suffix).constData(), 0600);
    Status s = openAt(path);
    if (s || s.error().code != Error::Code::Corrupt)
        return s;
    // Unreadable: keep it for the user (it may hold the only list of their servers), start afresh.
    const QString aside = path + QStringLiteral(".corrupt-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!QFile::rename(path, aside))
        return Error(Error::Code::Io,
                     QStringLiteral("The server registry %1 is damaged and could not be moved aside; "
                                    "move it away by hand and start again.").arg(path),
                     s.error().detail);
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        QFile::rename(path + QLatin1String(suffix), aside + QLatin1String(suffix));
    qCWarning(lcRegistry) << "registry" << path << "was damaged, moved to" << aside;
    Status fresh = openAt(path);
    if (!fresh)
        return fresh;
    m_notice = tr("The server registry was damaged and could not be read (%1). It was kept as %2; "
                  "a new, empty registry was started.")
                   .arg(s.error().detail, aside);
    return {};
}

Status ServerRegistry::openAt(const QString &path)
{
    if (QSqlDatabase::contains(m_connectionName)) {
        db().close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    m_path = path;
    {
        QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        d.setDatabaseName(path);
        // The app and `pgarchivist-cli schedule run-due` (a timer) write it at the same time: wait, do not fail.
        d.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
        if (!d.open())
            return sqlError(QStringLiteral("open the database"), d.lastError(), path);
        QSqlQuery q(d);
        // A file that is not SQLite fails here or at the integrity check, not at open().
        if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next()
            || q.value(0).toString() != QLatin1String("ok")) {
            const QString why = q.lastError().isValid() ? q.lastError().text() : q.value(0).toString();
            d.close();
            return Error(Error::Code::Corrupt, tr("The server registry %1 is damaged.").arg(path), why);
        }
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    }
    Status m = migrate();
    if (!m) {
        db().close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    return m;
}

Status ServerRegistry::migrate()
{
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return Error(Error::Code::Corrupt, tr("The server registry %1 is damaged.").arg(m_path), q.lastError().text());
    const int version = q.value(0).toInt();
    if (version > kSchemaVersion)
        return Error(Error::Code::Unsupported,
                     tr("The server registry %1 was written by a newer pgArchivist (schema %2, this one knows %3). "
                        "Update pgArchivist; the file was left as it is.")
                         .arg(m_path).arg(version).arg(kSchemaVersion));
    q.finish();
    if (version == kSchemaVersion)
        return {};
    // The app and `schedule run-due` may open an old registry at the same moment: each step takes SQLite's write
    // lock first (BEGIN IMMEDIATE) and reads the version again under it, so the second one finds the work done.
    for (;;) {
        QSqlQuery step(d);
        if (!step.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return sqlError(tr("start a migration"), step.lastError(), m_path);
        if (!step.exec(QStringLiteral("PRAGMA user_version")) || !step.next()) {
            const QSqlError e = step.lastError();
            step.exec(QStringLiteral("ROLLBACK"));
            return sqlError(tr("read the schema version"), e, m_path);
        }
        const int v = step.value(0).toInt();
        if (v >= kSchemaVersion) {
            step.exec(QStringLiteral("COMMIT"));
            break;
        }
        // QtSql runs one statement per exec(); a step may hold several, separated by ';'.
        bool ok = true;
        const QStringList statements = QString::fromLatin1(kMigrations[v]).split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &sql : statements)
            ok = ok && step.exec(sql);
        if (!ok || !step.exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1))) {
            const QSqlError e = step.lastError();
            step.exec(QStringLiteral("ROLLBACK"));
            return sqlError(tr("upgrade the schema to version %1").arg(v + 1), e, m_path);
        }
        if (!step.exec(QStringLiteral("COMMIT"))) {
            const QSqlError e = step.lastError();
            step.exec(QStringLiteral("ROLLBACK"));
            return sqlError(tr("upgrade the schema to version %1").arg(v + 1), e, m_path);
        }
        qCInfo(lcRegistry) << "registry schema upgraded to" << v + 1;
    }
    return {};
}

QList<ServerEntry> ServerRegistry::servers() const
{
    QList<ServerEntry> out;
    if (!isOpen())
        return out;
    QSqlQuery q(db());
    if (!q.exec(QString::fromLatin1(kSelectServers) + QStringLiteral(" ORDER BY grp, name COLLATE NOCASE")))
        return out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Result<ServerEntry> ServerRegistry::server(qint64 id) const
{
    QSqlQuery q(db());
    q.prepare(QString::fromLatin1(kSelectServers) + QStringLiteral(" WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("read server %1").arg(id), q.lastError(), m_path);
    if (!q.next())
        return Error(Error::Code::NotFound, tr("There is no registered server with id %1.").arg(id));
    return entryFrom(q);
}

Result<ServerEntry> ServerRegistry::serverByName(const QString &name) const
{
    QSqlQuery q(db());
    q.prepare(QString::fromLatin1(kSelectServers) + QStringLiteral(" WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(tr("read server %1").arg(name), q.lastError(), m_path);
    if (!q.next())
        return Error(Error::Code::NotFound,
                     tr("There is no registered server named '%1'. Add it in pgArchivist or pass --conninfo.").arg(name));
    return entryFrom(q);
}

Status ServerRegistry::validate(const ServerEntry &entry) const
{
    const QString name = entry.name.trimmed();
    if (name.isEmpty())
        return Error(Error::Code::InvalidArgument, tr("Give the server a name."));
    if (name.size() > 200)
        return Error(Error::Code::InvalidArgument, tr("The server name is too long (at most 200 characters)."));
    if (entry.conninfo.trimmed().isEmpty())
        return Error(Error::Code::InvalidArgument,
                     tr("Enter how to connect: a conninfo such as \"host=db1 user=postgres\", a URI, or \"service=NAME\"."));
    if (Status s = pg::validateConninfo(entry.conninfo); !s)
        return s;
    if (!pg::conninfoValue(entry.conninfo, QStringLiteral("password")).isEmpty())
        return Error(Error::Code::InvalidArgument,
                     tr("Remove the password from the connection string; enter it in the Password field, "
                        "which keeps it in the system keychain."));
    if (entry.repoOnObjectStorage()) {
        if (auto loc = repo::s3::parseUrl(entry.repoDir.trimmed()); !loc)
            return loc.error();
        const QString ep = entry.s3.endpoint.trimmed();
        if (!ep.isEmpty() && !ep.startsWith(QLatin1String("https://")) && !ep.startsWith(QLatin1String("http://")))
            return Error(Error::Code::InvalidArgument, tr("Give the S3 endpoint as https://HOST[:PORT] (or http:// for a store on this network)."));
    }
    auto other = serverByName(name);
    if (other && other->id != entry.id)
        return Error(Error::Code::Conflict, tr("A server named '%1' is already registered.").arg(name));
    return {};
}

Result<ServerEntry> ServerRegistry::save(ServerEntry e)
{
    if (!isOpen())
        return Error(Error::Code::Internal, tr("The server registry is not open."));
    e.name = e.name.trimmed();
    e.group = e.group.trimmed();
    e.conninfo = e.conninfo.trimmed();
    if (Status s = validate(e); !s)
        return s.error();
    if (e.secretKey.isEmpty())
        e.secretKey = QStringLiteral("server/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!e.createdAt.isValid())
        e.createdAt = QDateTime::currentDateTimeUtc();
    QSqlQuery q(db());
    const bool insert = e.id == 0;
    if (insert)
        q.prepare(QStringLiteral("INSERT INTO servers (name, grp, conninfo, repo_dir, repo_server, sandbox, "
                                 "secret_key, created_at, repo_options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    else
        q.prepare(QStringLiteral("UPDATE servers SET name = ?, grp = ?, conninfo = ?, repo_dir = ?, repo_server = ?, "
                                 "sandbox = ?, secret_key = ?, created_at = ?, repo_options = ? WHERE id = ?"));
    for (const QVariant &v : {text(e.name), text(e.group), text(e.conninfo), text(e.repoDir),
                              text(e.repoServer), QVariant(e.sandbox ? 1 : 0), text(e.secretKey),
                              QVariant(isoUtc(e.createdAt)), QVariant(repoOptionsJson(e))})
        q.addBindValue(v);
    if (!insert)
        q.addBindValue(e.id);
    if (!q.exec())
        return sqlError(tr("save server '%1'").arg(e.name), q.lastError(), m_path);
    if (insert) {
        e.id = q.lastInsertId().toLongLong();
        emit serverAdded(e.id);
    } else {
        if (q.numRowsAffected() == 0)
            return Error(Error::Code::NotFound, tr("Server '%1' was removed meanwhile.").arg(e.name));
        emit serverChanged(e.id);
    }
    return e;
}

Status ServerRegistry::remove(qint64 id)
{
    QSqlQuery q(db());
    q.prepare(QStringLiteral("DELETE FROM servers WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("remove server %1").arg(id), q.lastError(), m_path);
    if (q.numRowsAffected() > 0)
        emit serverRemoved(id);
    return {};
}

Status ServerRegistry::addJobRecord(const JobRecord &r)
{
    if (!isOpen())
        return Error(Error::Code::Internal, tr("The server registry is not open."));
    QSqlQuery q(db());
    q.prepare(QStringLiteral("INSERT INTO job_history (kind, title, server_id, state, started_at, finished_at, "
                             "message, log, schedule_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {text(r.kind), text(r.title), QVariant(r.serverId), text(r.state),
                              QVariant(isoUtc(r.startedAt)), QVariant(isoUtc(r.finishedAt)), text(r.message),
                              text(r.log), QVariant(r.scheduleId)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(tr("record job '%1'").arg(r.title), q.lastError(), m_path);
    return {};
}

QList<JobRecord> ServerRegistry::jobHistory(int limit) const
{
    QList<JobRecord> out;
    if (!isOpen())
        return out;
    QSqlQuery q(db());
    q.prepare(jobHistorySelect(true) + QStringLiteral(" ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(jobRecordFrom(q, true));
    return out;
}

qint64 ServerRegistry::newestJobId() const
{
    QSqlQuery q(db());
    return q.exec(QStringLiteral("SELECT COALESCE(max(id), 0) FROM job_history")) && q.next() ? q.value(0).toLongLong() : 0;
}

Result<JobRecord> ServerRegistry::jobRecord(qint64 id) const
{
    QSqlQuery q(db());
    q.prepare(jobHistorySelect(true) + QStringLiteral(" WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("read job %1").arg(id), q.lastError(), m_path);
    if (!q.next())
        return Error(Error::Code::NotFound, tr("There is no job %1 in the history.").arg(id));
    return jobRecordFrom(q, true);
}

Result<qint64> ServerRegistry::addAudit(qint64 serverId, const QDateTime &takenAt, const QByteArray &json)
{
    if (!isOpen())
        return Error(Error::Code::Internal, tr("The server registry is not open."));
    QSqlQuery q(db());
    q.prepare(QStringLiteral("INSERT INTO audits (server_id, taken_at, json) VALUES (?, ?, ?)"));
    q.addBindValue(serverId);
    q.addBindValue(isoUtc(takenAt));
    q.addBindValue(QString::fromUtf8(json));
    if (!q.exec())
        return sqlError(tr("record an audit of server %1").arg(serverId), q.lastError(), m_path);
    return q.lastInsertId().toLongLong();
}

QList<StoredAuditRow> ServerRegistry::audits(qint64 serverId, int limit) const
{
    QList<StoredAuditRow> out;
    if (!isOpen())
        return out;
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT id, server_id, taken_at, json FROM audits WHERE server_id = ? "
                             "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(serverId);
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), fromIso(q.value(2).toString()),
                    q.value(3).toString().toUtf8()});
    return out;
}

} // namespace pga::app
