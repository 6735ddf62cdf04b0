#include "PitrDriver.h"
#include "PitrWorkload.h"
#include "S3Server.h"
#include "TestCluster.h"
#include "pg/ClientTools.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

using namespace pga;
using namespace pga::test;
using Kind = RecoveryTarget::Kind;

// QVERIFY2 builds its message even when the check passes (Qt 6.4): never touch error() of a success.
template <class R>
static QByteArray failure(const R &r)
{
    return r ? QByteArray() : r.error().toString().toLocal8Bit();
}

#ifndef PGA_PITR_DRIVER
#define PGA_PITR_DRIVER "basebackup"
#endif
#ifndef PGA_PITR_ENCRYPT
#define PGA_PITR_ENCRYPT 0
#endif
#ifndef PGA_PITR_S3
#define PGA_PITR_S3 0
#endif

// The PITR proof (issue 5). A workload records its exact state (row count + md5 over every row) at
// many moments; a base backup is taken while another connection keeps committing; more work follows across several WAL segments with restore
// points; a restore promoted at a mid-point starts timeline 2, which does more work and archives into
// the same repository. Then each recorded target (time, LSN, xid, name, immediate; timeline 1 before
// and after the switch, timeline 2) is restored into a fresh data directory, started, followed until
// recovery stops at the target, and its state must equal the recorded one exactly.
// Built once per driver (PGA_PITR_DRIVER): "basebackup" (pg_basebackup + our archive-get) and "cli"
// (our backup/restore commands); and with the cli driver once more on an s3:// repository (PGA_PITR_S3) in a
// real S3 server, where every push, the backup's chunks and every restore_command call go through HTTP.
class TestPitr : public QObject {
    Q_OBJECT
    std::unique_ptr<S3Server> m_s3;
    std::unique_ptr<TestCluster> m_src;
    PitrEnv m_env;
    std::unique_ptr<PitrDriver> m_driver;
    QString m_zone;
    QList<RecordedTarget> m_targets;
    QMap<QString, QString> m_tagOfState;  // state -> step tag, to say which step a wrong restore landed on
    bool m_ready = false;
    int m_restores = 0;

    // Restores t with the driver, starts it, waits until recovery stops at the target; keeps the server when asked.
    Result<QString> restoreAndRead(const RecoveryTarget &t, QString *skip, std::unique_ptr<RestoredServer> *keep = nullptr)
    {
        const QString dir = m_env.workDir + QStringLiteral("/restore-%1").arg(++m_restores);
        if (Status s = m_driver->restore(t, dir, skip); !s)
            return s.error();
        const QFileInfo fi(dir);
        if (!fi.isDir() || (fi.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)))
            return Error(Error::Code::Internal, QStringLiteral("%1 is not a 0700 data directory").arg(dir));
        if (pg::runningAsRoot() && fi.owner() != QLatin1String("postgres"))
            return Error(Error::Code::Internal, QStringLiteral("%1 is owned by %2, not postgres").arg(dir, fi.owner()));
        auto server = RestoredServer::start(dir, m_src->cluster().spec().socketDir, keep != nullptr);
        if (!server)
            return server.error();
        if (Status s = (*server)->waitForTarget(t.action); !s)
            return s.error();
        auto state = PitrWorkload::readState((*server)->conninfo());
        if (!state)
            return Error(state.error().code, state.error().message, (*server)->logTail());
        if (keep) {
            *keep = std::move(*server);
        } else {
            (void)(*server)->stop();
            if (qEnvironmentVariableIsEmpty("PGA_KEEP_CLUSTERS")) {
                QDir(dir).removeRecursively();
                QFile::remove(dir + QStringLiteral(".log"));
            }
        }
        return state;
    }

    void addTarget(const QString &label, Kind kind, const QString &value, const QString &expected, int timeline,
                   const QString &targetTimeline = {}, bool exclusive = false, const QString &action = QStringLiteral("pause"))
    {
        RecordedTarget r;
        r.label = label;
        r.target.kind = kind;
        r.target.value = value;
        r.target.timeline = targetTimeline;
        r.target.exclusive = exclusive;
        r.target.action = action;
        r.expected = expected;
        r.timeline = timeline;
        m_targets << r;
    }

    // The recorded time lies strictly between this step's commit and the next one's (track_commit_timestamp).
    static bool timeBetweenCommits(PitrWorkload &w, const PitrWorkload::Moment &m, const PitrWorkload::Moment &next)
    {
        auto r = w.scalar(QStringLiteral("SELECT pg_xact_commit_timestamp($1::text::xid) < $2::timestamptz "
                                         "AND $2::timestamptz < pg_xact_commit_timestamp($3::text::xid)"),
                          {m.xid, m.time, next.xid});
        return r && *r == QLatin1String("t");
    }

    // The state when the backup became consistent: after the last concurrent step whose commit record
    // lies before the BACKUP_END record (pg_walinspect on the source).
    static Result<QString> stateAtBackupEnd(PitrWorkload &w, const QString &fromLsn, const QString &before,
                                            const QList<PitrWorkload::Moment> &during)
    {
        auto end = w.scalar(QStringLiteral("SELECT count(*) || ' ' || min(start_lsn)::text FROM pg_get_wal_records_info($1::pg_lsn, "
                                           "pg_current_wal_flush_lsn()) WHERE resource_manager = 'XLOG' AND record_type = 'BACKUP_END'"),
                            {fromLsn});
        if (!end)
            return end.error();
        if (!end->startsWith(QLatin1String("1 ")))
            return Error(Error::Code::Internal, QStringLiteral("expected one BACKUP_END record after %1: %2").arg(fromLsn, *end));
        auto commits = w.scalar(QStringLiteral("SELECT coalesce(string_agg(xid::text, ','), '') FROM pg_get_wal_records_info($1::pg_lsn, "
                                               "$2::pg_lsn) WHERE resource_manager = 'Transaction' AND record_type = 'COMMIT'"),
                                {fromLsn, end->section(QLatin1Char(' '), 1)});
        if (!commits)
            return commits.error();
        const QStringList before_end = commits->split(QLatin1Char(','), Qt::SkipEmptyParts);
        QString state = before;
        int included = 0;
        for (const auto &m : during) {
            if (!before_end.contains(m.xid))
                break;
            state = m.state;
            ++included;
        }
        for (int i = included; i < during.size(); ++i)  // commits are in step order: a prefix, then none
            if (before_end.contains(during[i].xid))
                return Error(Error::Code::Internal, QStringLiteral("step %1 committed before BACKUP_END but %2 did not")
                                                        .arg(during[i].tag, during[included].tag));
        if (included == during.size())
            return Error(Error::Code::Internal, QStringLiteral("no step committed after the backup ended"));
        qInfo("%d of %d concurrent steps committed before BACKUP_END at %s", included, int(during.size()),
              qPrintable(end->section(QLatin1Char(' '), 1)));
        return state;
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        // One line per connection would drown the per-target report; QT_LOGGING_RULES turns it back on.
        if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
            QLoggingCategory::setFilterRules(QStringLiteral("pgarchivist.*.debug=false"));
        m_env.cli = qEnvironmentVariable("PGA_BINARY_DIR") + QStringLiteral("/src/cli/pgarchivist-cli");
        QVERIFY(QFileInfo(m_env.cli).isExecutable());
        const QString driver = QStringLiteral(PGA_PITR_DRIVER);
        m_driver = driver == QLatin1String("cli") ? makeCliDriver(m_env) : makeBaseBackupDriver(m_env);
        if (const QString why = m_driver->unavailable(); !why.isEmpty())
            QSKIP(qPrintable(why));
        // Targets are written with the test's zone offset; the server runs in another zone, so an
        // offset lost on the way to recovery_target_time moves the target by hours and fails.
        m_zone = QString::fromUtf8(QTimeZone::systemTimeZoneId());
        QVERIFY2(QTimeZone::systemTimeZone().offsetFromUtc(QDateTime::currentDateTime()) != 0,
                 "run with TZ set to a zone that is not UTC (pga_add_test TZ)");
        if (PGA_PITR_S3) {
            QString s3why;
            m_s3 = S3Server::start(QStringLiteral("pitr-proof"), &s3why);
            if (!m_s3 && S3Server::required())
                QFAIL(qPrintable(s3why));
            if (!m_s3)
                QSKIP(qPrintable(s3why));
            m_s3->exportEnvironment();  // the servers started below inherit it, and so their archive_command
        }
    }

    void workload()
    {
        TestCluster::Options o;
        o.start = false;
        o.initdbArgs = {QStringLiteral("--wal-segsize=1")};  // 1 MB segments: many segments, little data
        QString why;
        m_src = TestCluster::create(o, &why);
        if (!m_src)
            QSKIP(qPrintable(why));
        m_env.repo = m_s3 ? m_s3->url(QStringLiteral("cluster/main")) : m_src->baseDir() + QStringLiteral("/repo");
        m_env.workDir = m_src->makeServerWritableDir(QStringLiteral("work"));
        m_driver = QStringLiteral(PGA_PITR_DRIVER) == QLatin1String("cli") ? makeCliDriver(m_env) : makeBaseBackupDriver(m_env);
        QStringList initArgs{QStringLiteral("repo-init"), QStringLiteral("--repo"), m_env.repo};
        if (PGA_PITR_ENCRYPT) {
            // In the environment, so that archive_command and the restores' restore_command find it too (the
            // restore writes --passphrase-file into restore_command).
            const QString pass = m_src->baseDir() + QStringLiteral("/repo-passphrase");
            QFile f(pass);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write("pitr proof passphrase\n") > 0);
            f.close();
            QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
            qputenv("PGARCHIVIST_REPO_PASSPHRASE_FILE", QFile::encodeName(pass));
            initArgs << QStringLiteral("--encrypt");
        }
        const CliRun init = runCli(m_env.cli, initArgs);
        QVERIFY2(init.exitCode == 0, qPrintable(init.err));
        if (!m_s3)
            giveToServerUser(m_env.repo);
        const QString serverZone = m_zone == QLatin1String("America/Sao_Paulo") ? QStringLiteral("Asia/Tokyo")
                                                                                : QStringLiteral("America/Sao_Paulo");
        QVERIFY(m_src->appendConf(
            {QStringLiteral("wal_level = replica"), QStringLiteral("archive_mode = on"),
             QStringLiteral("archive_command = '%1 archive-push --repo %2 --server %3 %p'").arg(m_env.cli, m_env.repo, m_env.server),
             QStringLiteral("autovacuum = off"), QStringLiteral("track_commit_timestamp = on"), QStringLiteral("wal_keep_size = 256MB"),
             QStringLiteral("timezone = '%1'").arg(serverZone)}));
        QVERIFY2(m_src->start(), qPrintable(m_src->cluster().logTail()));

        // Before the backup: data that every restore starts from.
        PitrWorkload w(m_src->conninfo(), m_zone);
        Status prepared = w.prepare();
        QVERIFY2(prepared, failure(prepared).constData());
        QVERIFY(w.scalar(QStringLiteral("CREATE EXTENSION pg_walinspect")));
        QVector<PitrWorkload::Moment> s;  // s[0]: backup end (immediate); s[1..7]: after the backup, timeline 1
        for (const char *tag : {"p1", "p2"}) {
            auto m = w.step(QString::fromLatin1(tag));
            QVERIFY2(m, failure(m).constData());
        }
        QVERIFY(w.switchWal());

        // The backup, while a second connection keeps committing steps: the state at backup end (the
        // immediate target) is that of the last step whose commit record precedes BACKUP_END in the WAL.
        auto before = w.state();
        auto fromLsn = w.scalar(QStringLiteral("SELECT pg_current_wal_insert_lsn()::text"));
        QVERIFY(before && fromLsn);
        QList<PitrWorkload::Moment> during;
        {
            BackgroundSteps writer(m_src->conninfo(), m_zone, QStringLiteral("b"));
            QVERIFY(writer.waitBeyond(1));
            QElapsedTimer timer;
            timer.start();
            Status b = m_driver->backup(m_src->cluster());
            QVERIFY2(b, failure(b).constData());
            qInfo("backup (%s) under writes: %lld ms", qPrintable(m_driver->name()), timer.elapsed());
            QVERIFY(writer.waitBeyond(writer.done()));  // still writing after the backup ended
            auto steps = writer.stop();
            QVERIFY2(steps, failure(steps).constData());
            during = *steps;
        }
        auto immediate = stateAtBackupEnd(w, *fromLsn, *before, during);
        QVERIFY2(immediate, failure(immediate).constData());
        s << PitrWorkload::Moment{QStringLiteral("backup-end"), *immediate, {}, {}, {}};

        // Timeline 1: steps in separate WAL segments, with restore points; s3 is where timeline 2 will branch.
        for (int k = 1; k <= 7; ++k) {
            auto m = w.step(QStringLiteral("s%1").arg(k));
            QVERIFY2(m, failure(m).constData());
            s << *m;
            if (k == 3)
                QVERIFY(w.restorePoint(QStringLiteral("pitr_branch")));
            if (k == 4)
                QVERIFY(w.restorePoint(QStringLiteral("tl1_after_s4")));
            auto seg = w.switchWal();
            QVERIFY(seg);
        }
        auto lastTl1 = w.switchWal();
        QVERIFY(lastTl1);
        Status archived = w.waitForArchived(*lastTl1);
        QVERIFY2(archived, failure(archived).constData());
        for (int k = 1; k < 7; ++k)
            QVERIFY2(timeBetweenCommits(w, s[k], s[k + 1]), qPrintable(s[k].tag + QLatin1Char(' ') + s[k].time));
        QVERIFY2(QRegularExpression(QStringLiteral("[+-]\\d\\d(:\\d\\d)?$")).match(s[1].time).hasMatch()
                     && !s[1].time.endsWith(QLatin1String("+00")),
                 qPrintable(s[1].time));

        // Timeline 2: restore to the branch point, promote, work there, archive into the same repository.
        QString skip;
        std::unique_ptr<RestoredServer> tl2;
        RecoveryTarget branch;
        branch.kind = Kind::Name;
        branch.value = QStringLiteral("pitr_branch");
        branch.action = QStringLiteral("promote");
        auto branchState = restoreAndRead(branch, &skip, &tl2);
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        QVERIFY2(branchState, failure(branchState).constData());
        QCOMPARE(*branchState, s[3].state);
        QVERIFY(m_src->stop());  // timeline 1 is complete in the repository
        PitrWorkload w2(tl2->conninfo(), m_zone);
        QVector<PitrWorkload::Moment> t{s[3]};  // t[0]: the branch point; t[1..5]: timeline 2
        for (int k = 1; k <= 5; ++k) {
            auto m = w2.step(QStringLiteral("t%1").arg(k));
            QVERIFY2(m, failure(m).constData());
            t << *m;
            if (k == 2)
                QVERIFY(w2.restorePoint(QStringLiteral("tl2_after_t2")));
            auto seg = w2.switchWal();
            QVERIFY(seg);
            QVERIFY2(seg->startsWith(QLatin1String("00000002")), qPrintable(*seg));
        }
        auto lastTl2 = w2.switchWal();
        QVERIFY(lastTl2);
        archived = w2.waitForArchived(*lastTl2);
        QVERIFY2(archived, failure(archived).constData());
        for (int k = 1; k < 5; ++k)
            QVERIFY2(timeBetweenCommits(w2, t[k], t[k + 1]), qPrintable(t[k].tag + QLatin1Char(' ') + t[k].time));
        int reused = 0;  // xids after the branch are handed out again on timeline 2: only the timeline tells them apart
        for (int k = 1; k <= 5; ++k)
            for (int j = 4; j <= 7; ++j)
                reused += t[k].xid == s[j].xid ? 1 : 0;
        qInfo("timeline 2 reuses %d xids of timeline 1's steps after the branch", reused);
        // So the xid target t2 also names a commit on timeline 1 (s5): only the timeline picks the right one.
        QVERIFY2(t[2].xid == s[5].xid, qPrintable(QStringLiteral("t2 has xid %1, s5 had %2").arg(t[2].xid, s[5].xid)));
        (void)tl2->stop();
        tl2.reset();

        // The repository now knows both timelines.
        const CliRun info = runCli(m_env.cli, {QStringLiteral("info"), QStringLiteral("--repo"), m_env.repo, QStringLiteral("--json")});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        QStringList timelines;
        const QJsonArray servers = QJsonDocument::fromJson(info.out.toUtf8()).object().value(QStringLiteral("servers")).toArray();
        for (const QJsonValue &tl : servers.at(0).toObject().value(QStringLiteral("timelines")).toArray())
            timelines << QString::number(tl.toObject().value(QStringLiteral("timeline")).toInt());
        QVERIFY2(timelines.contains(QStringLiteral("1")) && timelines.contains(QStringLiteral("2")), qPrintable(info.out));

        // Every recorded state differs from every other: a restore that stops one step early or late,
        // or on the wrong timeline, cannot match.
        QStringList all;
        for (const auto &m : s)
            all << m.state;
        for (const auto &m : during)
            if (m.state != s[0].state)
                all << m.state;
        for (int k = 1; k < t.size(); ++k)
            all << t[k].state;
        for (int i = 0; i < all.size(); ++i)
            for (int j = i + 1; j < all.size(); ++j)
                QVERIFY2(all[i] != all[j], qPrintable(QStringLiteral("states %1 and %2 are equal").arg(i).arg(j)));
        for (const auto &m : during)
            m_tagOfState[m.state] = m.tag;
        for (const auto &m : s)
            m_tagOfState[m.state] = m.tag;
        for (const auto &m : t)
            m_tagOfState[m.state] = m.tag;

        // Timeline 1, before the branch, default timeline (latest: recovery must stop before the switch).
        addTarget(QStringLiteral("tl1-immediate"), Kind::Immediate, {}, s[0].state, 1);
        addTarget(QStringLiteral("tl1-time-s1"), Kind::Time, s[1].time, s[1].state, 1);
        addTarget(QStringLiteral("tl1-xid-s2"), Kind::Xid, s[2].xid, s[2].state, 1);
        addTarget(QStringLiteral("tl1-xid-s2-exclusive"), Kind::Xid, s[2].xid, s[1].state, 1, {}, true);
        addTarget(QStringLiteral("tl1-lsn-s2"), Kind::Lsn, s[2].lsn, s[2].state, 1);
        addTarget(QStringLiteral("tl1-name-branch"), Kind::Name, QStringLiteral("pitr_branch"), s[3].state, 1);
        // Timeline 1 after the branch: only reachable when recovery stays on timeline 1.
        addTarget(QStringLiteral("tl1-name-s4-tl1"), Kind::Name, QStringLiteral("tl1_after_s4"), s[4].state, 1, QStringLiteral("1"));
        addTarget(QStringLiteral("tl1-time-s5-tl1"), Kind::Time, s[5].time, s[5].state, 1, QStringLiteral("1"));
        addTarget(QStringLiteral("tl1-xid-s5-tl1"), Kind::Xid, s[5].xid, s[5].state, 1, QStringLiteral("1"));
        addTarget(QStringLiteral("tl1-lsn-s6-current"), Kind::Lsn, s[6].lsn, s[6].state, 1, QStringLiteral("current"));
        // Timeline 2.
        addTarget(QStringLiteral("tl2-immediate-latest"), Kind::Immediate, {}, s[0].state, 2, QStringLiteral("latest"));
        addTarget(QStringLiteral("tl2-time-t1"), Kind::Time, t[1].time, t[1].state, 2, QStringLiteral("2"));
        addTarget(QStringLiteral("tl2-xid-t2"), Kind::Xid, t[2].xid, t[2].state, 2, QStringLiteral("2"));
        addTarget(QStringLiteral("tl2-name-t2-latest"), Kind::Name, QStringLiteral("tl2_after_t2"), t[2].state, 2, QStringLiteral("latest"));
        addTarget(QStringLiteral("tl2-lsn-t3"), Kind::Lsn, t[3].lsn, t[3].state, 2, QStringLiteral("2"));
        addTarget(QStringLiteral("tl2-xid-t4-exclusive-latest"), Kind::Xid, t[4].xid, t[3].state, 2, QStringLiteral("latest"), true);
        addTarget(QStringLiteral("tl2-time-t4-promote"), Kind::Time, t[4].time, t[4].state, 2, QStringLiteral("latest"), false,
                  QStringLiteral("promote"));
        QVERIFY(m_targets.size() >= 10);
        m_ready = true;
    }

    void restores_data()
    {
        QTest::addColumn<int>("index");
        if (!m_ready || m_targets.isEmpty())
            QTest::newRow("no-workload") << -1;
        for (int i = 0; m_ready && i < m_targets.size(); ++i)
            QTest::newRow(qPrintable(m_targets[i].label)) << i;
    }

    void restores()
    {
        QFETCH(int, index);
        if (index < 0)
            QFAIL("the workload did not complete (see workload())");
        const RecordedTarget &r = m_targets[index];
        QElapsedTimer timer;
        timer.start();
        QString skip;
        auto state = restoreAndRead(r.target, &skip);
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        QVERIFY2(state, failure(state).constData());
        qInfo("%s %s '%s' timeline %s: %lld ms", qPrintable(r.label), qPrintable(RecoveryTarget::kindName(r.target.kind)),
              qPrintable(r.target.value), qPrintable(r.target.timeline.isEmpty() ? QStringLiteral("default") : r.target.timeline),
              timer.elapsed());
        QVERIFY2(*state == r.expected,
                 qPrintable(QStringLiteral("restored to the state of step '%1', expected step '%2' (%3 vs %4)")
                                .arg(m_tagOfState.value(*state, QStringLiteral("none recorded")), m_tagOfState.value(r.expected),
                                     *state, r.expected)));
    }

    void cleanupTestCase() { m_src.reset(); }
};

QTEST_GUILESS_MAIN(TestPitr)
#include "tst_pitr.moc"
