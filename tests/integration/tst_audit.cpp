#include "CliRunner.h"
#include "TestCluster.h"
#include "engine/AuditCollector.h"
#include "pg/ClientTools.h"

#include <QtTest>

using namespace pga;
using audit::Finding;

// The configuration audit against real servers set up wrong on purpose. Misconfigurations are grouped
// per cluster to keep the number of clusters (and the run time) low.
class TestAudit : public QObject {
    Q_OBJECT
    std::unique_ptr<test::TestCluster> m_unsafe; // shared by unsafeSettings and unprivilegedRole

    static engine::AuditResult audit(const QString &conninfo)
    {
        NullProgressSink progress;
        CancelToken cancel;
        auto r = engine::AuditOperation(pg::ConnectOptions {conninfo}).run(progress, cancel);
        if (!r)
            qWarning("audit failed: %s", qPrintable(r.error().toString()));
        return r ? *r : engine::AuditResult {};
    }

    static QStringList ids(const QList<Finding> &findings)
    {
        QStringList out;
        for (const Finding &f : findings)
            out << f.id;
        return out;
    }

    static Finding finding(const engine::AuditResult &r, const QString &id)
    {
        for (const Finding &f : r.findings)
            if (f.id == id)
                return f;
        return {};
    }

    // Applies a fix as the superuser, the way the GUI's "Apply" button does.
    static engine::FixOutcome apply(test::TestCluster &c, const Finding &f)
    {
        auto conn = pg::Connection::connect({c.conninfo()});
        if (!conn) {
            qWarning("connect: %s", qPrintable(conn.error().toString()));
            return {};
        }
        auto r = engine::applyFix(**conn, f);
        if (!r)
            qWarning("applyFix(%s): %s", qPrintable(f.id), qPrintable(r.error().toString()));
        return r ? *r : engine::FixOutcome {};
    }

    // Changes configuration like a DBA would: ALTER SYSTEM, reload, and wait until it took.
    static bool reconfigure(test::TestCluster &c, const QString &sql)
    {
        Finding f;
        f.id = QStringLiteral("test");
        f.fixSql = sql;
        f.needs = audit::Needs::Reload;
        return apply(c, f).reloaded;
    }

    int cli(const QStringList &args, QJsonObject *json = nullptr, QString *text = nullptr)
    {
        QByteArray out, err;
        const int code = test::runCli(args, &out, &err);
        if (json)
            *json = QJsonDocument::fromJson(out).object();
        if (text)
            *text = QString::fromUtf8(out) + QString::fromUtf8(err);
        return code;
    }

    static QStringList jsonIds(const QJsonObject &report)
    {
        QStringList out;
        const QJsonArray a = report.value(QStringLiteral("findings")).toArray();
        for (const QJsonValue &v : a)
            out << v[QStringLiteral("id")].toString();
        return out;
    }

private slots:
    void initTestCase()
    {
        if (!pg::ClientTools::binDir())
            QSKIP("PostgreSQL is not installed");
        QVERIFY(QFileInfo(test::cliPath()).isExecutable());
    }

    void cliUsageAndUnreachable()
    {
        QString text;
        const int port = pg::pickFreePort();
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"),
                      QStringLiteral("host=127.0.0.1 port=%1 user=x connect_timeout=3").arg(port)},
                     nullptr, &text),
                 3);
        QVERIFY2(text.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(text));
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--server"), QStringLiteral("prod")}, nullptr, &text),
                 1);
        QVERIFY2(text.contains(QStringLiteral("no registered server named 'prod'")), qPrintable(text));
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), QStringLiteral("bogus=1")}), 64);
    }

    // wal_level=minimal, archive_mode=off, max_wal_senders=0, full_page_writes=off, fsync=off; then a
    // configuration file error and a restart-only change.
    void unsafeSettings()
    {
        QString why;
        test::TestCluster::Options o;
        o.conf = {QStringLiteral("wal_level = minimal"), QStringLiteral("archive_mode = off"),
                  QStringLiteral("max_wal_senders = 0"), QStringLiteral("full_page_writes = off")};
        m_unsafe = test::TestCluster::create(o, &why);
        if (!m_unsafe)
            QSKIP(qPrintable(why));
        test::TestCluster &c = *m_unsafe;

        auto r = audit(c.conninfo());
        for (const char *id : {"wal_level.minimal", "archive_mode.off", "max_wal_senders.zero", "full_page_writes.off",
                               "fsync.off", "data_checksums.off"})
            QVERIFY2(ids(r.findings).contains(QLatin1String(id)), id);
        // archive_mode off with no command: archive_mode.off says it all; a superuser sees everything.
        for (const QString &id : ids(r.findings))
            QVERIFY2(!id.startsWith(QLatin1String("archive_command.")) && !id.startsWith(QLatin1String("role.")),
                     qPrintable(id));
        QCOMPARE(r.snapshot.role.name, QStringLiteral("postgres"));
        QVERIFY(r.snapshot.fileSettingsReadable);
        QVERIFY(r.snapshot.archiveReadyCount >= 0);
        QVERIFY(r.snapshot.settings.value(QStringLiteral("wal_level"))
                    .sourceFile.endsWith(QLatin1String("postgresql.conf")));
        QCOMPARE(finding(r, QStringLiteral("wal_level.minimal")).needs, audit::Needs::Restart);
        QCOMPARE(finding(r, QStringLiteral("full_page_writes.off")).fixSql,
                 QStringLiteral("ALTER SYSTEM SET full_page_writes = 'on'"));

        // The CLI says the same, with exit code 2 for critical findings.
        QJsonObject report;
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), c.conninfo(), QStringLiteral("--json")},
                     &report),
                 2);
        QCOMPARE(jsonIds(report), ids(r.findings));
        const QJsonObject server = report.value(QStringLiteral("server")).toObject();
        QCOMPARE(server.value(QStringLiteral("version_num")).toInt() / 10000, 15);
        QVERIFY(!server.value(QStringLiteral("system_identifier")).toString().isEmpty());
        QString table;
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), c.conninfo()}, nullptr, &table), 2);
        QVERIFY2(table.contains(QStringLiteral("wal_level.minimal"))
                     && table.contains(QStringLiteral("ALTER SYSTEM SET")),
                 qPrintable(table));

        // Reloadable fixes take effect at once, and the re-audit no longer reports them.
        auto fpw = apply(c, finding(r, QStringLiteral("full_page_writes.off")));
        QVERIFY(fpw.reloaded);
        QVERIFY(!fpw.restartNeeded);
        QVERIFY(apply(c, finding(r, QStringLiteral("fsync.off"))).reloaded);
        r = audit(c.conninfo());
        QVERIFY(!ids(r.findings).contains(QStringLiteral("full_page_writes.off")));
        QVERIFY(!ids(r.findings).contains(QStringLiteral("fsync.off")));
        QVERIFY(ids(r.findings).contains(QStringLiteral("wal_level.minimal")));

        // A restart-only fix: applied, but the server says it waits for a restart.
        auto wl = apply(c, finding(r, QStringLiteral("wal_level.minimal")));
        QVERIFY(wl.restartNeeded);
        QVERIFY(wl.pendingRestart.contains(QStringLiteral("wal_level")));
        r = audit(c.conninfo());
        const Finding pending = finding(r, QStringLiteral("restart.pending"));
        QCOMPARE(pending.severity, audit::Severity::Warning);
        QVERIFY2(pending.title.contains(QStringLiteral("wal_level")), qPrintable(pending.title));
        QVERIFY(ids(r.findings).contains(QStringLiteral("wal_level.minimal"))); // still running with minimal
        QVERIFY(!ids(r.findings).contains(QStringLiteral("settings.file_error"))); // pending is not an error

        // An invalid value in postgresql.conf: the server keeps the old value and pg_file_settings says why.
        QVERIFY(c.appendConf({QStringLiteral("archive_timeout = 'soon'")}));
        QVERIFY(c.query(QStringLiteral("SELECT pg_reload_conf()")));
        r = audit(c.conninfo());
        const Finding fe = finding(r, QStringLiteral("settings.file_error"));
        QCOMPARE(fe.severity, audit::Severity::Critical);
        QCOMPARE(fe.setting, QStringLiteral("archive_timeout"));
        QVERIFY2(fe.title.contains(QStringLiteral("postgresql.conf")), qPrintable(fe.title));
        QVERIFY(fe.fixSql.isEmpty()); // postgresql.conf is edited by hand

        // In postgresql.auto.conf the fix is ALTER SYSTEM RESET, and it clears the error.
        {
            QFile autoConf(c.dataDir() + QStringLiteral("/postgresql.auto.conf"));
            QVERIFY(autoConf.open(QIODevice::Append));
            autoConf.write("max_wal_size = 'huge'\n");
        }
        r = audit(c.conninfo());
        Finding autoErr;
        for (const Finding &f : r.findings)
            if (f.id == QLatin1String("settings.file_error") && f.setting == QLatin1String("max_wal_size"))
                autoErr = f;
        QCOMPARE(autoErr.fixSql, QStringLiteral("ALTER SYSTEM RESET max_wal_size"));
        QVERIFY(apply(c, autoErr).reloaded);
        r = audit(c.conninfo());
        QStringList errorSettings;
        for (const Finding &f : r.findings)
            if (f.id == QLatin1String("settings.file_error"))
                errorSettings << f.setting;
        QCOMPARE(errorSettings, QStringList {QStringLiteral("archive_timeout")});
    }

    // A login role without privileges: findings say what it lacks, and granting it clears them.
    void unprivilegedRole()
    {
        if (!m_unsafe)
            QSKIP("no cluster");
        test::TestCluster &c = *m_unsafe;
        QVERIFY(c.createRole(QStringLiteral("app"), QStringLiteral("pw")));
        const QString asApp = c.conninfo() + QStringLiteral(" user=app");
        auto r = audit(asApp);
        QCOMPARE(r.snapshot.role.name, QStringLiteral("app"));
        QVERIFY(ids(r.findings).contains(QStringLiteral("role.no_replication")));
        QVERIFY(ids(r.findings).contains(QStringLiteral("role.cannot_read_settings")));
        QVERIFY(ids(r.findings).contains(QStringLiteral("archive_mode.off"))); // what it can see is still judged
        QCOMPARE(r.snapshot.archiveReadyCount, -1);
        QVERIFY(!r.snapshot.fileSettingsReadable);
        QVERIFY(!r.snapshot.settingSourcesVisible);

        QJsonObject report;
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), asApp, QStringLiteral("--json")}, &report),
                 2);
        const QJsonObject server = report.value(QStringLiteral("server")).toObject();
        QVERIFY(server.value(QStringLiteral("archive_ready_count")).isNull());
        QCOMPARE(server.value(QStringLiteral("role"))[QStringLiteral("name")].toString(), QStringLiteral("app"));

        // The fixes are SQL a superuser runs; then the role sees more and may take base backups.
        QVERIFY(apply(c, finding(r, QStringLiteral("role.cannot_read_settings")))
                    .pendingRestart.contains(QStringLiteral("wal_level")));
        apply(c, finding(r, QStringLiteral("role.no_replication")));
        r = audit(asApp);
        QVERIFY(!ids(r.findings).contains(QStringLiteral("role.cannot_read_settings")));
        QVERIFY(!ids(r.findings).contains(QStringLiteral("role.no_replication")));
        QVERIFY(r.snapshot.archiveReadyCount >= 0);
        QVERIFY(r.snapshot.settingSourcesVisible);

        // A cancelled audit stops with Cancelled, never with a half-filled snapshot.
        auto conn = pg::Connection::connect({asApp});
        QVERIFY(conn);
        CancelToken cancelled;
        cancelled.cancel();
        NullProgressSink progress;
        auto stopped = engine::AuditOperation(pg::ConnectOptions {asApp}).run(**conn, progress, cancelled);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, Error::Code::Cancelled);
        m_unsafe.reset();
    }

    // Archiving on, with an unsafe cp, no archive_timeout and a forgotten slot; then other bad commands.
    void archiveCommands()
    {
        QString why;
        test::TestCluster::Options o;
        o.start = false;
        o.fsync = true;
        o.initdbArgs = {QStringLiteral("--data-checksums")};
        auto cluster = test::TestCluster::create(o, &why);
        if (!cluster)
            QSKIP(qPrintable(why));
        test::TestCluster &c = *cluster;
        const QString arch = c.makeServerWritableDir(QStringLiteral("arch"));
        QVERIFY(c.appendConf(
            {QStringLiteral("archive_mode = on"), QStringLiteral("archive_command = 'cp %p %1/%f'").arg(arch)}));
        QVERIFY(c.start());
        QVERIFY(c.query(QStringLiteral("SELECT pg_create_physical_replication_slot('forgotten', true)")));

        auto r = audit(c.conninfo());
        QCOMPARE(ids(r.findings),
                 (QStringList {QStringLiteral("archive_command.overwrite"), QStringLiteral("archive_command.no_fsync"),
                               QStringLiteral("archive_timeout.zero"), QStringLiteral("slot.inactive")}));
        QCOMPARE(finding(r, QStringLiteral("slot.inactive")).setting, QStringLiteral("forgotten"));
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), c.conninfo()}), 1); // warnings only

        // The overwrite fix adds the existence check; the copy is still not durable.
        QVERIFY(apply(c, finding(r, QStringLiteral("archive_command.overwrite"))).reloaded);
        QVERIFY(apply(c, finding(r, QStringLiteral("archive_timeout.zero"))).reloaded);
        QVERIFY(!apply(c, finding(r, QStringLiteral("slot.inactive"))).restartNeeded);
        r = audit(c.conninfo());
        QCOMPARE(ids(r.findings), QStringList {QStringLiteral("archive_command.no_fsync")});
        QCOMPARE(r.snapshot.value(QStringLiteral("archive_command")),
                 QStringLiteral("test ! -f %1/%f && cp %p %1/%f").arg(arch));
        // A placeholder fix cannot be applied as it is.
        auto conn = pg::Connection::connect({c.conninfo()});
        QVERIFY(conn);
        QCOMPARE(engine::applyFix(**conn, finding(r, QStringLiteral("archive_command.no_fsync"))).error().code,
                 Error::Code::InvalidArgument);

        const QString durable = QStringLiteral("test ! -f %1/%f && cp %p %1/%f && sync %1/%f").arg(arch);
        QVERIFY(reconfigure(c, QStringLiteral("ALTER SYSTEM SET archive_command = '%1'").arg(durable)));
        QCOMPARE(ids(audit(c.conninfo()).findings), QStringList());
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), c.conninfo()}), 0);

        const struct {
            QString sql;
            const char *id;
        } cases[] = {
            {QStringLiteral("ALTER SYSTEM SET archive_timeout = 10"), "archive_timeout.short"},
            {QStringLiteral("ALTER SYSTEM SET archive_command = '/bin/true'"), "archive_command.noop"},
            {QStringLiteral("ALTER SYSTEM SET archive_command = 'test ! -f %1/backup_in_progress || "
                            "(test ! -f %1/%f && cp %p %1/%f)'")
                 .arg(arch),
             "archive_command.conditional"},
            {QStringLiteral("ALTER SYSTEM SET archive_command = 'cp %p %1/%f || true'").arg(arch),
             "archive_command.ignores_errors"},
            {QStringLiteral("ALTER SYSTEM SET archive_command = ''"), "archive_command.empty"},
        };
        for (const auto &k : cases) {
            QVERIFY2(reconfigure(c, k.sql), qPrintable(k.sql));
            r = audit(c.conninfo());
            QVERIFY2(ids(r.findings).contains(QLatin1String(k.id)),
                     qPrintable(k.sql + QStringLiteral(" -> ") + ids(r.findings).join(QLatin1Char(' '))));
        }
    }

    // An archive_command that fails: archiver.failing names the WAL file and the backlog grows. Fixing the
    // command (a reload) clears both once the archiver catches up.
    void failingArchiver()
    {
        QString why;
        test::TestCluster::Options o;
        o.start = false;
        o.initdbArgs = {QStringLiteral("--wal-segsize=1")}; // 1 MB segments: a backlog costs little disk
        auto cluster = test::TestCluster::create(o, &why);
        if (!cluster)
            QSKIP(qPrintable(why));
        test::TestCluster &c = *cluster;
        const QString arch = c.makeServerWritableDir(QStringLiteral("arch"));
        QVERIFY(c.appendConf(
            {QStringLiteral("archive_mode = on"), QStringLiteral("archive_timeout = 300"),
             QStringLiteral("archive_command = 'test ! -f %1/missing/%f && cp %p %1/missing/%f'").arg(arch)}));
        QVERIFY(c.start());
        QVERIFY(c.query(QStringLiteral("CREATE TABLE t (x int)")));
        QString last;
        for (int i = 0; i < 12; ++i) {
            QVERIFY(c.query(QStringLiteral("INSERT INTO t VALUES (1)")));
            last = c.switchWal();
        }
        QElapsedTimer t;
        t.start();
        while (c.scalar(QStringLiteral("SELECT coalesce(last_failed_wal, '') FROM pg_stat_archiver")).isEmpty()
               && t.elapsed() < 20000)
            QThread::msleep(100);

        auto r = audit(c.conninfo());
        const Finding failing = finding(r, QStringLiteral("archiver.failing"));
        QCOMPARE(failing.severity, audit::Severity::Critical);
        QVERIFY(!r.snapshot.archiver.lastFailedWal.isEmpty());
        QVERIFY2(failing.title.contains(r.snapshot.archiver.lastFailedWal), qPrintable(failing.title));
        QVERIFY2(r.snapshot.archiveReadyCount >= 10, qPrintable(QString::number(r.snapshot.archiveReadyCount)));
        QVERIFY(ids(r.findings).contains(QStringLiteral("archiver.backlog")));
        QJsonObject report;
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--conninfo"), c.conninfo(), QStringLiteral("--json")},
                     &report),
                 2);
        QVERIFY(jsonIds(report).contains(QStringLiteral("archiver.failing")));
        QVERIFY(report[QStringLiteral("server")][QStringLiteral("archive_ready_count")].toInt() >= 10);

        QVERIFY(reconfigure(
            c, QStringLiteral("ALTER SYSTEM SET archive_command = 'test ! -f %1/%f && cp %p %1/%f'").arg(arch)));
        QVERIFY(c.waitForArchived(last, 60000));
        r = audit(c.conninfo());
        QVERIFY2(!ids(r.findings).contains(QStringLiteral("archiver.failing")),
                 qPrintable(ids(r.findings).join(QLatin1Char(' '))));
        QVERIFY(!ids(r.findings).contains(QStringLiteral("archiver.backlog")));
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
