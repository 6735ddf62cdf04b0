#include "core/TimeText.h"
#include "engine/Restore.h"

#include <QtTest>

using pga::engine::RecoveryTarget;

// How a target time the user typed reaches recovery_target_time: zone and every digit kept.
class TestRecoveryTarget : public QObject {
    Q_OBJECT
private slots:
    void keepsMicroseconds_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("written");
        QTest::addColumn<qint64>("utcUs");
        // As pg_xact_commit_timestamp / clock_timestamp() print it: six digits, short offset.
        QTest::newRow("psql") << "2026-11-25 23:16:42.786437+05:30" << "2026-11-25 23:16:42.786437+05:30"
                              << Q_INT64_C(1795628802786437);
        QTest::newRow("iso-T-Z") << "2026-11-25T17:46:42.786437Z" << "2026-11-25 17:46:42.786437+00:00" << Q_INT64_C(1795628802786437);
        QTest::newRow("ms") << "2026-11-25 18:46:42.786+01" << "2026-11-25 18:46:42.786000+01:00" << Q_INT64_C(1795628802786000);
        QTest::newRow("one-digit") << "2026-11-25 18:46:42.7+0100" << "2026-11-25 18:46:42.700000+01:00" << Q_INT64_C(1795628802700000);
        QTest::newRow("nanoseconds") << "2026-11-25 17:46:42.7864379+00" << "2026-11-25 17:46:42.786437+00:00" << Q_INT64_C(1795628802786437);
        QTest::newRow("whole-second") << "2026-11-25 12:46:42-05" << "2026-11-25 12:46:42.000000-05:00" << Q_INT64_C(1795628802000000);
    }
    void keepsMicroseconds()
    {
        QFETCH(QString, typed);
        QFETCH(QString, written);
        QFETCH(qint64, utcUs);
        RecoveryTarget t;
        t.kind = RecoveryTarget::Kind::Time;
        t.time = RecoveryTarget::parseTime(typed, &t.timeMicros);
        QVERIFY(t.time.isValid());
        QCOMPARE(RecoveryTarget::formatTime(t.time, t.timeMicros), written);
        QCOMPARE(t.timeUs(), utcUs);
    }

    void noZoneMeansLocalSaidExplicitly()
    {
        // The suite runs this test in São Paulo (UTC-3): a local time gets that offset, written out.
        int micros = -1;
        const QDateTime d = RecoveryTarget::parseTime(QStringLiteral("2026-11-25 10:00:00.000001"), &micros);
        QVERIFY(d.isValid());
        QCOMPARE(micros, 1);
        QCOMPARE(RecoveryTarget::formatTime(d, micros), QStringLiteral("2026-11-25 10:00:00.000001-03:00"));
    }

    void shownTimesKeepMicrosecondsAndZone()
    {
        QCOMPARE(pga::timestampText(Q_INT64_C(1795628802786437), QTimeZone("Europe/Berlin")), QStringLiteral("2026-11-25 18:46:42.786437+01:00"));
        QCOMPARE(pga::timestampText(Q_INT64_C(1783000000000001), QTimeZone("Europe/Berlin")), QStringLiteral("2026-07-02 15:46:40.000001+02:00"));
        QCOMPARE(pga::timestampText(Q_INT64_C(1795628802786437), QTimeZone("Asia/Kolkata")), QStringLiteral("2026-11-25 23:16:42.786437+05:30"));
        QCOMPARE(pga::localTimestampText(Q_INT64_C(1795628802786437)), QStringLiteral("2026-11-25 14:46:42.786437-03:00"));  // São Paulo
        QCOMPARE(pga::isoUtcUs(Q_INT64_C(1795628802786437)), QStringLiteral("2026-11-25T17:46:42.786437Z"));
        QCOMPARE(pga::isoUtcUs(Q_INT64_C(-1)), QStringLiteral("1969-12-31T23:59:59.999999Z"));
    }

    void windowEndTypedBackIsTheLastCommit_data()
    {
        QTest::addColumn<qint64>("commitUs");
        QTest::newRow("late-in-ms") << Q_INT64_C(1795628802786999);
        QTest::newRow("early-in-ms") << Q_INT64_C(1795628802786001);
        QTest::newRow("whole-second") << Q_INT64_C(1795628802000000);
    }
    void windowEndTypedBackIsTheLastCommit()
    {
        // Issue 9: the recoverable window's end is the last commit's time. Shown cut to the millisecond and typed
        // back as --target-time, it fell before that commit, and recovery (rightly) stopped before it.
        QFETCH(qint64, commitUs);
        for (const char *zone : {"Europe/Berlin", "Pacific/Auckland", "America/Sao_Paulo"}) {
            const QString shown = pga::timestampText(commitUs, QTimeZone(zone));
            RecoveryTarget t;
            t.time = RecoveryTarget::parseTime(shown, &t.timeMicros);
            QVERIFY2(t.time.isValid(), qPrintable(shown));
            QCOMPARE(t.timeUs(), commitUs);
        }
    }

    void rejectsWhatIsNotATime()
    {
        for (const char *bad : {"yesterday", "2026-13-01 00:00:00+00", "2026-11-25 25:00:00+00", ""})
            QVERIFY2(!RecoveryTarget::parseTime(QString::fromLatin1(bad)).isValid(), bad);
    }
};

QTEST_GUILESS_MAIN(TestRecoveryTarget)
#include "tst_recoverytarget.moc"
