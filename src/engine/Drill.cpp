#include "Drill.h"

#include "Restore.h"
#include "RestoreStart.h"
#include "RtoEstimate.h"
#include "pg/ClientTools.h"
#include "pg/Connection.h"
#include "pg/LocalCluster.h"

#include <pwd.h>
#include <unistd.h>

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace pga::engine {

namespace {

// pg_amcheck exits 0 when all is well, 2 when it found corruption (listed on stdout), 1 when it could not check.
void amcheck(const DrillOptions &o, const QString &socketDir, int port, const QString &user, DrillResult &r, ProgressSink &progress)
{
    auto program = pg::ClientTools::program(QStringLiteral("pg_amcheck"));
    if (!program) {
        r.failedStep = QStringLiteral("amcheck");
        r.failure = program.error().toString();
        return;
    }
    progress.info(QStringLiteral("Checking every table and B-tree index with pg_amcheck --all"));
    pg::RunSpec spec;
    spec.program = *program;
    spec.args = {QStringLiteral("--all"), QStringLiteral("--install-missing"), QStringLiteral("--heapallindexed"),
                 QStringLiteral("--jobs=2"), QStringLiteral("--no-password"), QStringLiteral("--host=") + socketDir,
                 QStringLiteral("--port=%1").arg(port), QStringLiteral("--username=") + user};
    spec.runAsUser = o.owner.isEmpty() ? QStringLiteral("postgres") : o.owner;
    spec.timeoutMs = o.timeoutSec > 0 ? o.timeoutSec * 1000 : 24 * 3600 * 1000;
    auto p = pg::runProcess(spec);
    if (!p) {
        r.failedStep = QStringLiteral("amcheck");
        r.failure = p.error().toString();
        return;
    }
    const QStringList findings = QString::fromUtf8(p->out + p->err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (p->exitCode == 0 && !p->timedOut) {
        r.amcheckOk = true;
        progress.info(QStringLiteral("pg_amcheck found no corruption"));
        return;
    }
    r.amcheckFailures = findings.isEmpty() ? QStringList{QStringLiteral("pg_amcheck exited with %1").arg(p->exitCode)} : findings;
    r.failedStep = QStringLiteral("amcheck");
    r.failure = p->exitCode == 2 ? QStringLiteral("pg_amcheck found corruption: %1").arg(r.amcheckFailures.first())
                                 : QStringLiteral("pg_amcheck could not check the copy: %1").arg(r.amcheckFailures.first());
    for (const QString &f : std::as_const(r.amcheckFailures))
        progress.log(ProgressSink::Level::Error, f);
}

Result<std::unique_ptr<pg::Connection>> connectTo(const QString &conninfo, const QString &password, const CancelToken &cancel)
{
    return pg::Connection::connect({conninfo, password, false, 10, QStringLiteral("pgarchivist drill")}, &cancel);
}

// The largest user tables of each database the copy holds, counted there and (where it answers) in the source.
void countRows(const DrillOptions &o, const QString &copyConninfo, DrillResult &r, ProgressSink &progress, const CancelToken &cancel)
{
    auto admin = connectTo(copyConninfo, {}, cancel);
    if (!admin) {
        r.failedStep = QStringLiteral("row-counts");
        r.failure = admin.error().toString();
        return;
    }
    auto dbs = (*admin)->exec(QStringLiteral("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname"));
    if (!dbs) {
        r.failedStep = QStringLiteral("row-counts");
        r.failure = dbs.error().toString();
        return;
    }
    const bool sourceIsUri = o.sourceConninfo.startsWith(QLatin1String("postgres"));
    for (int i = 0; i < dbs->rowCount(); ++i) {
        const QString db = dbs->value(i, 0);
        auto copy = connectTo(copyConninfo + QStringLiteral(" dbname=") + pg::conninfoQuote(db), {}, cancel);
        if (!copy) {
            r.failedStep = QStringLiteral("row-counts");
            r.failure = copy.error().toString();
            return;
        }
        auto tables = (*copy)->exec(QStringLiteral(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
            "ORDER BY pg_total_relation_size(c.oid) DESC, 1 LIMIT $1"), {QString::number(o.largestTables)}, &cancel);
        if (!tables) {  // a drill that counted nothing has not shown the data is there
            r.failedStep = QStringLiteral("row-counts");
            r.failure = QStringLiteral("Listing the tables of %1 in the copy failed: %2").arg(db, tables.error().toString());
            return;
        }
        std::unique_ptr<pg::Connection> source;
        if (!o.sourceConninfo.isEmpty() && tables->rowCount() > 0) {
            if (sourceIsUri && pg::conninfoValue(o.sourceConninfo, QStringLiteral("dbname")) != db) {
                r.sourceNote = QStringLiteral("The source is given as a URI: only its own database is compared.");
            } else {
                auto s = connectTo(sourceIsUri ? o.sourceConninfo : o.sourceConninfo + QStringLiteral(" dbname=") + pg::conninfoQuote(db),
                                   o.sourcePassword, cancel);
                if (s)
                    source = std::move(*s);
                else
                    r.sourceNote = QStringLiteral("The source was not compared: %1").arg(s.error().message);
            }
        } else if (o.sourceConninfo.isEmpty()) {
            r.sourceNote = QStringLiteral("No connection to the source was given: counts are of the copy only.");
        }
        for (int t = 0; t < tables->rowCount(); ++t) {
            TableRowCount c;
            c.database = db;
            c.table = tables->value(t, 0);
            const QString count = QStringLiteral("SELECT count(*) FROM ") + c.table;
            auto n = (*copy)->exec(count, {}, &cancel);
            if (!n) {
                r.failedStep = QStringLiteral("row-counts");
                r.failure = QStringLiteral("Counting %1.%2 in the copy failed: %3").arg(db, c.table, n.error().toString());
                return;
            }
            c.restored = n->value(0, 0).toLongLong();
            if (source)
                if (auto m = source->exec(count, {}, &cancel))
                    c.source = m->value(0, 0).toLongLong();
            progress.info(QStringLiteral("%1 %2: %3 rows%4").arg(db, c.table).arg(c.restored)
                              .arg(c.source ? QStringLiteral(" (source now: %1)").arg(*c.source) : QString()));
            r.rowCounts << c;
        }
    }
}

void keepLog(const DrillOptions &o, const QString &logFile, DrillResult &r)
{
    if (o.keptLogDir.isEmpty() || logFile.isEmpty() || !QFileInfo::exists(logFile) || !QDir().mkpath(o.keptLogDir))
        return;
    const QString kept = o.keptLogDir + QStringLiteral("/drill-%1-%2.log")
                             .arg(o.server, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmssZ")));
    if (QFile::copy(logFile, kept))
        r.keptLog = kept;
}

} // namespace

Result<DrillResult> runDrill(const DrillOptions &o, ProgressSink &progress, const CancelToken &cancel)
{
    if (o.scratchDir.isEmpty())
        return Error(Error::Code::InvalidArgument, QStringLiteral("A drill needs a scratch directory for its copy."));
    if (QFileInfo::exists(o.scratchDir))
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("The drill's scratch directory %1 already exists; a drill restores into a new one and removes it.")
                         .arg(o.scratchDir));
    if (Status s = prepareTargetParent(o.scratchDir); !s)
        return s.error();
    DrillResult r;
    RestoreOptions ro;
    ro.repoDir = o.repoDir;
    ro.server = o.server;
    ro.backupId = o.backupId;
    ro.targetDir = o.scratchDir;
    ro.owner = o.owner;
    ro.target.action = QStringLiteral("promote");
    const QString dataDir = QFileInfo(o.scratchDir).absoluteFilePath();
    QString logFile;
    auto finish = [&](const QString &step, const QString &why) -> Result<DrillResult> {
        if (!step.isEmpty()) {
            r.failedStep = step;
            r.failure = why;
        }
        r.outcome = cancel.isCancelled() ? QStringLiteral("cancelled") : r.failedStep.isEmpty() ? QStringLiteral("passed") : QStringLiteral("failed");
        if (!r.passed()) {
            progress.log(ProgressSink::Level::Error, QStringLiteral("Drill %1 at %2: %3").arg(r.outcome, r.failedStep, r.failure));
            keepLog(o, logFile, r);
        }
        if (Status removed = removeScratchCopy(dataDir, o.owner, progress); !removed && r.passed()) {
            r.outcome = QStringLiteral("failed");
            r.failedStep = QStringLiteral("cleanup");
            r.failure = removed.error().message;
        }
        return r;
    };

    progress.info(QStringLiteral("Restoring %1 into %2").arg(o.backupId.isEmpty() ? QStringLiteral("the newest backup") : o.backupId, dataDir));
    QElapsedTimer timer;
    timer.start();
    auto restored = Restore(ro).run(progress, cancel);
    if (!restored)
        return finish(QStringLiteral("restore"), restored.error().toString());
    r.backup = restored->backupId;
    r.restoredBytes = restored->bytesWritten + restored->bytesReused;
    r.restoreSeconds = timer.elapsed() / 1000.0;
    HostRates rates = HostRates::load(HostRates::defaultPath());
    rates.addRestore(r.restoredBytes, r.restoreSeconds);
    (void)rates.save(HostRates::defaultPath());

    if (Status s = openLocalTrust(dataDir, o.owner); !s)
        return finish(QStringLiteral("start"), s.error().toString());
    StartOptions so;
    so.dataDir = dataDir;
    so.osUser = o.owner;
    so.action = QStringLiteral("promote");
    so.replayFrom = restored->replayFrom;
    so.replayTo = restored->replayTo;
    so.timeoutSec = o.timeoutSec;
    logFile = dataDir + QStringLiteral("/pgarchivist-start.log");
    auto started = startRestored(so, progress, cancel);
    if (!started)
        return finish(QStringLiteral("start"), started.error().toString());
    r.replaySeconds = started->replaySeconds;
    r.replayedWalBytes = started->replayedWalBytes;
    rates.addReplay(r.replayedWalBytes, r.replaySeconds);
    (void)rates.save(HostRates::defaultPath());

    // startRestored followed replay as the copy's superuser: its conninfo names one the copy knows.
    const int port = pg::conninfoValue(started->conninfo, QStringLiteral("port")).toInt();
    const QString user = pg::conninfoValue(started->conninfo, QStringLiteral("user"));
    const QString copyConninfo = QStringLiteral("host=%1 port=%2 user=%3 dbname=postgres")
                                     .arg(pg::conninfoQuote(dataDir)).arg(port).arg(pg::conninfoQuote(user));
    amcheck(o, dataDir, port, user, r, progress);
    if (!r.failedStep.isEmpty() || cancel.isCancelled())
        return finish({}, {});
    countRows(o, copyConninfo, r, progress, cancel);
    return finish({}, {});
}

QJsonObject drillJson(const DrillResult &r)
{
    QJsonArray counts;
    for (const TableRowCount &c : r.rowCounts)
        counts.append(QJsonObject{{QStringLiteral("database"), c.database},
                                  {QStringLiteral("table"), c.table},
                                  {QStringLiteral("restored"), c.restored},
                                  {QStringLiteral("source"), c.source ? QJsonValue(*c.source) : QJsonValue()}});
    return QJsonObject{
        {QStringLiteral("backup"), r.backup},
        {QStringLiteral("outcome"), r.outcome},
        {QStringLiteral("failed_step"), r.failedStep.isEmpty() ? QJsonValue() : QJsonValue(r.failedStep)},
        {QStringLiteral("failure"), r.failure.isEmpty() ? QJsonValue() : QJsonValue(r.failure)},
        {QStringLiteral("restore_seconds"), r.restoreSeconds},
        {QStringLiteral("restored_bytes"), r.restoredBytes},
        {QStringLiteral("replay_seconds"), r.replaySeconds},
        {QStringLiteral("replayed_wal_bytes"), r.replayedWalBytes},
        {QStringLiteral("amcheck"), r.amcheckOk ? QJsonValue(QStringLiteral("ok")) : QJsonValue(QJsonArray::fromStringList(r.amcheckFailures))},
        {QStringLiteral("row_counts"), counts},
        {QStringLiteral("source_note"), r.sourceNote.isEmpty() ? QJsonValue() : QJsonValue(r.sourceNote)},
        {QStringLiteral("kept_log"), r.keptLog.isEmpty() ? QJsonValue() : QJsonValue(r.keptLog)},
    };
}

QString drillSummary(const DrillResult &r)
{
    const auto mib = [](qint64 b) -> QString { return QString::number(double(b) / (1 << 20), 'f', 1) + QStringLiteral(" MiB"); };
    if (!r.passed())
        return QStringLiteral("Drill %1 at step %2: %3").arg(r.outcome, r.failedStep, r.failure);
    return QStringLiteral("Drill passed: backup %1 restored (%2) in %3 s, replayed %4 of WAL in %5 s; pg_amcheck found no corruption; "
                          "%6 tables counted.")
        .arg(r.backup, mib(r.restoredBytes), QString::number(r.restoreSeconds, 'f', 1), mib(r.replayedWalBytes),
             QString::number(r.replaySeconds, 'f', 1))
        .arg(r.rowCounts.size());
}

} // namespace pga::engine
