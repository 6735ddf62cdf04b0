// libFuzzer target for repo/Encryption (sealed objects) and repo/KeySlots (keys.json): what an attacker who can write
// to the storage, or a damaged disk, hands us. The first byte chooses:
//   0: open the rest as a sealed object: never crashes, and a success authenticated it (impossible without the key);
//   1: seal the rest, damage the sealed bytes as the next bytes say (flip one, cut, extend), open: only the
//      untouched object opens, and it gives back exactly what was sealed;
//   2: unlock the rest as keys.json with a key file: never crashes; only a slot made with the key opens.
#include "repo/Encryption.h"
#include "repo/KeySlots.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace pga::repo::crypto;

namespace {

const Keys &fixedKeys()
{
    static const std::shared_ptr<const Keys> k = [] {
        Key master{};
        for (size_t i = 0; i < master.size(); ++i)
            master[i] = static_cast<unsigned char>(i * 7 + 1);
        return Keys::derive(master);
    }();
    return *k;
}

quint32 take32(const uint8_t *&p, size_t &n)
{
    quint32 v = 0;
    for (int i = 0; i < 4 && n > 0; ++i, --n)
        v = (v << 8) | *p++;
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 512 * 1024)
        return 0;
    const uint8_t mode = data[0] % 3;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    const QString rel = QStringLiteral("chunks/ab/x.zst");
    if (mode == 0) {
        const QByteArrayView sealed(reinterpret_cast<const char *>(p), qsizetype(n));
        if (open(fixedKeys(), rel, sealed, QStringLiteral("fuzz")))
            std::abort();  // forged: a valid tag without the key
        return 0;
    }
    if (mode == 1) {
        const quint32 how = take32(p, n), where = take32(p, n);
        const QByteArray plain(reinterpret_cast<const char *>(p), qsizetype(n));
        QByteArray sealed = seal(fixedKeys(), rel, {QByteArrayView(plain)});
        if (sealed.size() != sealedSize(plain.size()))
            std::abort();
        bool damaged = true;
        switch (how % 4) {
        case 0:
            damaged = false;
            break;
        case 1:
            sealed[qsizetype(where % quint32(sealed.size()))] ^= char(1 + (how >> 8) % 255);
            break;
        case 2:
            sealed.truncate(qsizetype(where % quint32(sealed.size())));
            break;
        case 3:
            sealed.append(char(where));
            break;
        }
        auto back = open(fixedKeys(), rel, sealed, QStringLiteral("fuzz"));
        if (damaged == bool(back))
            std::abort();
        if (back && *back != plain)
            std::abort();
        // Streamed in uneven pieces, it reads the same.
        if (!damaged) {
            Opener o(std::shared_ptr<const Keys>(std::shared_ptr<const Keys>(), &fixedKeys()), rel, QStringLiteral("fuzz"), sealed.size());
            QByteArray streamed;
            const qsizetype step = 1 + qsizetype(where % 70000);
            for (qsizetype at = 0; at < sealed.size(); at += step) {
                auto piece = o.add(QByteArrayView(sealed.constData() + at, std::min(step, sealed.size() - at)));
                if (!piece)
                    std::abort();
                streamed += *piece;
            }
            if (!o.finish() || streamed != plain)
                std::abort();
        }
        return 0;
    }
    Credential c;
    c.kind = Credential::Kind::KeyFile;
    c.secret = QByteArray(40, 'k');
    c.source = QStringLiteral("fuzz");
    const QByteArray json(reinterpret_cast<const char *>(p), qsizetype(n));
    (void)unlock(json, QStringLiteral("keys.json"), QStringLiteral("0123"), QStringLiteral("00"), c);
    return 0;
}
