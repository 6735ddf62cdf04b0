#include "core/Lsn.h"

#include <QtTest>

using pga::Lsn;

class TestLsn : public QObject {
    Q_OBJECT
private slots:
    void parsesAndPrintsLikePostgres_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("value");
        QTest::newRow("zero") << "0/0" << quint64(0);
        QTest::newRow("typical") << "16/B374D848" << quint64(0x16B374D848ull);
        QTest::newRow("max") << "FFFFFFFF/FFFFFFFF" << quint64(~0ull);
    }
    void parsesAndPrintsLikePostgres()
    {
        QFETCH(QString, text);
        QFETCH(quint64, value);
        const auto lsn = Lsn::parse(text);
        QVERIFY(lsn.has_value());
        QCOMPARE(lsn->value(), value);
        QCOMPARE(lsn->toString(), text);
    }
    void acceptsLowerCase() { QCOMPARE(Lsn::parse("16/b374d848")->value(), 0x16B374D848ull); }
    void rejectsGarbage_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad : {"", "/", "1/", "/1", "1//2", "G/0", "123456789/0", "0/123456789", "1-2"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }
    void rejectsGarbage()
    {
        QFETCH(QString, text);
        QVERIFY(!Lsn::parse(text).has_value());
    }
    void ordersByValue() { QVERIFY(Lsn(1) < Lsn(2)); QVERIFY(*Lsn::parse("1/0") > *Lsn::parse("0/FFFFFFFF")); }
};

QTEST_GUILESS_MAIN(TestLsn)
#include "tst_lsn.moc"
