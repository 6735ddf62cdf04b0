#include "core/ArchiveCommand.h"
#include "core/AuditJson.h"
#include "core/AuditRules.h"

#include "AuditFixture.h"

#include <QtTest>

using namespace pga;
using namespace pga::audit;
using namespace pga::test;

class TestAuditRules : public QObject {
    Q_OBJECT

private slots:
    void healthyServerHasNoFindings()
    {
        const auto f = runAuditRules(healthy());
        QVERIFY2(f.isEmpty(), qPrintable(ids(f).join(QLatin1Char(' '))));
    }

    void classifier_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("overwrites");
        QTest::addColumn<bool>("notDurable");
        QTest::addColumn<bool>("conditional");
        QTest::addColumn<bool>("ignoresErrors");

        auto row = [](const char *cmd, const char *kind, bool ow, bool nd, bool cond, bool ign = false) {
            QTest::newRow(cmd) << QString::fromUtf8(cmd) << QString::fromLatin1(kind) << ow << nd << cond << ign;
        };
        row("", "empty", false, false, false);
        row("   ", "empty", false, false, false);
        // Success without storing anything.
        row("/bin/true", "noop", false, false, false);
        row("true", "noop", false, false, false);
        row("exit 0", "noop", false, false, false);
        row(":", "noop", false, false, false);
        row("/usr/bin/true %p", "noop", false, false, false);
        row("echo %f >> /tmp/archived.log", "noop", false, false, false);
        row("sh -c 'exit 0'", "noop", false, false, false);
        row("logger archived %f; exit 0", "noop", false, false, false);
        // Not a noop: it fails, and the archiver keeps the WAL.
        row("exit 1", "custom", false, false, false);
        row("/bin/false", "custom", false, false, false);
        // Plain copies.
        row("cp %p /a/%f", "copy", true, true, false);
        row("test ! -f /a/%f && cp %p /a/%f", "copy", false, true, false);
        row("[ ! -f /a/%f ] && cp %p /a/%f", "copy", false, true, false);
        row("test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f && sync /mnt/server/archivedir/%f",
            "copy", false, false, false);
        row("cp -n %p /a/%f", "copy", false, true, false);
        row("cp --no-clobber %p /a/%f", "copy", false, true, false);
        row("rsync -a %p host:/a/%f", "copy", true, true, false);
        row("rsync -a --ignore-existing %p backup@host:/a/%f", "copy", false, true, false);
        row("rsync -a --fsync %p /a/%f", "copy", true, false, false);
        row("scp %p archive@backup:/wal/%f", "copy", true, true, false);
        row("ssh backup \"test ! -f /wal/%f\" && scp %p backup:/wal/%f", "copy", false, true, false);
        row("dd if=%p of=/a/%f conv=fsync", "copy", true, false, false);
        row("gzip < %p > /a/%f.gz", "copy", true, true, false);
        row("set -C; gzip -c %p > /a/%f.gz", "copy", false, true, false);
        row("cat %p > /a/%f", "copy", true, true, false);
        row("sudo -u postgres cp %p /a/%f", "copy", true, true, false);
        row("bash -c \"test ! -f /a/%f && cp %p /a/%f\"", "copy", false, true, false);
        row("cp %p /a/%f 2>/dev/null", "copy", true, true, false);
        // The backup_in_progress recipe from the PostgreSQL documentation, and variants.
        row("test ! -f /var/lib/pgsql/backup_in_progress || (test ! -f /var/lib/pgsql/archive/%f && cp %p "
            "/var/lib/pgsql/archive/%f)",
            "copy", false, true, true);
        row("if [ -f /x/backup_in_progress ]; then cp %p /a/%f; fi", "copy", true, true, true);
        row("[ -e /etc/archiving.on ] && pgbackrest --stanza=main archive-push %p", "known_tool", false, false, true);
        // Purpose-built tools: safe.
        row("pgbackrest --stanza=main archive-push %p", "known_tool", false, false, false);
        row("/usr/bin/pgbackrest --stanza=main archive-push %p", "known_tool", false, false, false);
        row("barman-wal-archive backup-host main %p", "known_tool", false, false, false);
        row("barman-cloud-wal-archive s3://bucket/barman main %p", "known_tool", false, false, false);
        row("wal-g wal-push %p", "known_tool", false, false, false);
        row("envdir /etc/wal-g/env wal-g wal-push %p", "known_tool", false, false, false);
        row("envdir /etc/wal-e.d/env wal-e wal-push %p", "known_tool", false, false, false);
        row("pg_probackup-15 archive-push -B /backup --instance main --wal-file-name=%f", "known_tool", false, false,
            false);
        row("pgarchivist-cli archive-push --repo /srv/repo --server main %p", "known_tool", false, false, false);
        row("/usr/bin/pgarchivist-cli archive-push --repo '/srv/my repo' --server main %p", "known_tool", false, false,
            false);
        // Copies to /dev/null store nothing; stdout to /dev/null is only quiet.
        row("cp %p /dev/null", "noop", false, false, false);
        row("cat %p > /dev/null", "noop", false, false, false);
        row("test ! -f /a/%f && cp %p /a/%f && sync > /dev/null", "copy", false, false, false);
        // Failures that still report success.
        row("cp %p /a/%f || true", "copy", true, true, false, true);
        row("test ! -f /a/%f && cp %p /a/%f; exit 0", "copy", false, true, false, true);
        row("(test ! -f /a/%f && cp %p /a/%f && sync) || /bin/true", "copy", false, false, false, true);
        row("pgbackrest --stanza=main archive-push %p; echo archived %f", "known_tool", false, false, false, true);
        row("test ! -f /a/%f && cp %p /a/%f && echo copied", "copy", false, true, false, false);
        row("if [ -f /x/on ]; then cp %p /a/%f; fi; exit 0", "copy", true, true, true, true);
        // Scripts we cannot judge.
        row("/usr/local/bin/archive_wal.sh %p %f", "custom", false, false, false);
        row("wal-g backup-push /data", "custom", false, false, false);
    }

    void classifier()
    {
        QFETCH(QString, command);
        QFETCH(QString, kind);
        QFETCH(bool, overwrites);
        QFETCH(bool, notDurable);
        QFETCH(bool, conditional);
        QFETCH(bool, ignoresErrors);
        const ArchiveCommandAnalysis a = analyzeArchiveCommand(command);
        QCOMPARE(a.ignoresErrors, ignoresErrors);
        QCOMPARE(archiveCommandKindName(a.kind), kind);
        QCOMPARE(a.overwrites(), overwrites);
        QCOMPARE(a.notDurable(), notDurable);
        QCOMPARE(a.conditional, conditional);
    }

    void classifierFindsDestinationAndSwitchFile()
    {
        QCOMPARE(analyzeArchiveCommand(QStringLiteral("cp %p /a/%f")).destination, QStringLiteral("/a/%f"));
        QCOMPARE(analyzeArchiveCommand(QStringLiteral("gzip < %p > /a/%f.gz")).destination, QStringLiteral("/a/%f.gz"));
        QCOMPARE(analyzeArchiveCommand(QStringLiteral("if [ -f /x/backup_in_progress ]; then cp %p /a/%f; fi"))
                     .conditionFile,
                 QStringLiteral("/x/backup_in_progress"));
        QCOMPARE(analyzeArchiveCommand(QStringLiteral("rsync -a %p host:/a/%f")).tool, QStringLiteral("rsync"));
    }

    void shellSplitting()
    {
        const auto c
            = splitShellCommands(QStringLiteral("test ! -f '/my dir/%f' && cp \"%p\" /my\\ dir/%f; echo ok >&2"));
        QCOMPARE(c.size(), 3);
        QCOMPARE(c.at(0),
                 (QStringList {QStringLiteral("test"), QStringLiteral("!"), QStringLiteral("-f"),
                               QStringLiteral("/my dir/%f")}));
        QCOMPARE(c.at(1), (QStringList {QStringLiteral("cp"), QStringLiteral("%p"), QStringLiteral("/my dir/%f")}));
        QCOMPARE(c.at(2), (QStringList {QStringLiteral("echo"), QStringLiteral("ok")}));
    }

    // One scenario per rule id: change the healthy snapshot, expect exactly that finding.
    void eachRule_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("severity");
        QTest::addColumn<QString>("needs");
        QTest::addColumn<int>("scenario");
        int i = 0;
        auto row = [&](const char *id, const char *sev, const char *needs) {
            QTest::newRow(id) << QString::fromLatin1(id) << QString::fromLatin1(sev) << QString::fromLatin1(needs)
                              << i++;
        };
        row("wal_level.minimal", "critical", "restart");
        row("archive_mode.off", "critical", "restart");
        row("archive_command.empty", "critical", "reload");
        row("archive_command.noop", "critical", "reload");
        row("archive_command.ignores_errors", "critical", "reload");
        row("archive_command.overwrite", "warning", "reload");
        row("archive_command.no_fsync", "warning", "reload");
        row("archive_command.conditional", "warning", "reload");
        row("archive_timeout.zero", "warning", "reload");
        row("archive_timeout.short", "info", "reload");
        row("archiver.failing", "critical", "none");
        row("archiver.backlog", "warning", "none");
        row("full_page_writes.off", "critical", "reload");
        row("fsync.off", "critical", "reload");
        row("data_checksums.off", "info", "none");
        row("max_wal_senders.zero", "warning", "restart");
        row("slot.inactive", "warning", "none");
        row("restart.pending", "warning", "restart");
        row("settings.file_error", "critical", "reload");
        row("role.no_replication", "warning", "none");
        row("role.cannot_read_settings", "warning", "none");
    }

    void eachRule()
    {
        QFETCH(QString, id);
        QFETCH(QString, severity);
        QFETCH(QString, needs);
        AuditSnapshot s = healthy();
        const QString ac = QStringLiteral("archive_command");
        if (id == QLatin1String("wal_level.minimal"))
            set(s, QStringLiteral("wal_level"), QStringLiteral("minimal"));
        else if (id == QLatin1String("archive_mode.off"))
            set(s, QStringLiteral("archive_mode"), QStringLiteral("off"));
        else if (id == QLatin1String("archive_command.empty"))
            set(s, ac, QString());
        else if (id == QLatin1String("archive_command.noop"))
            set(s, ac, QStringLiteral("/bin/true"));
        else if (id == QLatin1String("archive_command.ignores_errors"))
            set(s, ac, QStringLiteral("pgbackrest --stanza=main archive-push %p || true"));
        else if (id == QLatin1String("archive_command.overwrite"))
            set(s, ac, QStringLiteral("cp %p /a/%f && sync"));
        else if (id == QLatin1String("archive_command.no_fsync"))
            set(s, ac, QStringLiteral("test ! -f /a/%f && cp %p /a/%f"));
        else if (id == QLatin1String("archive_command.conditional"))
            set(s, ac, QStringLiteral("test ! -f /x/backup_in_progress || pgbackrest --stanza=m archive-push %p"));
        else if (id == QLatin1String("archive_timeout.zero"))
            set(s, QStringLiteral("archive_timeout"), QStringLiteral("0"));
        else if (id == QLatin1String("archive_timeout.short"))
            set(s, QStringLiteral("archive_timeout"), QStringLiteral("10"));
        else if (id == QLatin1String("archiver.failing")) {
            s.archiver.lastFailedWal = QStringLiteral("00000001000000000000000D");
            s.archiver.lastFailedTime = s.collectedAt.addSecs(-5);
            s.archiver.failedCount = 3;
        } else if (id == QLatin1String("archiver.backlog"))
            s.archiveReadyCount = 25;
        else if (id == QLatin1String("full_page_writes.off"))
            set(s, QStringLiteral("full_page_writes"), QStringLiteral("off"));
        else if (id == QLatin1String("fsync.off"))
            set(s, QStringLiteral("fsync"), QStringLiteral("off"));
        else if (id == QLatin1String("data_checksums.off"))
            s.dataChecksums = false;
        else if (id == QLatin1String("max_wal_senders.zero"))
            set(s, QStringLiteral("max_wal_senders"), QStringLiteral("0"));
        else if (id == QLatin1String("slot.inactive"))
            s.replicationSlots << ReplicationSlot {
                QStringLiteral("old_standby"), QStringLiteral("physical"), {},       false, false,
                QStringLiteral("0/3000000"),   QStringLiteral("reserved"), 512 << 20};
        else if (id == QLatin1String("restart.pending"))
            s.settings[QStringLiteral("archive_mode")].pendingRestart = true;
        else if (id == QLatin1String("settings.file_error"))
            s.fileErrors << FileSettingError {QStringLiteral("/data/postgresql.auto.conf"), 3,
                                              QStringLiteral("archive_timeout"), QStringLiteral("abc"),
                                              QStringLiteral("setting could not be applied")};
        else if (id == QLatin1String("role.no_replication"))
            s.role = {QStringLiteral("auditor"), false, false, true, true};
        else if (id == QLatin1String("role.cannot_read_settings"))
            s.role = {QStringLiteral("auditor"), false, true, false, false};

        const auto findings = runAuditRules(s);
        QCOMPARE(ids(findings), QStringList {id});
        const Finding &f = findings.first();
        QCOMPARE(severityName(f.severity), severity);
        QCOMPARE(needsName(f.needs), needs);
        QVERIFY(!f.title.isEmpty());
        QVERIFY(f.detail.size() > 40); // says why it matters
        if (f.needs == Needs::Reload && f.id != QLatin1String("settings.file_error") && !fixNeedsInput(f))
            QVERIFY2(f.fixSql.startsWith(QLatin1String("ALTER SYSTEM SET ")), qPrintable(f.fixSql));
        // The severity reflects in the CLI's exit code; the ids are stable and listed.
        QVERIFY(allFindingIds().contains(f.id));
    }

    void fixesAreRightForTheirFinding()
    {
        AuditSnapshot s = healthy();
        set(s, QStringLiteral("archive_command"), QStringLiteral("cp %p /mnt/wal/%f"));
        set(s, QStringLiteral("archive_timeout"), QStringLiteral("0"));
        const auto f = runAuditRules(s);
        const Finding *ow = find(f, QStringLiteral("archive_command.overwrite"));
        QVERIFY(ow);
        // A plain cp gets the smallest fix that works: the existence check, runnable as it is.
        QCOMPARE(ow->fixSql,
                 QStringLiteral("ALTER SYSTEM SET archive_command = 'test ! -f /mnt/wal/%f && cp %p /mnt/wal/%f'"));
        QVERIFY(!fixNeedsInput(*ow));
        QVERIFY(analyzeArchiveCommand(ow->recommended).existenceCheck);
        const Finding *nf = find(f, QStringLiteral("archive_command.no_fsync"));
        QVERIFY(nf);
        QVERIFY(fixNeedsInput(*nf)); // our archive-push, with <repo> and <server> to fill in
        QCOMPARE(find(f, QStringLiteral("archive_timeout.zero"))->fixSql,
                 QStringLiteral("ALTER SYSTEM SET archive_timeout = '5min'"));
        QCOMPARE(find(f, QStringLiteral("archive_timeout.zero"))->current, QStringLiteral("0s"));
    }

    void archiverFailingNamesTheWalFile()
    {
        AuditSnapshot s = healthy();
        s.archiver.lastFailedWal = QStringLiteral("00000001000000000000000D");
        s.archiver.lastFailedTime = s.archiver.lastArchivedTime.addSecs(1);
        auto f = runAuditRules(s);
        QCOMPARE(ids(f), QStringList {QStringLiteral("archiver.failing")});
        QVERIFY(f.first().title.contains(QStringLiteral("00000001000000000000000D")));
        // An old failure followed by success is history, not a finding.
        s.archiver.lastFailedTime = s.archiver.lastArchivedTime.addSecs(-1);
        QVERIFY(runAuditRules(s).isEmpty());
        // Never archived, failed once.
        s.archiver.lastArchivedTime = {};
        QCOMPARE(ids(runAuditRules(s)), QStringList {QStringLiteral("archiver.failing")});
    }

    void slotSeverityFollowsWalStatus()
    {
        AuditSnapshot s = healthy();
        ReplicationSlot active {QStringLiteral("standby1"),  QStringLiteral("physical"), {}, true, false,
                                QStringLiteral("0/3000000"), QStringLiteral("reserved"), 0};
        s.replicationSlots << active;
        QVERIFY(runAuditRules(s).isEmpty()); // an active slot that keeps up is fine
        s.replicationSlots.first().walStatus = QStringLiteral("extended");
        QCOMPARE(runAuditRules(s).first().severity, Severity::Warning);
        s.replicationSlots.first().walStatus = QStringLiteral("lost");
        QCOMPARE(runAuditRules(s).first().severity, Severity::Critical);
        QCOMPARE(runAuditRules(s).first().fixSql, QStringLiteral("SELECT pg_drop_replication_slot('standby1')"));
    }

    void hiddenSettingsStaySilent()
    {
        // A role that sees nothing gets one finding telling it so, not a false "archive_mode.off".
        AuditSnapshot s;
        s.dataChecksums = true;
        s.role = {QStringLiteral("app"), false, true, false, false};
        s.hiddenSettings = {QStringLiteral("archive_command")};
        QCOMPARE(ids(runAuditRules(s)), QStringList {QStringLiteral("role.cannot_read_settings")});
        QVERIFY(runAuditRules(s).first().detail.contains(QStringLiteral("archive_command")));
        QVERIFY(runAuditRules(s).first().detail.contains(QStringLiteral("pg_monitor")));
    }

    void archiveLibraryReplacesCommand()
    {
        AuditSnapshot s = healthy();
        set(s, QStringLiteral("archive_command"), QString());
        set(s, QStringLiteral("archive_library"), QStringLiteral("basic_archive"));
        QVERIFY(runAuditRules(s).isEmpty());
    }

    void standbyArchivesOnlyWithAlways()
    {
        AuditSnapshot s = healthy();
        s.inRecovery = true;
        set(s, QStringLiteral("archive_command"), QString());
        set(s, QStringLiteral("archive_timeout"), QStringLiteral("0"));
        QVERIFY(runAuditRules(s).isEmpty()); // archive_mode = on: the primary archives, not this standby
        set(s, QStringLiteral("archive_mode"), QStringLiteral("always"));
        QCOMPARE(ids(runAuditRules(s)),
                 (QStringList {QStringLiteral("archive_command.empty"), QStringLiteral("archive_timeout.zero")}));
    }

    void mostSevereFirst()
    {
        AuditSnapshot s = healthy();
        s.dataChecksums = false;
        set(s, QStringLiteral("archive_timeout"), QStringLiteral("0"));
        set(s, QStringLiteral("fsync"), QStringLiteral("off"));
        QCOMPARE(ids(runAuditRules(s)),
                 (QStringList {QStringLiteral("fsync.off"), QStringLiteral("archive_timeout.zero"),
                               QStringLiteral("data_checksums.off")}));
    }

    void sqlQuoting()
    {
        QCOMPARE(sqlLiteral(QStringLiteral("it's")), QStringLiteral("'it''s'"));
        QCOMPARE(sqlIdentifier(QStringLiteral("we\"ird")), QStringLiteral("\"we\"\"ird\""));
    }

    void jsonRoundTrip()
    {
        AuditSnapshot s = healthy();
        s.dataChecksums = false;
        s.archiveReadyCount = -1;
        s.settings[QStringLiteral("archive_mode")].pendingRestart = true;
        s.replicationSlots << ReplicationSlot {QStringLiteral("s1"),
                                               QStringLiteral("logical"),
                                               QStringLiteral("app"),
                                               false,
                                               false,
                                               QStringLiteral("0/1"),
                                               QStringLiteral("extended"),
                                               123};
        s.fileErrors << FileSettingError {QStringLiteral("/d/postgresql.conf"), 7, QStringLiteral("bogus"),
                                          QStringLiteral("1"), QStringLiteral("unrecognized configuration parameter")};
        s.hiddenSettings = {QStringLiteral("x")};
        s.replicasReadable = true;
        s.replicas << Replica{QStringLiteral("standby1"), QStringLiteral("streaming"), QStringLiteral("sync"), false, QStringLiteral("10.0.0.6")};
        s.archiver.lastFailedTime = s.collectedAt.addMSecs(-1500);
        const AuditRecord rec {s, runAuditRules(s)};
        const QJsonObject json = auditRecordToJson(rec);
        auto back = auditRecordFromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
        QVERIFY(back->snapshot == s);
        QCOMPARE(back->findings.size(), rec.findings.size());
        for (int i = 0; i < rec.findings.size(); ++i)
            QVERIFY2(back->findings.at(i) == rec.findings.at(i), qPrintable(rec.findings.at(i).id));

        QJsonObject wrong = json;
        wrong.insert(QStringLiteral("format"), 99);
        QCOMPARE(auditRecordFromJson(wrong).error().code, Error::Code::Unsupported);
    }

    void reportHasTheContractFields()
    {
        AuditSnapshot s = healthy();
        set(s, QStringLiteral("fsync"), QStringLiteral("off"));
        s.archiveReadyCount = -1;
        const QJsonObject r = auditReportToJson(s, runAuditRules(s));
        const QJsonObject server = r.value(QStringLiteral("server")).toObject();
        QCOMPARE(server.value(QStringLiteral("system_identifier")).toString(), QStringLiteral("7312345678901234567"));
        QCOMPARE(server.value(QStringLiteral("version_num")).toInt(), 150004);
        QVERIFY(server.value(QStringLiteral("archive_ready_count")).isNull());
        const QJsonArray findings = r.value(QStringLiteral("findings")).toArray();
        QCOMPARE(findings.size(), 1);
        QStringList keys = findings.first().toObject().keys();
        keys.sort();
        QCOMPARE(keys,
                 (QStringList {QStringLiteral("current"), QStringLiteral("detail"), QStringLiteral("fix_sql"),
                               QStringLiteral("id"), QStringLiteral("needs"), QStringLiteral("recommended"),
                               QStringLiteral("severity"), QStringLiteral("title")}));
        QCOMPARE(findings.first()[QStringLiteral("needs")].toString(), QStringLiteral("reload"));
        QCOMPARE(findings.first()[QStringLiteral("severity")].toString(), QStringLiteral("critical"));
    }

    void diffNamesChangedArchiveSettings()
    {
        const AuditSnapshot before = healthy();
        AuditSnapshot after = healthy();
        set(after, QStringLiteral("archive_command"), QStringLiteral("/bin/true"));
        set(after, QStringLiteral("archive_timeout"), QStringLiteral("60"));
        set(after, QStringLiteral("work_mem"), QStringLiteral("64MB")); // not archive-related: ignored
        after.settings.remove(QStringLiteral("fsync")); // hidden from the role this time
        const auto d = diffArchiveSettings(before, after);
        QCOMPARE(d.size(), 3);
        QCOMPARE(d.at(0),
                 (SettingChange {QStringLiteral("archive_command"),
                                 QStringLiteral("pgarchivist-cli archive-push --repo /srv/repo --server main %p"),
                                 QStringLiteral("/bin/true"), true, true}));
        QCOMPARE(d.at(1),
                 (SettingChange {QStringLiteral("archive_timeout"), QStringLiteral("300"), QStringLiteral("60"), true,
                                 true}));
        QCOMPARE(d.at(2), (SettingChange {QStringLiteral("fsync"), QStringLiteral("on"), QString(), true, false}));
        QVERIFY(diffArchiveSettings(before, before).isEmpty());

        const auto fd = diffFindings(runAuditRules(before), runAuditRules(after));
        QCOMPARE(ids(fd.added), QStringList {QStringLiteral("archive_command.noop")});
        QVERIFY(fd.resolved.isEmpty());
        QCOMPARE(ids(diffFindings(runAuditRules(after), runAuditRules(before)).resolved),
                 QStringList {QStringLiteral("archive_command.noop")});
    }
};

QTEST_GUILESS_MAIN(TestAuditRules)
#include "tst_auditrules.moc"
