#include "core/RestoreToc.h"
#include "core/Zstd.h"
#include "engine/DumpProgress.h"
#include "repo/DumpCatalog.h"

#include <QJsonDocument>
#include <QtTest>

using namespace pga;

namespace {
// Records what the progress tracker reports.
class Recorder final : public ProgressSink {
public:
    void progress(int64_t done, int64_t total) override { reports << qMakePair(done, total); }
    void log(Level, const QString &line) override { lines << line; }
    QList<QPair<int64_t, int64_t>> reports;
    QStringList lines;
};
} // namespace

// The pieces of logical dumps that need no server: pg_restore's table of contents, the dump manifest, the streaming
// zstd that stores dumps, and how progress is weighted.
class TestDumpFormat : public QObject {
    Q_OBJECT
private slots:
    void tableOfContents()
    {
        const QByteArray list = ";\n; Archive created at 2026-12-01\n;\n"
                                "6; 2615 16392 SCHEMA - s2 postgres\n"
                                "215; 1259 16387 TABLE public t postgres\n"
                                "3345; 0 16387 TABLE DATA public t postgres\n"
                                "3202; 2606 16397 CONSTRAINT s2 u u_pkey postgres\n"
                                "3203; 2606 16399 FK CONSTRAINT public t t_u_fkey postgres\n"
                                "3400; 0 0 COMMENT - EXTENSION plpgsql \n"
                                "3401; 0 0 SEQUENCE SET public t_id_seq alice\r\n";
        auto toc = parseRestoreList(list);
        QVERIFY2(toc, toc ? "" : qPrintable(toc.error().message));
        QCOMPARE(toc->size(), 7);
        QCOMPARE((*toc)[0].desc, QStringLiteral("SCHEMA"));
        QCOMPARE((*toc)[0].schema, QString());
        QCOMPARE((*toc)[0].name, QStringLiteral("s2"));
        QCOMPARE((*toc)[2].desc, QStringLiteral("TABLE DATA"));
        QVERIFY((*toc)[2].isData());
        QCOMPARE((*toc)[2].oid, 16387u);
        QCOMPARE((*toc)[3].name, QStringLiteral("u u_pkey"));   // the tag carries the table's name
        QCOMPARE((*toc)[4].desc, QStringLiteral("FK CONSTRAINT"));
        QCOMPARE((*toc)[5].name, QStringLiteral("EXTENSION plpgsql"));
        QCOMPARE((*toc)[5].owner, QString());                    // the line ends in the space before an empty owner
        QCOMPARE((*toc)[6].owner, QStringLiteral("alice"));
        // Writing a list back keeps the order and comments out what is not kept.
        const QByteArray out = restoreListFor(*toc, {215, 3345});
        const QList<QByteArray> lines = out.split('\n');
        QVERIFY(lines[0].startsWith(";6; "));
        QVERIFY(lines[1].startsWith("215; "));
        QVERIFY(lines[2].startsWith("3345; "));
        auto back = parseRestoreList(out);
        QVERIFY(back);
        QCOMPARE(back->size(), 2);
        QCOMPARE(tocJson(*toc).size(), 7);
    }

    void tableOfContentsRefusesWhatItCannotRead()
    {
        for (const QByteArray &bad : {QByteArray("12 TABLE public t postgres\n"), QByteArray("x; 1 2 TABLE public t postgres\n"),
                                      QByteArray("12; 1 TABLE public t\n"), QByteArray("12; 1 2 NOSUCHTHING public t postgres\n"),
                                      QByteArray("12; 1 2 TABLE\n")}) {
            auto r = parseRestoreList(bad);
            QVERIFY2(!r, bad.constData());
            QCOMPARE(r.error().code, Error::Code::Corrupt);
            QVERIFY(r.error().message.contains(QLatin1String("line 1")));
        }
    }

    void manifestRoundTripsAndRefusesBadPaths()
    {
        repo::DumpManifest m;
        m.id = QStringLiteral("20261201T120000Z-D");
        m.server = QStringLiteral("main");
        m.format = QStringLiteral("custom");
        m.startTimeUtc = QDateTime(QDate(2026, 12, 1), QTime(12, 0), QTimeZone::utc());
        m.stopTimeUtc = m.startTimeUtc.addSecs(5);
        m.hasGlobals = true;
        m.globals = {QStringLiteral("globals.sql.zst"), 10, 20, QString(64, QLatin1Char('a'))};
        m.databases << repo::DumpDatabase{QStringLiteral("shop"), 1000, QStringLiteral("pg_dump …"),
                                          {{QStringLiteral("db1.dump.zst"), 5, 9, QString(64, QLatin1Char('b'))}},
                                          {{QStringLiteral("public"), QStringLiteral("orders"), 8192, 100}}, 1.5};
        const QByteArray json = m.toJsonBytes();
        auto back = repo::DumpManifest::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY2(back, back ? "" : qPrintable(back.error().message));
        QCOMPARE(back->toJsonBytes(), json);
        QCOMPARE(back->storedBytes(), 15);
        QCOMPARE(back->rawBytes(), 29);
        QCOMPARE(back->database(QStringLiteral("shop"))->tables.first().name, QStringLiteral("orders"));
        // A crafted manifest must not send restore or verify outside the dump.
        for (const QString &evil : {QStringLiteral("../../etc/passwd"), QStringLiteral("/etc/passwd"), QStringLiteral("a/../../b"),
                                    QStringLiteral("manifest.json"), QStringLiteral("x\ny"), QString()}) {
            QByteArray bad = json;
            bad.replace("db1.dump.zst", evil.toUtf8());
            auto r = repo::DumpManifest::fromJson(QJsonDocument::fromJson(bad).object());
            QVERIFY2(!r, qPrintable(evil));
            QCOMPARE(r.error().code, Error::Code::Corrupt);
        }
        QByteArray future = json;
        future.replace("\"format\": 1", "\"format\": 7");
        auto f = repo::DumpManifest::fromJson(QJsonDocument::fromJson(future).object());
        QVERIFY(!f);
        QCOMPARE(f.error().code, Error::Code::Unsupported);
    }

    void streamingZstdRoundTripsAndNoticesTruncation()
    {
        QByteArray input;
        for (int i = 0; i < 200000; ++i)
            input += QByteArray::number(i) + ',';
        zstd::StreamCompressor c(3, 1);
        QByteArray packed;
        for (qsizetype at = 0; at < input.size(); at += 65536)
            QVERIFY(c.add(input.constData() + at, size_t(std::min<qsizetype>(65536, input.size() - at)), packed));
        QVERIFY(c.finish(packed));
        QVERIFY(packed.size() < input.size() / 3);
        zstd::StreamDecompressor d;
        QByteArray unpacked;
        for (qsizetype at = 0; at < packed.size(); at += 777)
            QVERIFY(d.add(packed.constData() + at, size_t(std::min<qsizetype>(777, packed.size() - at)), unpacked));
        QVERIFY(d.finish());
        QCOMPARE(unpacked, input);
        // Bounded draining: never more than asked for at a time, the same bytes in the end.
        zstd::StreamDecompressor bounded;
        QByteArray drained;
        for (qsizetype at = 0; at < packed.size(); at += 4096) {
            bounded.feed(packed.constData() + at, size_t(std::min<qsizetype>(4096, packed.size() - at)));
            for (bool need = false; !need;) {
                QByteArray piece;
                QVERIFY(bounded.drain(piece, 10000, &need));
                QVERIFY(piece.size() < 10000 + 131072);
                drained += piece;
            }
        }
        QVERIFY(bounded.finish());
        QCOMPARE(drained, input);
        zstd::StreamDecompressor cut;
        QByteArray partial;
        QVERIFY(cut.add(packed.constData(), size_t(packed.size() - 10), partial));
        QVERIFY(!cut.finish());
        QByteArray flipped = packed;
        flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x40);
        zstd::StreamDecompressor bad;
        QByteArray junk;
        const bool ok = bad.add(flipped.constData(), size_t(flipped.size()), junk) && bad.finish() && junk == input;
        QVERIFY(!ok);
    }

    void progressIsWeightedBySizeAndNeverGoesBack()
    {
        QCOMPARE(engine::DumpProgress::tableOfLine(QStringLiteral("pg_dump: dumping contents of table \"public.orders\"")), QStringLiteral("public.orders"));
        QCOMPARE(engine::DumpProgress::tableOfLine(QStringLiteral("pg_restore: processing data for table \"s.t x\"")), QStringLiteral("s.t x"));
        QCOMPARE(engine::DumpProgress::tableOfLine(QStringLiteral("pg_dump: reading schemas")), QString());
        Recorder rec;
        engine::DumpProgress p(rec, 1000);
        p.startDatabase(QStringLiteral("shop"), {{QStringLiteral("public"), QStringLiteral("big"), 900, 90}, {QStringLiteral("public"), QStringLiteral("small"), 100, 10}},
                        nullptr, QString());
        p.verboseLine(QStringLiteral("pg_dump: dumping contents of table \"public.big\""));
        p.verboseLine(QStringLiteral("pg_dump: dumping contents of table \"public.small\""));
        p.finishDatabase();
        QVERIFY(!rec.reports.isEmpty());
        QCOMPARE(rec.reports.last(), qMakePair(int64_t(1000), int64_t(1000)));
        for (qsizetype i = 1; i < rec.reports.size(); ++i)
            QVERIFY(rec.reports[i].first >= rec.reports[i - 1].first);
        // The big table is named in the log as the current object; the total is in bytes.
        QVERIFY2(rec.lines.join(QLatin1Char('\n')).contains(QLatin1String("table public.big")), qPrintable(rec.lines.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestDumpFormat)
#include "tst_dumpformat.moc"
