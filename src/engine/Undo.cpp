#include "Undo.h"

#include "UndoCopy.h"
#include "Restore.h"
#include "RestoreStart.h"
#include "pg/Connection.h"
#include "repo/Repository.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace pga::engine {

namespace {

using namespace detail;

// Maps each step's own progress into its share of the whole: restore, replay, copy.
class PhaseSink final : public ProgressSink {
public:
    explicit PhaseSink(ProgressSink &out) : m_out(out) {}
    void enter(int phase, const QString &what)
    {
        m_phase = phase;
        m_out.info(QStringLiteral("Step %1 of 3: %2").arg(phase + 1).arg(what));
        m_out.progress(kStart[phase], 1000);
    }
    void progress(int64_t done, int64_t total) override
    {
        if (total > 0)
            m_out.progress(kStart[m_phase] + (kStart[m_phase + 1] - kStart[m_phase]) * std::min(done, total) / total, 1000);
    }
    void log(Level level, const QString &line) override { m_out.log(level, line); }

private:
    static constexpr int64_t kStart[4] = {0, 600, 800, 1000};
    ProgressSink &m_out;
    int m_phase = 0;
};

Result<QList<UndoItem>> planItems(const UndoOptions &o, const QList<BlunderEvent> &events)
{
    QList<UndoItem> items;
    QSet<quint64> seen;
    for (const BlunderEvent &e : events) {
        if (e.kind == QLatin1String("drop_database")) {
            UndoItem it;
            it.kind = QStringLiteral("database");
            it.event = e.kind;
            it.databaseOid = e.databaseOid;
            const QString base = e.database.startsWith(QLatin1String("database OID ")) ? QStringLiteral("db%1").arg(e.databaseOid) : e.database;
            it.database = it.targetName = beforeName(base, e.xid);
            items << it;
            continue;
        }
        for (const BlunderObject &obj : e.objects) {
            if (seen.contains((quint64(e.databaseOid) << 32) | obj.filenode))
                continue;
            seen.insert((quint64(e.databaseOid) << 32) | obj.filenode);
            UndoItem it;
            it.kind = e.kind == QLatin1String("drop_table") ? QStringLiteral("table") : QStringLiteral("copy");
            it.event = e.kind;
            it.databaseOid = e.databaseOid;
            it.database = e.database;
            it.sourceFilenode = obj.filenode;
            it.sourceOid = obj.oid;
            it.expectedRows = obj.rows;
            if (obj.named) {
                it.sourceSchema = obj.schema;
                it.sourceName = obj.name;
                it.targetSchema = o.intoSchema.isEmpty() ? obj.schema : o.intoSchema;
                it.targetName = it.kind == QLatin1String("table") ? (o.asName.isEmpty() ? obj.name : o.asName) : beforeName(obj.name, e.xid);
            } else if (it.kind == QLatin1String("table") && !o.asName.isEmpty()) {
                it.targetName = o.asName;
            }
            items << it;
        }
    }
    if (!o.asName.isEmpty() && (items.size() != 1 || items.first().kind != QLatin1String("table")))
        return Error(Error::Code::InvalidArgument, QStringLiteral("--as names one dropped table, but transaction %1 affects %2 objects; use "
                                                                  "--into-schema to put them aside instead.").arg(o.xid).arg(items.size()));
    return items;
}

} // namespace

QString UndoItem::targetText() const
{
    return kind == QLatin1String("database") ? targetName : targetSchema + QLatin1Char('.') + targetName;
}

bool UndoResult::allMatch() const
{
    return std::all_of(items.begin(), items.end(), [](const UndoItem &i) { return i.matches(); });
}

QString beforeName(const QString &name, quint32 xid)
{
    const QString suffix = QStringLiteral("_before_%1").arg(xid);
    QString base = name;
    while (!base.isEmpty() && (base + suffix).toUtf8().size() > 63)
        base.chop(1);
    return base + suffix;
}

Result<UndoResult> runUndo(const UndoOptions &o, ProgressSink &out, const CancelToken &cancel)
{
    if (o.xid < 3)
        return Error(Error::Code::InvalidArgument, QStringLiteral("Give the transaction to undo with --xid (blunders lists them)."));
    UndoResult r;
    r.xid = o.xid;
    r.dryRun = o.dryRun;
    BlunderScanOptions so{o.repoDir, o.server, {}};
    so.filter.minRows = 1;
    NullProgressSink quiet;
    auto scan = scanBlunders(so, quiet, cancel);
    if (!scan)
        return scan.error();
    // After a point-in-time recovery xids repeat on the new timeline: the newest timeline's transaction is meant.
    for (const BlunderEvent &e : scan->events)
        if (e.xid == o.xid && (r.events.isEmpty() || e.timeline == r.events.first().timeline))
            r.events << e;
    if (r.events.isEmpty())
        return Error(Error::Code::NotFound, QStringLiteral("Transaction %1 made no DROP TABLE, TRUNCATE, DROP DATABASE, DELETE or UPDATE in the "
                                                           "archived WAL of %2; `blunders` lists the ones it did find.").arg(o.xid).arg(o.server));
    auto items = planItems(o, r.events);
    if (!items)
        return items.error();
    r.items = *items;

    auto repo = repo::Repository::open(o.repoDir, repo::Repository::Access::Read);
    if (!repo)
        return repo.error();
    auto record = repo->server(o.server);
    if (!record)
        return record.error();
    {
        auto live = connectLive(o, QString(), cancel);
        if (!live)
            return live.error();
        auto sys = (*live)->exec(QStringLiteral("SELECT system_identifier FROM pg_control_system()"), {}, &cancel, 30000);
        if (!sys)
            return sys.error();
        if (sys->value(0, 0).toULongLong() != record->systemIdentifier)
            return Error(Error::Code::WrongCluster,
                         QStringLiteral("The live server (system identifier %1) is not server %2 of the repository (system identifier %3): "
                                        "undo copies back into the server the blunder happened on. Check --conninfo.")
                             .arg(sys->value(0, 0)).arg(o.server).arg(record->systemIdentifier));
    }
    if (Status s = checkLive(o, r.items, cancel); !s)
        return s.error();

    QString name = o.server;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    r.scratchDir = QFileInfo(o.scratchDir.isEmpty() ? scratchRoot() + QStringLiteral("/undo-%1-%2-%3").arg(name).arg(o.xid).arg(
                                                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss")))
                                                    : o.scratchDir).absoluteFilePath();
    RestoreOptions ro;
    ro.repoDir = o.repoDir;
    ro.server = o.server;
    ro.targetDir = r.scratchDir;
    ro.owner = o.owner;
    ro.target.kind = RecoveryTarget::Kind::Xid;
    ro.target.text = QString::number(o.xid);
    ro.target.exclusive = true;
    if (!r.events.isEmpty())
        ro.target.timeline = QString::number(r.events.first().timeline);
    for (const BlunderEvent &e : std::as_const(r.events))
        if (e.stopBefore.isValid() && (ro.target.kind != RecoveryTarget::Kind::Lsn || e.stopBefore < ro.target.lsn)) {
            // Before the Database DROP record, not the commit: replaying that record removes the files.
            ro.target.kind = RecoveryTarget::Kind::Lsn;
            ro.target.lsn = e.stopBefore;
            ro.target.text.clear();
        }
    ro.target.action = QStringLiteral("promote");
    auto plan = Restore(ro).plan(quiet, cancel);
    if (!plan)
        return plan.error();
    r.backupId = plan->backupId;
    if (o.dryRun)
        return r;

    if (QFileInfo::exists(r.scratchDir))
        return Error(Error::Code::InvalidArgument, QStringLiteral("The scratch directory %1 already exists; undo restores into a new one.").arg(r.scratchDir));
    if (Status s = prepareTargetParent(r.scratchDir); !s)
        return s.error();
    PhaseSink progress(out);
    auto cleanup = [&](Result<UndoResult> result) -> Result<UndoResult> {
        if (o.keepScratch && QFileInfo::exists(r.scratchDir)) {
            r.keptScratch = true;
            out.info(QStringLiteral("The scratch copy was kept in %1 (stop it with pg_ctl -D %1 stop).").arg(r.scratchDir));
            if (result)
                result->keptScratch = true;
        } else {
            (void)removeScratchCopy(r.scratchDir, o.owner, out);
        }
        return result;
    };
    progress.enter(0, QStringLiteral("restoring backup %1 into %2").arg(r.backupId, r.scratchDir));
    QElapsedTimer timer;
    timer.start();
    auto restored = Restore(ro).run(progress, cancel);
    if (!restored)
        return cleanup(restored.error());
    r.restoreSeconds = timer.elapsed() / 1000.0;
    if (Status s = openLocalTrust(r.scratchDir, o.owner); !s)
        return cleanup(s.error());
    progress.enter(1, QStringLiteral("replaying WAL up to just before transaction %1").arg(o.xid));
    StartOptions st;
    st.dataDir = r.scratchDir;
    st.osUser = o.owner;
    st.action = QStringLiteral("promote");
    st.replayFrom = restored->replayFrom;
    st.replayTo = restored->replayTo;
    st.timeoutSec = o.timeoutSec;
    auto started = startRestored(st, progress, cancel);
    if (!started)
        return cleanup(started.error());
    r.replaySeconds = started->replaySeconds;
    Scratch scratch;
    scratch.dataDir = r.scratchDir;
    scratch.port = pg::conninfoValue(started->conninfo, QStringLiteral("port")).toInt();
    scratch.user = pg::conninfoValue(started->conninfo, QStringLiteral("user"));
    scratch.versionNum = record->pgVersionNum;
    if (auto c = pg::Connection::connect({scratch.conninfo(QStringLiteral("postgres")), {}, false, 10, QStringLiteral("pgarchivist undo")}, &cancel))
        scratch.versionNum = (*c)->serverVersionNum();
    r.scratchConninfo = scratch.conninfo(QStringLiteral("postgres"));

    progress.enter(2, QStringLiteral("copying %1 item(s) into the live server").arg(r.items.size()));
    timer.restart();
    QTemporaryDir work(QFileInfo(r.scratchDir).absolutePath() + QStringLiteral("/undo-dump-XXXXXX"));
    if (!work.isValid())
        return cleanup(Error(Error::Code::Io, QStringLiteral("Cannot make a temporary directory beside %1.").arg(r.scratchDir)));
    Copier copier(o, scratch, work.path(), cancel, out);
    for (int i = 0; i < r.items.size(); ++i) {
        if (cancel.isCancelled())
            return cleanup(Error(Error::Code::Cancelled, QStringLiteral("Cancelled after %1 of %2 items were copied.").arg(i).arg(r.items.size())));
        UndoItem &it = r.items[i];
        if (Status s = copier.copy(it, i); !s)
            return cleanup(Error(s.error().code, QStringLiteral("Copying %1 failed: %2").arg(it.targetText().isEmpty() ? it.sourceName : it.targetText(),
                                                                                           s.error().message), s.error().detail));
        out.info(QStringLiteral("%1: %2 rows in the live server, %3 in the scratch copy%4").arg(it.targetText())
                     .arg(it.liveRows.value_or(-1)).arg(it.scratchRows.value_or(-1))
                     .arg(it.matches() ? QStringLiteral(" (identical)") : QStringLiteral(" (DIFFERENT)")));
        progress.progress(i + 1, r.items.size());
    }
    r.copySeconds = timer.elapsed() / 1000.0;
    return cleanup(r);
}

QJsonObject undoJson(const UndoResult &r)
{
    QJsonArray events, items;
    for (const BlunderEvent &e : r.events)
        events.append(blunderJson(e));
    auto rows = [](const std::optional<qint64> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    for (const UndoItem &i : r.items) {
        QJsonObject j{{QStringLiteral("kind"), i.kind},
                      {QStringLiteral("event"), i.event},
                      {QStringLiteral("database"), i.database},
                      {QStringLiteral("source"), i.sourceName.isEmpty() ? QJsonValue() : QJsonValue(i.sourceSchema + QLatin1Char('.') + i.sourceName)},
                      {QStringLiteral("target"), i.targetName.isEmpty() ? QJsonValue() : QJsonValue(i.targetText())},
                      {QStringLiteral("create_schema"), i.createSchema},
                      {QStringLiteral("expected_rows"), rows(i.expectedRows)}};
        if (!r.dryRun) {
            j.insert(QStringLiteral("scratch_rows"), rows(i.scratchRows));
            j.insert(QStringLiteral("live_rows"), rows(i.liveRows));
            j.insert(QStringLiteral("scratch_md5"), i.scratchMd5.isEmpty() ? QJsonValue() : QJsonValue(i.scratchMd5));
            j.insert(QStringLiteral("live_md5"), i.liveMd5.isEmpty() ? QJsonValue() : QJsonValue(i.liveMd5));
            j.insert(QStringLiteral("match"), i.matches());
            j.insert(QStringLiteral("created"), QJsonArray::fromStringList(i.created));
        }
        items.append(j);
    }
    QJsonObject o{{QStringLiteral("xid"), qint64(r.xid)},
                  {QStringLiteral("dry_run"), r.dryRun},
                  {QStringLiteral("backup"), r.backupId},
                  {QStringLiteral("scratch_dir"), r.scratchDir},
                  {QStringLiteral("events"), events},
                  {QStringLiteral("items"), items}};
    if (!r.dryRun) {
        o.insert(QStringLiteral("kept_scratch"), r.keptScratch);
        o.insert(QStringLiteral("scratch_conninfo"), r.keptScratch ? QJsonValue(r.scratchConninfo) : QJsonValue());
        o.insert(QStringLiteral("restore_seconds"), r.restoreSeconds);
        o.insert(QStringLiteral("replay_seconds"), r.replaySeconds);
        o.insert(QStringLiteral("copy_seconds"), r.copySeconds);
        o.insert(QStringLiteral("all_match"), r.allMatch());
    }
    return o;
}

QStringList undoLines(const UndoResult &r)
{
    QStringList out;
    out << (r.dryRun ? QStringLiteral("Undo of transaction %1 would restore backup %2 into %3, stop just before the transaction, and create:")
                     : QStringLiteral("Undo of transaction %1 restored backup %2 and created:"))
               .arg(r.xid).arg(r.backupId, r.scratchDir);
    for (const UndoItem &i : r.items) {
        QString line;
        if (i.kind == QLatin1String("database"))
            line = QStringLiteral("  database %1 (the database dropped by transaction %2, as it was before)").arg(i.targetName).arg(r.xid);
        else if (i.kind == QLatin1String("table"))
            line = QStringLiteral("  table %1 in database %2 (dropped; recreated with its indexes and rows)")
                       .arg(i.targetName.isEmpty() ? QStringLiteral("(named in the scratch copy)") : i.targetText(), i.database);
        else
            line = QStringLiteral("  table %1 in database %2 (the rows of %3 before the %4)")
                       .arg(i.targetName.isEmpty() ? QStringLiteral("(named in the scratch copy)") : i.targetText(), i.database,
                            i.sourceName.isEmpty() ? QStringLiteral("file %1").arg(i.sourceFilenode) : i.sourceSchema + QLatin1Char('.') + i.sourceName,
                            blunderKindText(i.event));
        if (i.createSchema)
            line += QStringLiteral(", creating schema %1").arg(i.targetSchema);
        if (!r.dryRun)
            line += QStringLiteral(": %1 rows, %2").arg(i.liveRows.value_or(0)).arg(i.matches() ? QStringLiteral("identical to the scratch copy")
                                                                                            : QStringLiteral("DIFFERENT from the scratch copy (%1 rows)")
                                                                                                  .arg(i.scratchRows.value_or(0)));
        out << line;
    }
    return out;
}

} // namespace pga::engine
