#include "Rewind.h"
#include "ArchivingSetup.h"

#include "Restore.h"
#include "Sandbox.h"
#include "Standby.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

namespace {

void removePrefetchSpool(const QString &spool)
{
    if (!QFileInfo::exists(spool))
        return;
    const int fd = ::open(QFile::encodeName(spool + QStringLiteral("/.lock")).constData(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        for (int i = 0; i < 300 && ::flock(fd, LOCK_EX | LOCK_NB) != 0; ++i)
            ::usleep(100 * 1000);  // a worker prefetches a few segments: seconds at most
        ::close(fd);
    }
    QDir(spool).removeRecursively();
}

QMap<QString, QString> parseControlData(const QByteArray &out)
{
    QMap<QString, QString> m;
    for (const QByteArray &line : out.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            m.insert(QString::fromUtf8(line.left(colon)).trimmed(), QString::fromUtf8(line.mid(colon + 1)).trimmed());
    }
    return m;
}

Status appendOwned(const QString &path, const QByteArray &text, const QString &dataDir)
{
    QFile f(path);
    const bool existed = f.exists();
    if (!f.open(QIODevice::Append))
        return Error(Error::Code::Io, QStringLiteral("Cannot write %1.").arg(path), f.errorString());
    f.write(text);
    f.close();
    struct stat st {};
    if (!existed && ::geteuid() == 0 && ::stat(QFile::encodeName(dataDir).constData(), &st) == 0)
        (void)::chown(QFile::encodeName(path).constData(), st.st_uid, st.st_gid);
    return {};
}

} // namespace

Result<RewindResult> rewindOldPrimary(const RewindOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    if (o.targetDir.isEmpty() || o.sourceConninfo.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("rewind needs the old primary's data directory and the new primary's conninfo."));
    if (Status s = pg::validateConninfo(o.sourceConninfo); !s)
        return s.error();
    if (!pg::conninfoValue(o.sourceConninfo, QStringLiteral("password")).isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("The new primary's conninfo holds a password, which would be written into "
                                                                  "postgresql.auto.conf. Name a passfile= instead."));
    const QString dataDir = QFileInfo(o.targetDir).absoluteFilePath();
    if (!QFileInfo::exists(dataDir + QStringLiteral("/PG_VERSION")))
        return Error(Error::Code::InvalidArgument, QStringLiteral("%1 is not a PostgreSQL data directory.").arg(dataDir));
    pg::LocalCluster::Spec spec;
    spec.dataDir = dataDir;
    spec.osUser = QFileInfo(dataDir).owner();
    spec.logFile = dataDir + QStringLiteral("/pgarchivist-standby.log");
    pg::LocalCluster cluster(spec);
    if (cluster.isRunning())
        return Error(Error::Code::InvalidArgument, QStringLiteral("The old primary in %1 is running. Stop it first (pg_ctl stop -D %1): pg_rewind "
                                                                  "works on a stopped cluster only.").arg(dataDir));

    // Can pg_rewind tell which pages changed? Only with checksums or wal_log_hints, as the old primary last ran.
    auto control = cluster.runTool(QStringLiteral("pg_controldata"), {dataDir}, 60000);
    if (!control || control->exitCode != 0)
        return Error(Error::Code::Io, QStringLiteral("pg_controldata could not read %1.").arg(dataDir),
                     control ? QString::fromUtf8(control->err) : control.error().message);
    const QMap<QString, QString> cd = parseControlData(control->out);
    const bool checksums = cd.value(QStringLiteral("Data page checksum version"), QStringLiteral("0")) != QLatin1String("0");
    const bool hints = cd.value(QStringLiteral("wal_log_hints setting")) == QLatin1String("on");
    if (!checksums && !hints) {
        QString offer = QStringLiteral("pgarchivist-cli standby create --repo DIR --server NAME --target-dir NEW_DIR --primary-conninfo '%1'")
                            .arg(o.sourceConninfo);
        if (!o.repoDir.isEmpty())
            offer = QStringLiteral("pgarchivist-cli standby create --repo %1 --server %2 --target-dir NEW_DIR --primary-conninfo '%3'")
                        .arg(o.repoDir, o.server, o.sourceConninfo);
        return Error(Error::Code::Unsupported,
                     QStringLiteral("pg_rewind cannot switch %1 back: it had neither data checksums nor wal_log_hints, so nobody can tell which "
                                    "pages it changed after the failover. Make a new standby from the repository instead: %2 (and set "
                                    "wal_log_hints = on, so the next switchback can rewind).")
                         .arg(dataDir, offer));
    }
    auto source = pg::Connection::connect({o.sourceConninfo}, &cancel);
    if (!source)
        return source.error();
    auto facts = (*source)->exec(QStringLiteral("SELECT current_setting('full_page_writes'), pg_is_in_recovery(), system_identifier::text "
                                                "FROM pg_control_system()"),
                                 {}, &cancel, 30000);
    if (!facts)
        return facts.error();
    if (facts->value(0, 0) != QLatin1String("on"))
        return Error(Error::Code::Unsupported, QStringLiteral("The new primary has full_page_writes = off; pg_rewind needs it on."));
    if (facts->value(0, 2) != cd.value(QStringLiteral("Database system identifier")))
        return Error(Error::Code::WrongCluster, QStringLiteral("The new primary is cluster %1, the old primary in %2 is cluster %3: they never shared "
                                                               "a history.").arg(facts->value(0, 2), dataDir, cd.value(QStringLiteral("Database system identifier"))));
    if (facts->value(0, 1) == QLatin1String("t"))
        return Error(Error::Code::InvalidArgument, QStringLiteral("The source is still a standby (in recovery): promote it first."));
    // A freshly promoted server records its new timeline in pg_control only at its next checkpoint; pg_rewind reads it
    // there and would otherwise see "the same timeline" and rewind nothing.
    if (auto cp = (*source)->exec(QStringLiteral("CHECKPOINT"), {}, &cancel, 600000); !cp)
        progress.warning(QStringLiteral("CHECKPOINT on the new primary failed (%1); if it was promoted moments ago, pg_rewind may not see its new "
                                        "timeline.").arg(cp.error().message));
    if (!o.slot.isEmpty() && o.configureStandby)
        if (Status s = ensurePhysicalSlot(**source, o.slot, progress, cancel); !s)
            return s.error();
    source->reset();

    RewindResult result;
    QStringList args{QStringLiteral("--target-pgdata"), dataDir, QStringLiteral("--source-server"), o.sourceConninfo, QStringLiteral("--progress")};
    if (!o.repoDir.isEmpty()) {
        // WAL the old primary wrote before the divergence but no longer has comes from the repository.
        const QString cli = o.cliPath.isEmpty() ? Sandbox::findCli() : o.cliPath;
        const QString restore = archiveGetCommand(cli, repoLocation(o.repoDir), o.server);
        result.settings << QStringLiteral("restore_command = %1").arg(quoteConf(restore));
        if (Status s = appendOwned(dataDir + QStringLiteral("/postgresql.auto.conf"),
                                   QStringLiteral("\n# pgarchivist-cli rewind\nrestore_command = %1\n").arg(quoteConf(restore)).toUtf8(), dataDir);
            !s)
            return s.error();
        args << QStringLiteral("--restore-target-wal");
    }
    // pg_rewind copies the new primary's configuration files over the old primary's (port, sockets, its standby settings):
    // the old primary keeps its own, as repmgr and Patroni do it.
    QMap<QString, QByteArray> ownConfig;
    for (const QString &name : {QStringLiteral("postgresql.conf"), QStringLiteral("postgresql.auto.conf"), QStringLiteral("pg_hba.conf"),
                                QStringLiteral("pg_ident.conf")}) {
        QFile f(dataDir + QLatin1Char('/') + name);
        if (f.open(QIODevice::ReadOnly))
            ownConfig.insert(name, f.readAll());
    }
    // archive-get's prefetch spool lives in pg_wal, and a worker the old primary's last restore_command started may still
    // be writing there: pg_rewind failed on a temporary that vanished while it listed the directory. Wait for the worker
    // (it holds the spool's lock while it works), then remove the spool, which only ever holds copies.
    removePrefetchSpool(dataDir + QStringLiteral("/pg_wal/.pgarchivist-prefetch"));
    progress.info(QStringLiteral("Running pg_rewind on %1 from %2...").arg(dataDir, o.sourceConninfo));
    auto r = cluster.runTool(QStringLiteral("pg_rewind"), args, 3600 * 1000);
    if (!r)
        return r.error();
    result.log = QString::fromUtf8(r->out + r->err);
    auto restoreOwnConfig = [&]() -> Status {
        for (auto it = ownConfig.cbegin(); it != ownConfig.cend(); ++it) {
            const QString path = dataDir + QLatin1Char('/') + it.key();
            QFile::remove(path);
            if (Status s = appendOwned(path, it.value(), dataDir); !s)
                return s;
        }
        return {};
    };
    if (r->exitCode != 0) {
        (void)restoreOwnConfig();  // whatever pg_rewind got to copy, the old primary's configuration is its own again
        return Error(Error::Code::Query, QStringLiteral("pg_rewind failed; %1 is unchanged if it stopped before copying, otherwise restore a new "
                                                        "standby from the repository.").arg(dataDir),
                     result.log.right(2000));
    }
    if (Status s = restoreOwnConfig(); !s)
        return s.error();
    QFile::remove(dataDir + QStringLiteral("/pgarchivist-standby.log"));  // the new primary's log, copied along
    for (const QString &line : result.log.trimmed().split(QLatin1Char('\n')))
        if (!line.contains(QLatin1Char('\r')))  // the progress counter redraws itself; the rest is what pg_rewind did
            progress.info(QStringLiteral("pg_rewind: ") + line.trimmed());
    if (!o.configureStandby)
        return result;

    QStringList standby{QStringLiteral("primary_conninfo = %1").arg(quoteConf(o.sourceConninfo)),
                        QStringLiteral("recovery_target_timeline = 'latest'")};
    if (!o.slot.isEmpty())
        standby << QStringLiteral("primary_slot_name = %1").arg(quoteConf(o.slot));
    if (Status s = appendOwned(dataDir + QStringLiteral("/postgresql.auto.conf"),
                               (QStringLiteral("\n# pgarchivist-cli rewind: a standby of the new primary\n") + standby.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8(),
                               dataDir);
        !s)
        return s.error();
    if (Status s = appendOwned(dataDir + QStringLiteral("/standby.signal"), QByteArray(), dataDir); !s)
        return s.error();
    result.settings << standby;
    if (o.start) {
        if (Status s = cluster.start(300000); !s)
            return s.error();
        result.started = true;
        progress.info(QStringLiteral("The old primary runs as a standby of the new one."));
    }
    return result;
}

} // namespace pga::engine
