#pragma once

#include "pg/Connection.h"
#include "pg/LocalCluster.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace pga::test {

// A throwaway PostgreSQL cluster for one test: its own temp dir, socket dir and free loopback port,
// removed on destruction. Works as root (server as the postgres user) and as a normal user.
//
//   QString why;
//   auto c = TestCluster::create({}, &why);
//   if (!c) QSKIP(qPrintable(why));   // shows as SKIP, never as a pass
class TestCluster {
public:
    struct Options {
        QStringList conf;            // extra postgresql.conf lines
        bool archiveToDir = false;   // archive_mode=on with a test -f && cp into archiveDir()
        // Non-empty: a fresh repository at repoDir() and archive_command = our archive-push into it under this
        // server name (wal_level replica, max_wal_senders 4): what every backup test starts from.
        QString archiveToRepo;
        QString repoGroup;           // with archiveToRepo: repo-init --group this (shared reading)
        QStringList repoInitArgs;    // with archiveToRepo: more repo-init words (--encrypt --passphrase-file F)
        QStringList archivePushArgs; // with archiveToRepo: more archive-push words (--passphrase-file F)
        bool fsync = false;          // throwaway clusters need no durability unless the test says so
        QStringList initdbArgs;      // e.g. --data-checksums
        bool start = true;
        int timeoutMs = 60000;       // hard limit for each initdb/pg_ctl step
    };

    // nullptr when no PostgreSQL is installed or the cluster cannot be made; *why says which.
    static std::unique_ptr<TestCluster> create(const Options &options, QString *why);
    ~TestCluster();

    pg::LocalCluster &cluster() { return *m_cluster; }
    QString baseDir() const { return m_baseDir; }
    QString dataDir() const { return m_cluster->spec().dataDir; }
    QString archiveDir() const { return m_baseDir + QStringLiteral("/archive"); }
    QString repoDir() const { return m_baseDir + QStringLiteral("/repo"); }
    int port() const { return m_cluster->spec().port; }
    // Superuser over the unix socket (trust).
    QString conninfo(const QString &dbname = QStringLiteral("postgres")) const { return m_cluster->conninfo(dbname); }
    // Over TCP, where pg_hba asks for a password (scram-sha-256).
    QString tcpConninfo(const QString &user, const QString &dbname = QStringLiteral("postgres")) const
    {
        return m_cluster->tcpConninfo(user, dbname);
    }

    Status start() { return m_cluster->start(m_options.timeoutMs); }
    Status stop(const QString &mode = QStringLiteral("fast")) { return m_cluster->stop(mode, m_options.timeoutMs); }
    Status restart() { return m_cluster->restart(m_options.timeoutMs); }
    Status appendConf(const QStringList &lines) { return m_cluster->appendConf(lines); }

    // Runs SQL as the superuser; fails the caller's QVERIFY with the server's message when it errs.
    Result<pg::QueryResult> query(const QString &sql, const QStringList &params = {});
    // First column of the first row, or an empty string on error.
    QString scalar(const QString &sql);
    // The first value of a query on any server (a restored copy, another database); "ERROR: …" when it fails, so a
    // comparison shows why.
    static QString scalarAt(const QString &conninfo, const QString &sql);
    // Creates a login role with a password (for TCP tests).
    Status createRole(const QString &name, const QString &password, const QString &attributes = QStringLiteral("LOGIN"));
    // pg_switch_wal() and the name of the segment that was switched away from.
    QString switchWal();
    // Waits until pg_stat_archiver shows walName (or later) archived; false on timeout.
    bool waitForArchived(const QString &walName, int timeoutMs = 30000);
    // Waits until nothing waits to be archived (no .ready file): what a test that compares the archive before and
    // after an operation needs, since a backup history file or a segment may still be on its way.
    bool waitForArchiverIdle(int timeoutMs = 30000);
    // A directory the server's OS user can write (for archives, backups, restores).
    QString makeServerWritableDir(const QString &name);

private:
    TestCluster() = default;
    Options m_options;
    QString m_baseDir;
    std::unique_ptr<pg::LocalCluster> m_cluster;
    std::unique_ptr<pg::Connection> m_conn;
};

// Starts a restored data directory on its own port (sockets in socketDir, archive_mode off), waits until it
// accepts writes (promoted) or, without expectPromote, until it answers, runs sql and stops it. Returns the first
// value, "ERROR: ..." for a failed query, or what went wrong with the server's log.
QString queryRestored(const QString &dataDir, const QString &socketDir, const QString &sql, bool expectPromote = true);

// Makes `path` and its contents owned by the postgres user when we are root (no-op otherwise).
void giveToServerUser(const QString &path);

} // namespace pga::test
