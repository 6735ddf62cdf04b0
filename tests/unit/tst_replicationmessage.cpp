#include "core/ReplicationMessage.h"
#include "core/WalName.h"

#include <QtEndian>
#include <QtTest>

using namespace pga;
using namespace pga::wal;

// The replication protocol's messages and history files as a walsender sends them (protocol-replication docs).
class TestReplicationMessage : public QObject {
    Q_OBJECT
    static QByteArray be64(quint64 v)
    {
        QByteArray b(8, Qt::Uninitialized);
        qToBigEndian<quint64>(v, b.data());
        return b;
    }

private slots:
    void xlogData()
    {
        const qint64 sendUs = 817000000000000LL;  // 2025-11-21 in PostgreSQL's epoch
        const QByteArray msg = QByteArray("w") + be64(0x16B374D848ull) + be64(0x16B3750000ull) + be64(quint64(sendUs)) + QByteArray("WALBYTES");
        auto m = parseStreamMessage(msg.constData(), size_t(msg.size()));
        QVERIFY(m);
        QCOMPARE(int(m->kind), int(StreamMessage::Kind::XLogData));
        QCOMPARE(m->start.toString(), QStringLiteral("16/B374D848"));
        QCOMPARE(m->serverWalEnd.toString(), QStringLiteral("16/B3750000"));
        QCOMPARE(m->sendTimeUs, sendUs + kPgEpochOffsetUs);
        QCOMPARE(QByteArray(m->data, qsizetype(m->size)), QByteArray("WALBYTES"));
    }

    void keepaliveAndErrors()
    {
        const QByteArray k = QByteArray("k") + be64(0x3000000) + be64(5) + QByteArray(1, '\1');
        auto m = parseStreamMessage(k.constData(), size_t(k.size()));
        QVERIFY(m);
        QVERIFY(m->replyRequested);
        QCOMPARE(m->serverWalEnd, Lsn(0x3000000));
        QCOMPARE(parseStreamMessage("w12345", 6).error().code, Error::Code::Corrupt);
        QCOMPARE(parseStreamMessage(k.constData(), 17).error().code, Error::Code::Corrupt);
        QCOMPARE(parseStreamMessage("x", 1).error().code, Error::Code::Corrupt);
        QCOMPARE(parseStreamMessage("", 0).error().code, Error::Code::Corrupt);
    }

    void statusUpdateLayout()
    {
        const QByteArray r = standbyStatusUpdate(Lsn(0x10), Lsn(0x20), Lsn(), kPgEpochOffsetUs + 7, true);
        QCOMPARE(r.size(), 34);
        QCOMPARE(r.at(0), 'r');
        QCOMPARE(qFromBigEndian<quint64>(r.constData() + 1), 0x10ull);
        QCOMPARE(qFromBigEndian<quint64>(r.constData() + 9), 0x20ull);
        QCOMPARE(qFromBigEndian<quint64>(r.constData() + 17), 0ull);
        QCOMPARE(qFromBigEndian<quint64>(r.constData() + 25), 7ull);
        QCOMPARE(r.at(33), '\1');
    }

    void historyFileNames()
    {
        // The file of timeline 10 is 0000000A.history: hex digits upper-case, the suffix as PostgreSQL writes it.
        QCOMPARE(WalName::historyName(10), QStringLiteral("0000000A.history"));
        const auto n = WalName::parse(WalName::historyName(3));
        QVERIFY(n);
        QCOMPARE(int(n->kind), int(WalName::Kind::History));
        QCOMPARE(n->timeline, 3u);
    }

    void timelineHistory()
    {
        auto h = parseTimelineHistory("1\t0/3000000\tno recovery target specified\n\n2\t0/5000A28\tat restore point \"x\"\n");
        QVERIFY(h);
        QCOMPARE(h->size(), 2);
        QCOMPARE(h->at(1).reason, QStringLiteral("at restore point \"x\""));
        QCOMPARE(timelineEnd(*h, 1), Lsn(0x3000000));
        QCOMPARE(timelineEnd(*h, 2), Lsn(0x5000A28));
        QVERIFY(!timelineEnd(*h, 3).isValid());
        QVERIFY(parseTimelineHistory("").value().isEmpty());
        QCOMPARE(parseTimelineHistory("2\t0/5\tr\n1\t0/6\tr\n").error().code, Error::Code::Corrupt);   // parents descend
        QCOMPARE(parseTimelineHistory("1\t0/6\tr\n2\t0/5\tr\n").error().code, Error::Code::Corrupt);   // back in time
        QCOMPARE(parseTimelineHistory("one\t0/5\n").error().code, Error::Code::Corrupt);
        QCOMPARE(parseTimelineHistory("1\tnowhere\n").error().code, Error::Code::Corrupt);
    }
};

QTEST_GUILESS_MAIN(TestReplicationMessage)
#include "tst_replicationmessage.moc"
