#include "core/Sha256.h"
#include "core/Sha256Block.h"

#include <QRandomGenerator>
#include <QtTest>

#include <openssl/evp.h>

using namespace pga;

namespace {

QByteArray reference(const QByteArray &data)
{
    QByteArray out(32, Qt::Uninitialized);
    EVP_Digest(data.constData(), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()), nullptr, EVP_sha256(), nullptr);
    return out;
}

} // namespace

// Every stored checksum in the repository comes from this SHA-256: it must equal OpenSSL's for every length,
// however the input is split, with the CPU's SHA instructions and without.
class TestSha256 : public QObject {
    Q_OBJECT
private slots:
    void knownVectors()
    {
        QCOMPARE(Sha256::hexOf(QByteArray()), QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(Sha256::hexOf("abc"), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(Sha256::hexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                 QStringLiteral("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        Sha256 h;
        const QByteArray a(1000, 'a');
        for (int i = 0; i < 1000; ++i)
            h.add(a);
        QCOMPARE(h.finishHex(), QStringLiteral("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    void bothBlockFunctionsAgree()
    {
        if (!sha256::hasShaNi())
            QSKIP("this CPU has no SHA extensions; the portable block function is the only one in use");
        QRandomGenerator rng(7);
        for (int blocks : {1, 2, 3, 17, 1000}) {
            QByteArray data(64 * blocks, Qt::Uninitialized);
            rng.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
            uint32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
            sha256::compressPortable(a, reinterpret_cast<const uint8_t *>(data.constData()), size_t(blocks));
            sha256::compressShaNi(b, reinterpret_cast<const uint8_t *>(data.constData()), size_t(blocks));
            QVERIFY2(std::equal(a, a + 8, b), qPrintable(QString::number(blocks)));
        }
    }

    void equalsOpenSslForEveryLengthAndSplit()
    {
        QRandomGenerator rng(11);
        QByteArray data(70000, Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        for (int len = 0; len < 300; ++len)
            QCOMPARE(Sha256::of(data.constData(), size_t(len)), reference(data.left(len)));
        for (int round = 0; round < 200; ++round) {
            const int len = int(rng.bounded(data.size()));
            Sha256 h;
            for (int off = 0; off < len;) {
                const int piece = std::min(len - off, int(rng.bounded(200)) + (round % 3 == 0 ? 4096 : 0));
                h.add(data.constData() + off, size_t(piece));
                off += piece;
            }
            QCOMPARE(h.finish(), reference(data.left(len)));
        }
    }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
