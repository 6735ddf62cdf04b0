#include "core/CalendarSpec.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

using pga::CalendarSpec;

namespace {

QDateTime utc(const char *text) { return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toUTC(); }

// What `systemd-analyze calendar` answers, in UTC: the reference the schedules must agree with. It runs in the
// test's zone (Tokyo), so a spec without a zone means the same to both; it then prints each run "(in UTC)" too.
QList<QDateTime> systemdRuns(const QString &spec, const QDateTime &base, int count, QString *normalized)
{
    QProcess p;
    p.start(QStringLiteral("systemd-analyze"),
            {QStringLiteral("calendar"), QStringLiteral("--iterations=%1").arg(count),
             QStringLiteral("--base-time=%1").arg(base.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))), spec});
    if (!p.waitForFinished(20000) || p.exitCode() != 0)
        return {};
    QList<QDateTime> out;
    static const QRegularExpression line(QStringLiteral("\\(in UTC\\): \\w+ (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC"));
    static const QRegularExpression norm(QStringLiteral("Normalized form: (.*)"));
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    if (const auto m = norm.match(text); m.hasMatch() && normalized)
        *normalized = m.captured(1).trimmed();
    auto it = line.globalMatch(text);
    while (it.hasNext()) {
        QDateTime t = QDateTime::fromString(it.next().captured(1), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        t.setTimeZone(QTimeZone::utc());
        out << t;
    }
    return out;
}

} // namespace

// Schedules take systemd's calendar expressions; the next runs we compute must be the ones a systemd timer would
// fire at, DST days included (the test runs in Tokyo time, so "local" is not UTC either).
class TestCalendarSpec : public QObject {
    Q_OBJECT
private slots:
    void agreesWithSystemdAnalyze_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QDateTime>("base");
        // Europe/Berlin springs forward on 2027-03-28 (02:00 -> 03:00) and falls back on 2027-10-31 (03:00 -> 02:00).
        QTest::newRow("02:30 on the spring-forward day does not happen") << "*-*-* 02:30 Europe/Berlin" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("02:30 on the fall-back day happens once") << "*-*-* 02:30 Europe/Berlin" << utc("2027-10-30T12:00:00Z");
        QTest::newRow("half past every hour, spring") << "*-*-* *:30 Europe/Berlin" << utc("2027-03-27T23:10:00Z");
        QTest::newRow("half past every hour, fall") << "*-*-* *:30 Europe/Berlin" << utc("2027-10-30T23:10:00Z");
        QTest::newRow("every 15 min through the gap") << "*:0/15 Europe/Berlin" << utc("2027-03-28T00:40:00Z");
        QTest::newRow("Sunday 01:00 Berlin") << "Sun *-*-* 01:00 Europe/Berlin" << utc("2026-12-01T10:00:00Z");
        QTest::newRow("weekdays twice a day, New York DST") << "Mon..Fri *-*-* 02,14:30 America/New_York" << utc("2027-03-12T00:00:00Z");
        QTest::newRow("weekends every 6 h London") << "Sat,Sun *-*-* 00/6:15 Europe/London" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("first Friday of the month") << "Fri *-*-1..7 18:00 Asia/Kolkata" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("leap day") << "*-02-29 12:00 UTC" << utc("2026-12-01T00:00:00Z");
        QTest::newRow("31st only") << "*-*-31 03:00 Australia/Sydney" << utc("2027-03-30T00:00:00Z");
        QTest::newRow("half-hour DST (Lord Howe)") << "*-*-* 02:15 Australia/Lord_Howe" << utc("2027-04-02T00:00:00Z");
        QTest::newRow("odd hours 1..5") << "*-*-* 1..5/2:00 UTC" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("one year only") << "2027-*-* 04:00 UTC" << utc("2027-12-30T00:00:00Z");
        QTest::newRow("daily in a zone") << "daily Europe/Berlin" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("weekly, local zone (Tokyo)") << "weekly" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("monthly, local zone") << "monthly" << utc("2027-01-31T16:00:00Z");
        QTest::newRow("quarterly") << "quarterly" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("seconds") << "Mon,Tue,Wed 2:30:15 Europe/Berlin" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("a zone without a slash") << "daily Japan" << utc("2027-03-27T12:00:00Z");
        QTest::newRow("a POSIX-style zone") << "*-*-* 02:30 EST5EDT" << utc("2027-03-13T12:00:00Z");
        QTest::newRow("exactly at the base is not next") << "*-*-* 10:00 UTC" << utc("2026-12-01T10:00:00Z");
    }

    void agreesWithSystemdAnalyze()
    {
        QFETCH(QString, spec);
        QFETCH(QDateTime, base);
        if (QStandardPaths::findExecutable(QStringLiteral("systemd-analyze")).isEmpty())
            QFAIL("systemd-analyze is needed (package systemd): it is the reference for the schedules");
        const int count = 6;
        const QList<QDateTime> expected = systemdRuns(spec, base, count, nullptr);
        QVERIFY(!expected.isEmpty());  // fewer than count when the spec ends ("one year only")
        auto parsed = CalendarSpec::parse(spec);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().toString()));
        const QList<QDateTime> ours = parsed->nextRuns(base, count);
        QCOMPARE(ours, expected);
        // The normalized form is itself a spec systemd takes, with the same answers (a timer gets this text).
        QCOMPARE(systemdRuns(parsed->normalized(), base, count, nullptr), expected);
    }

    void normalizedLikeSystemd()
    {
        for (const char *s : {"Mon,Tue,Wed 2:30 UTC", "Sun *-*-* 01:00 Europe/Berlin", "*:0/15 Europe/Berlin", "Fri *-*-1..7 18:00 Asia/Kolkata",
                              "Sat,Sun *-*-* 00/6:15 Europe/London", "daily Europe/Berlin"}) {
            QString theirs;
            systemdRuns(QString::fromLatin1(s), utc("2027-01-01T00:00:00Z"), 1, &theirs);
            QCOMPARE(CalendarSpec::parse(QString::fromLatin1(s))->normalized(), theirs);
        }
        // Without a zone, ours names the machine's, so the text means the same in a timer elsewhere.
        QCOMPARE(CalendarSpec::parse(QStringLiteral("Sun 01:00"))->normalized(), QStringLiteral("Sun *-*-* 01:00:00 Asia/Tokyo"));
    }

    void refusesWhatItCannotRun_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << "  " << "empty";
        QTest::newRow("last day") << "*-*~01 03:00" << "not supported";
        QTest::newRow("fraction") << "*-*-* 03:00:00.5" << "fractional";
        QTest::newRow("hour 24") << "*-*-* 24:00" << "outside 0..23";
        QTest::newRow("wrapping weekdays") << "Sat..Mon 03:00" << "Mon..Fri";
        QTest::newRow("word") << "sometimes" << "not a weekday";
        QTest::newRow("bad zone") << "*-*-* 03:00 Mars/Olympus" << "neither";
        QTest::newRow("bad step") << "*-*-* 0/0:00" << "repetition";
    }

    void refusesWhatItCannotRun()
    {
        QFETCH(QString, spec);
        QFETCH(QString, why);
        auto parsed = CalendarSpec::parse(spec);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(why), qPrintable(parsed.error().message));
        QVERIFY(parsed.error().message.contains(QStringLiteral("Examples")));
    }

    void hugeStepsDoNotWrap()
    {
        // Typed into the editor, validated on every key: a step near INT_MAX must not overflow (it used to crash).
        auto spec = CalendarSpec::parse(QStringLiteral("*-*-* 00:00:5/2147483647 UTC"));
        QVERIFY(spec.ok());
        QCOMPARE(spec->next(utc("2027-01-01T00:00:00Z")), utc("2027-01-01T00:00:05Z"));
        QVERIFY(CalendarSpec::parse(QStringLiteral("*-*-* 0/2147483647:00 UTC")).ok());
    }

    void noRunIsInvalid()
    {
        QVERIFY(!CalendarSpec::parse(QStringLiteral("*-02-30 03:00 UTC"))->next(utc("2027-01-01T00:00:00Z")).isValid());
        QVERIFY(!CalendarSpec::parse(QStringLiteral("2020-*-* 03:00 UTC"))->next(utc("2027-01-01T00:00:00Z")).isValid());
    }
};

QTEST_GUILESS_MAIN(TestCalendarSpec)
#include "tst_calendarspec.moc"
