#include "app/RestoreService.h"

#include <QtTest>

using namespace pga;

// The restore wizard's "same restore from a shell": what it shows must be what the CLI would do.
class TestRestoreService : public QObject {
    Q_OBJECT
private slots:
    void commandLineMatchesTheRequest()
    {
        app::RestoreRequest r;
        r.source.name = QStringLiteral("db1");
        r.source.repoDir = QStringLiteral("/srv/backup repo");
        r.targetDir = QStringLiteral("/srv/restore");
        r.target.kind = engine::RecoveryTarget::Kind::Time;
        r.target.time = engine::RecoveryTarget::parseTime(QStringLiteral("2026-12-01 09:21:13.253117+01"), &r.target.timeMicros);
        r.target.exclusive = true;
        r.target.action = QStringLiteral("promote");
        r.tablespaceMap = {qMakePair(QStringLiteral("/ts/old"), QStringLiteral("/ts/new"))};
        r.start = true;
        QCOMPARE(app::RestoreService::restoreCommand(r),
                 QStringLiteral("pgarchivist-cli restore --repo '/srv/backup repo' --server db1 --target-dir /srv/restore --target-time "
                                "'2026-12-01 09:21:13.253117+01:00' --target-exclusive --target-action promote --tablespace-map /ts/old=/ts/new "
                                "--start"));
        r.target = {};
        r.target.kind = engine::RecoveryTarget::Kind::Name;
        r.target.text = QStringLiteral("before deploy");
        r.source.repoServer = QStringLiteral("main");
        r.backupId = QStringLiteral("20261201T000000Z-F");
        r.tablespaceMap.clear();
        r.start = false;
        QCOMPARE(app::RestoreService::restoreCommand(r),
                 QStringLiteral("pgarchivist-cli restore --repo '/srv/backup repo' --server main --target-dir /srv/restore --backup "
                                "20261201T000000Z-F --target-name 'before deploy'"));
        const engine::RestoreOptions o = app::RestoreService::restoreOptions(r);
        QCOMPARE(o.server, QStringLiteral("main"));
        QCOMPARE(o.backupId, r.backupId);
        QCOMPARE(o.target.text, QStringLiteral("before deploy"));
    }

    void scratchDirectoryNamesTheSourceAndTheMoment()
    {
        app::ServerEntry e;
        e.name = QStringLiteral("orders/eu 1");
        const QString d = app::RestoreService::scratchDir(e, QDateTime(QDate(2026, 12, 1), QTime(9, 30, 5), Qt::UTC));
        QVERIFY2(d.endsWith(QStringLiteral("/pgarchivist/scratch/orders_eu_1-20261201T093005")), qPrintable(d));
    }
};

QTEST_GUILESS_MAIN(TestRestoreService)
#include "tst_restoreservice.moc"
