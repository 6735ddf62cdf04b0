// Restore's chunk writer: whatever path a chunk takes (O_DIRECT with writes in flight, a short tail through the
// page cache, or buffered throughout), the file ends up byte for byte what was written, and errors are reported.
#include "engine/ChunkWriter.h"

#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

using namespace pga;

class TestChunkWriter : public QObject {
    Q_OBJECT

    static QByteArray pattern(qint64 size)
    {
        QByteArray b(size, Qt::Uninitialized);
        for (qint64 i = 0; i < size; ++i)
            b[i] = char((i * 131 + (i >> 12)) & 0xff);
        return b;
    }

private slots:
    void writesWhatItWasGiven_data()
    {
        QTest::addColumn<bool>("direct");
        QTest::addColumn<int>("depth");
        QTest::newRow("direct, 3 in flight") << true << 3;
        QTest::newRow("direct, synchronous") << true << 1;
        QTest::newRow("buffered") << false << 3;
    }
    void writesWhatItWasGiven()
    {
        QFETCH(bool, direct);
        QFETCH(int, depth);
        QTemporaryDir tmp;
        const qint64 chunk = 64 * 1024;
        const QByteArray want = pattern(chunk * 9 + 5000);  // nine whole chunks and an unaligned tail
        const QStringList files{tmp.filePath(QStringLiteral("a")), tmp.filePath(QStringLiteral("b"))};
        for (const QString &f : files) {
            const int fd = ::open(QFile::encodeName(f).constData(), O_CREAT | O_WRONLY, 0600);
            QVERIFY(fd >= 0 && ::ftruncate(fd, want.size()) == 0);
            ::close(fd);
        }
        engine::ChunkWriter w(size_t(chunk), depth, direct);
        for (const QString &f : files) {  // switching files waits for the writes to the last one
            QVERIFY(w.open(f));
            // Out of order, as workers and lanes hand chunks out.
            for (qint64 c : {3, 0, 9, 1, 2, 8, 4, 5, 7, 6}) {
                auto b = w.buffer();
                QVERIFY(b);
                const qint64 off = c * chunk;
                const qint64 len = std::min(chunk, want.size() - off);
                memcpy(*b, want.constData() + off, size_t(len));
                QVERIFY(w.write(*b, size_t(len), off));
            }
        }
        QVERIFY(w.finish());
        for (const QString &f : files) {
            QFile in(f);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QCOMPARE(in.readAll(), want);
        }
    }

    void aMissingFileIsAnError()
    {
        engine::ChunkWriter w(4096, 3, true);
        const Status s = w.open(QStringLiteral("/nonexistent/dir/file"));
        QVERIFY(!s);
        QVERIFY(s.error().message.contains(QStringLiteral("/nonexistent/dir/file")));
    }
};

QTEST_GUILESS_MAIN(TestChunkWriter)
#include "tst_chunkwriter.moc"
