#include "Restore.h"
#include "ArchivingSetup.h"
#include "SnapshotBackup.h"
#include "repo/WalStream.h"

#include "BackupWal.h"
#include "RestoreFiles.h"
#include "Sandbox.h"
#include "WalLandmarks.h"
#include "core/Buffer.h"
#include "core/Sha256.h"
#include "core/TimeText.h"
#include "core/WalParser.h"
#include "repo/BackupManifest.h"
#include "repo/ChunkStore.h"
#include "repo/DurableFile.h"
#include "repo/WalArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QTimeZone>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <pwd.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace pga::engine {

QDateTime RecoveryTarget::parseTime(const QString &text, int *micros)
{
    QString t = text.trimmed();
    t.replace(QLatin1Char(' '), QLatin1Char('T'));
    // Qt keeps milliseconds only; a commit time copied from PostgreSQL has six digits, and cutting them
    // would stop recovery before the very commit the user named.
    static const QRegularExpression fraction(QStringLiteral("(T\\d\\d:\\d\\d:\\d\\d\\.)(\\d+)"));
    if (const auto m = fraction.match(t); m.hasMatch()) {
        const QString digits = m.captured(2).leftJustified(6, QLatin1Char('0')).left(6);  // commit times are µs
        if (micros)
            *micros = digits.mid(3).toInt();
        t.replace(m.capturedStart(2), m.capturedLength(2), digits.left(3));
    } else if (micros) {
        *micros = 0;
    }
    // "+01" -> "+01:00" so Qt's ISO parser takes it.
    static const QRegularExpression shortOffset(QStringLiteral("([+-]\\d\\d)$"));
    t.replace(shortOffset, QStringLiteral("\\1:00"));
    static const QRegularExpression compactOffset(QStringLiteral("([+-]\\d\\d)(\\d\\d)$"));
    t.replace(compactOffset, QStringLiteral("\\1:\\2"));
    QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!d.isValid())
        return {};
    if (d.timeSpec() == Qt::LocalTime)  // no zone given: the local one, said explicitly from here on
        d = QDateTime(d.date(), d.time(), QTimeZone(d.offsetFromUtc()));
    return d;
}

QString RecoveryTarget::formatTime(const QDateTime &t, int micros) { return timestampText(t, micros); }

QString RecoveryTarget::describe() const
{
    switch (kind) {
    case Kind::Immediate:
        return QStringLiteral("the end of the backup (immediate)");
    case Kind::Time:
        return QStringLiteral("time %1").arg(formatTime(time, timeMicros));
    case Kind::Lsn:
        return QStringLiteral("LSN %1").arg(lsn.toString());
    case Kind::Xid:
        return QStringLiteral("transaction %1").arg(text);
    case Kind::Name:
        return QStringLiteral("restore point '%1'").arg(text);
    default:
        return QStringLiteral("the end of the archived WAL");
    }
}

namespace {

QString isoLocal(const QDateTime &t) { return t.isValid() ? timestampText(t.toLocalTime()) : QStringLiteral("?"); }

struct Owner {
    bool chown = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

} // namespace

Result<RestorePlan> Restore::plan(ProgressSink &progress, const CancelToken &cancel) const
{
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    auto rec = repo->server(m_o.server);
    if (!rec)
        return rec.error();
    repo::BackupCatalog catalog(*repo, m_o.server);
    auto listed = catalog.ids();
    if (!listed)
        return listed.error();  // never "no base backup" for a catalog we cannot read
    const QStringList ids = *listed;
    if (ids.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("The repository has no base backup of server '%1'. Take one with "
                                                           "'pgarchivist-cli backup' first.").arg(m_o.server));
    auto wal = repo::WalArchive(*repo, m_o.server).list();
    if (!wal)
        return wal.error();
    repo::addStreamedPartial(*repo, m_o.server, *wal);  // archive-get serves it: a target may be the last streamed commit
    const RecoveryTarget &t = m_o.target;
    const repo::WalArchive archive(*repo, m_o.server);

    // A restore point or a transaction is looked up in the WAL first: PostgreSQL, not finding it, would replay to
    // the end of the WAL and stop with FATAL. The backup must then end before it.
    std::optional<Lsn> landmark;
    if (t.kind == RecoveryTarget::Kind::Name || t.kind == RecoveryTarget::Kind::Xid) {
        std::optional<repo::BackupManifest> oldest;
        for (const QString &id : ids)
            if (auto om = catalog.read(id); om && walReach(*wal, om->timeline, om->startLsn, om->stopLsn).consistent) {
                oldest = *om;
                break;
            }
        if (oldest) {
            QString warning;
            auto at = locateTarget(archive, *wal, t.kind == RecoveryTarget::Kind::Name, t.text, oldest->timeline, oldest->stopLsn,
                                   &warning, &cancel);
            if (!at)
                return at.error();
            if (!warning.isEmpty())
                progress.warning(warning);
            landmark = *at;
        }
    }

    // Which backup, and is the target reachable from it?
    auto windowText = [&]() -> QString {
        QStringList parts;
        for (const QString &id : ids) {
            auto m = catalog.read(id);
            if (!m)
                continue;
            const WalReach r = walReach(*wal, m->timeline, m->startLsn, m->stopLsn);
            if (!r.consistent)
                continue;
            parts << QStringLiteral("from %1 (LSN %2, backup %3) to %4 (LSN %5)")
                         .arg(isoLocal(m->stopTimeUtc), m->stopLsn.toString(), id,
                              r.lastXactTimeUs ? localTimestampText(*r.lastXactTimeUs) : isoLocal(m->stopTimeUtc),
                              r.endLsn.toString());
            break;
        }
        return parts.isEmpty() ? QStringLiteral("there is no recoverable window (no backup has all the WAL it needs)")
                               : QStringLiteral("the recoverable window is ") + parts.first();
    };
    QString chosen = m_o.backupId;
    if (chosen.isEmpty()) {
        for (qsizetype i = ids.size() - 1; i >= 0 && chosen.isEmpty(); --i) {
            auto m = catalog.read(ids[i]);
            if (!m) {
                progress.warning(QStringLiteral("Skipping backup %1: %2").arg(ids[i], m.error().message));
                continue;
            }
            if (m->isCold())
                continue;  // a cold backup is restored by its ID only: it has no WAL to reach a target with
            if (m->isSnapshot())
                continue;  // by its ID only too: its files are in a snapshot that must be mounted first
            if (t.kind == RecoveryTarget::Kind::Time && m->stopTimeUtc.toMSecsSinceEpoch() * 1000 > t.timeUs())
                continue;
            if (t.kind == RecoveryTarget::Kind::Lsn && m->stopLsn > t.lsn)
                continue;
            if (landmark && m->stopLsn > *landmark)
                continue;
            chosen = ids[i];
        }
        if (chosen.isEmpty())
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("No backup ends before %1; %2.").arg(t.describe(), windowText()));
    }
    auto manifest = catalog.read(chosen);
    if (!manifest)
        return manifest.error();
    const repo::BackupManifest &m = *manifest;
    if (m.systemIdentifier != rec->systemIdentifier)
        return Error(Error::Code::WrongCluster, QStringLiteral("Backup %1 belongs to system identifier %2, the server '%3' to %4.")
                                                    .arg(chosen).arg(m.systemIdentifier).arg(m_o.server).arg(rec->systemIdentifier));
    if (m.isCold()) {
        if (t.kind != RecoveryTarget::Kind::EndOfWal && t.kind != RecoveryTarget::Kind::Immediate)
            return Error(Error::Code::InvalidArgument, QStringLiteral("Backup %1 is a cold backup (the files of a stopped cluster): it restores as "
                                                                      "it was, with nothing to replay, so it takes no recovery target.")
                                                           .arg(chosen));
        RestorePlan plan;
        plan.backupId = chosen;
        plan.manifest = m;
        plan.replayFrom = plan.replayTo = m.stopLsn;
        return plan;
    }
    if (t.kind == RecoveryTarget::Kind::Time && t.timeUs() < m.stopTimeUtc.toMSecsSinceEpoch() * 1000)
        return Error(Error::Code::InvalidArgument, QStringLiteral("The target %1 is before the end of backup %2 (%3); %4.")
                                                       .arg(t.describe(), chosen, isoLocal(m.stopTimeUtc), windowText()));
    if (landmark && *landmark < m.stopLsn)
        return Error(Error::Code::InvalidArgument, QStringLiteral("The target %1 (LSN %2) is before the end of backup %3 (LSN %4); %5.")
                                                       .arg(t.describe(), landmark->toString(), chosen, m.stopLsn.toString(), windowText()));
    if (t.kind == RecoveryTarget::Kind::Lsn && t.lsn < m.stopLsn)
        return Error(Error::Code::InvalidArgument, QStringLiteral("The target %1 is before the end of backup %2 (LSN %3); %4.")
                                                       .arg(t.describe(), chosen, m.stopLsn.toString(), windowText()));
    const WalReach reach = walReach(*wal, m.timeline, m.startLsn, m.stopLsn);
    if (!reach.consistent)
        return Error(Error::Code::NotFound,
                     QStringLiteral("Backup %1 cannot be made consistent: WAL segment %2 (between its start %3 and end %4) is not in "
                                    "the archive; %5.")
                         .arg(chosen, reach.firstMissing, m.startLsn.toString(), m.stopLsn.toString(), windowText()));
    if (!reach.laterTimelines) {
        if (t.kind == RecoveryTarget::Kind::Lsn && t.lsn > reach.endLsn)
            return Error(Error::Code::InvalidArgument, QStringLiteral("The target %1 is beyond the archived WAL; %2.").arg(t.describe(), windowText()));
        if (t.kind == RecoveryTarget::Kind::Time && (!reach.lastXactTimeUs || t.timeUs() > *reach.lastXactTimeUs))
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("The target %1 is after the last transaction in the archived WAL, so PostgreSQL could not "
                                        "reach it; %2.")
                             .arg(t.describe(), windowText()));
    }

    RestorePlan plan;
    plan.backupId = chosen;
    plan.manifest = m;
    plan.replayFrom = m.startLsn;
    plan.replayTo = t.kind == RecoveryTarget::Kind::Lsn ? t.lsn
                    : landmark                          ? *landmark
                    : t.kind == RecoveryTarget::Kind::Immediate ? m.stopLsn
                                                               : reach.endLsn;
    if (t.kind == RecoveryTarget::Kind::Time) {
        // Replay ends in the first segment after the backup whose last commit is at or after the target.
        for (const repo::WalFileMeta &f : *wal)
            if (f.timeline >= m.timeline && f.endLsn > m.stopLsn && f.lastXactTimeUs && *f.lastXactTimeUs >= t.timeUs())
                plan.replayTo = std::min(plan.replayTo, f.endLsn);
    }
    return plan;
}

Result<RestoreResult> Restore::run(ProgressSink &progress, const CancelToken &cancel)
{
    auto planned = plan(progress, cancel);
    if (!planned)
        return planned.error();
    auto repo = repo::Repository::open(m_o.repoDir);
    if (!repo)
        return repo.error();
    repo::BackupCatalog catalog(*repo, m_o.server);
    const QString chosen = planned->backupId;
    const repo::BackupManifest &m = planned->manifest;
    const RecoveryTarget &t = m_o.target;
    // The command PostgreSQL will run for WAL.
    QString cli = m_o.cliPath.isEmpty() ? Sandbox::findCli() : m_o.cliPath;
    if (cli.isEmpty() && !m.isCold())
        return Error(Error::Code::NotFound, QStringLiteral("pgarchivist-cli was not found (next to this program or on PATH), so "
                                                           "restore_command cannot be written. Install it or put it on PATH."));
    QStringList settings{QStringLiteral("restore_command = %1").arg(quoteConf(archiveGetCommand(cli, repo->root(), m_o.server)))};
    for (const auto &[name, value] : recoveryTargetParameters(t))
        settings << QStringLiteral("%1 = %2").arg(name, quoteConf(value));
    if (m.isCold())
        settings.clear();  // nothing to replay: no restore_command, no target
    settings << m_o.extraSettings;

    Owner owner;
    if (::geteuid() == 0) {
        const QString user = m_o.owner.isEmpty() ? QStringLiteral("postgres") : m_o.owner;
        const passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
        if (!pw)
            return Error(Error::Code::InvalidArgument, QStringLiteral("The user '%1' does not exist; give the owner of the restored "
                                                                      "files with --owner.").arg(user));
        owner = {true, pw->pw_uid, pw->pw_gid};
    }
    progress.info(QStringLiteral("Restoring backup %1 (%2 files, %3 bytes, ended %4 at %5) into %6 for %7")
                      .arg(chosen)
                      .arg(m.fileCount)
                      .arg(m.logicalBytes)
                      .arg(isoLocal(m.stopTimeUtc), m.stopLsn.toString(), m_o.targetDir, t.describe()));
    auto finished = [&](Result<RestoreResult> r) -> Result<RestoreResult> {
        if (!r)
            return r.error();
        r->backupId = chosen;
        r->recoverySettings = settings;
        r->replayFrom = planned->replayFrom;
        r->replayTo = planned->replayTo;
        return r;
    };
    if (m.isSnapshot())
        return finished(restoreSnapshot(m_o, m, catalog, settings, progress));
    auto serverManifestSha = !m.hasServerManifest() ? Result<QString>(QString()) : catalog.serverManifestSha256(chosen);
    if (!serverManifestSha)
        return serverManifestSha.error();
    if (m.hasServerManifest() && *serverManifestSha != m.backupManifestSha256)
        return Error(Error::Code::Corrupt, QStringLiteral("The backup_manifest of backup %1 is damaged (checksum mismatch).").arg(chosen));
    // The whole file list is checked before anything is written: a damaged list must not leave half a restore.
    auto list = catalog.files(m);
    if (!list)
        return list.error();
    if (Status s = list->checkToEnd(); !s)
        return s.error();
    MaterializeRequest req{m_o, m, catalog, repo->chunksDir(), settings, owner.chown, owner.uid, owner.gid};
    return finished(materializeBackup(req, progress, cancel));
}

QList<QPair<QString, QString>> recoveryTargetParameters(const RecoveryTarget &t)
{
    QList<QPair<QString, QString>> out;
    switch (t.kind) {
    case RecoveryTarget::Kind::Immediate:
        out << qMakePair(QStringLiteral("recovery_target"), QStringLiteral("immediate"));
        break;
    case RecoveryTarget::Kind::Time:
        out << qMakePair(QStringLiteral("recovery_target_time"), RecoveryTarget::formatTime(t.time, t.timeMicros));
        break;
    case RecoveryTarget::Kind::Lsn:
        out << qMakePair(QStringLiteral("recovery_target_lsn"), t.lsn.toString());
        break;
    case RecoveryTarget::Kind::Xid:
        // PostgreSQL reads the epoch form too, and keeps the low 32 bits: written as those.
        out << qMakePair(QStringLiteral("recovery_target_xid"), QString::number(parseTargetXid(t.text).value_or(0)));
        break;
    case RecoveryTarget::Kind::Name:
        out << qMakePair(QStringLiteral("recovery_target_name"), t.text);
        break;
    default:
        break;
    }
    if (!t.timeline.isEmpty())
        out << qMakePair(QStringLiteral("recovery_target_timeline"), t.timeline);
    if (!t.action.isEmpty())
        out << qMakePair(QStringLiteral("recovery_target_action"), t.action);
    if (t.exclusive)
        out << qMakePair(QStringLiteral("recovery_target_inclusive"), QStringLiteral("off"));
    return out;
}

QString quoteConf(const QString &v)
{
    QString s = v;
    s.replace(QLatin1Char('\\'), QLatin1String("\\\\"));  // the configuration parser reads backslash escapes
    s.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

} // namespace pga::engine
