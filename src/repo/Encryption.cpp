#include "Encryption.h"

#include "core/Sha256.h"

#include <sodium.h>

#include <QtEndian>

#include <map>
#include <mutex>

namespace pga::repo::crypto {

namespace {

constexpr char kMagic[8] = {'P', 'G', 'A', 'X', 1, 0, 0, 0};
constexpr qint64 kStoredSegment = kSegment + kTag;

void ensureSodium()
{
    static const int ok = sodium_init();  // thread-safe, idempotent; -1 only without a random source
    Q_ASSERT(ok >= 0);
    (void)ok;
}

QByteArray nonceFor(const QByteArray &header, quint64 index, bool last)
{
    QByteArray n(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    std::memcpy(n.data(), header.constData() + 8, 16);
    qToBigEndian<quint64>(index | (last ? (quint64(1) << 63) : 0), n.data() + 16);
    return n;
}

QByteArray aadFor(const QByteArray &header, const QString &relative) { return header + relative.toUtf8(); }

QByteArray sealSegment(const Keys &keys, const QByteArray &header, const QByteArray &aad, quint64 index, QByteArrayView plain, bool last)
{
    const QByteArray nonce = nonceFor(header, index, last);
    QByteArray out(plain.size() + kTag, Qt::Uninitialized);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(out.data()), &len,
                                               reinterpret_cast<const unsigned char *>(plain.data()), quint64(plain.size()),
                                               reinterpret_cast<const unsigned char *>(aad.constData()), quint64(aad.size()), nullptr,
                                               reinterpret_cast<const unsigned char *>(nonce.constData()), keys.data.data());
    return out;
}

bool openSegment(const Keys &keys, const QByteArray &header, const QByteArray &aad, quint64 index, QByteArrayView stored, bool last,
                 QByteArray &out)
{
    if (stored.size() < kTag)
        return false;
    const QByteArray nonce = nonceFor(header, index, last);
    const qsizetype at = out.size();
    out.resize(at + stored.size() - kTag);
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char *>(out.data() + at), &len, nullptr,
                                                   reinterpret_cast<const unsigned char *>(stored.data()), quint64(stored.size()),
                                                   reinterpret_cast<const unsigned char *>(aad.constData()), quint64(aad.size()),
                                                   reinterpret_cast<const unsigned char *>(nonce.constData()), keys.data.data())
        != 0) {
        out.resize(at);
        return false;
    }
    return true;
}

QByteArray newHeader()
{
    QByteArray h(kMagic, 8);
    h += randomBytes(16);
    return h;
}

std::mutex g_mutex;
std::map<QString, std::shared_ptr<const Keys>> g_bound;  // root -> keys

} // namespace

QByteArray randomBytes(int n)
{
    ensureSodium();
    QByteArray b(n, Qt::Uninitialized);
    randombytes_buf(b.data(), size_t(n));
    return b;
}

std::shared_ptr<const Keys> Keys::derive(const Key &master)
{
    ensureSodium();
    auto k = std::make_shared<Keys>();
    crypto_kdf_derive_from_key(k->data.data(), k->data.size(), 1, "pgaRepo1", master.data());
    crypto_kdf_derive_from_key(k->names.data(), k->names.size(), 2, "pgaRepo1", master.data());
    crypto_kdf_derive_from_key(k->check.data(), k->check.size(), 3, "pgaRepo1", master.data());
    return k;
}

Keys::~Keys()
{
    sodium_memzero(data.data(), data.size());
    sodium_memzero(names.data(), names.size());
    sodium_memzero(check.data(), check.size());
}

namespace {

// HMAC-SHA-256 (RFC 2104) over our SHA-256, which uses the CPU's SHA extensions: a chunk name costs what its hash did.
QByteArray hmacSha256(const Key &key, const char *data, size_t size)
{
    char ipad[64], opad[64];
    for (int i = 0; i < 64; ++i) {
        const unsigned char k = i < int(key.size()) ? key[size_t(i)] : 0;
        ipad[i] = char(k ^ 0x36);
        opad[i] = char(k ^ 0x5c);
    }
    Sha256 inner;
    inner.add(ipad, 64);
    inner.add(data, size);
    const QByteArray innerDigest = inner.finish();
    Sha256 outer;
    outer.add(opad, 64);
    outer.add(innerDigest);
    sodium_memzero(ipad, sizeof ipad);
    sodium_memzero(opad, sizeof opad);
    return outer.finish();
}

} // namespace

QString Keys::keyCheck(const QString &repositoryId) const
{
    const QByteArray id = repositoryId.toUtf8();
    return QString::fromLatin1(hmacSha256(check, id.constData(), size_t(id.size())).toHex());
}

ChunkId chunkName(const Keys *keys, const char *data, size_t size)
{
    return ChunkId::fromDigest(keys ? hmacSha256(keys->names, data, size) : Sha256::of(data, size));
}

qint64 sealedSize(qint64 plain)
{
    const qint64 segments = plain == 0 ? 1 : (plain + kSegment - 1) / kSegment;
    return kHeader + plain + segments * kTag;
}

QByteArray seal(const Keys &keys, const QString &relative, std::initializer_list<QByteArrayView> parts)
{
    qint64 total = 0;
    for (const QByteArrayView &p : parts)
        total += p.size();
    QByteArray out;
    out.reserve(qsizetype(sealedSize(total)));
    const QByteArray header = newHeader();
    const QByteArray aad = aadFor(header, relative);
    out += header;
    // Segments may span parts: gather each one's bytes (a copy only where a segment straddles two parts).
    QByteArray gather;
    quint64 index = 0;
    qint64 left = total;
    auto part = parts.begin();
    qsizetype partOff = 0;
    do {
        const qint64 n = std::min(left, kSegment);
        gather.clear();
        while (gather.size() < n) {
            while (partOff == part->size()) {
                ++part;
                partOff = 0;
            }
            const qsizetype take = qsizetype(std::min<qint64>(n - gather.size(), part->size() - partOff));
            gather.append(part->data() + partOff, take);
            partOff += take;
        }
        left -= n;
        out += sealSegment(keys, header, aad, index++, gather, left == 0);
    } while (left > 0);
    return out;
}

Result<QByteArray> open(const Keys &keys, const QString &relative, QByteArrayView sealed, const QString &path)
{
    Opener o(std::shared_ptr<const Keys>(std::shared_ptr<const Keys>(), &keys), relative, path, sealed.size());
    auto content = o.add(sealed);
    if (!content)
        return content.error();
    if (Status s = o.finish(); !s)
        return s.error();
    return content;
}

Sealer::Sealer(std::shared_ptr<const Keys> keys, QString relative)
    : m_keys(std::move(keys)), m_header(newHeader()), m_aad(aadFor(m_header, relative))
{
}

QByteArray Sealer::segment(QByteArrayView plain, bool last) { return sealSegment(*m_keys, m_header, m_aad, m_index++, plain, last); }

QByteArray Sealer::add(const char *data, size_t size)
{
    m_pending.append(data, qsizetype(size));
    QByteArray out;
    qsizetype off = 0;
    // The last full segment is held back: only finish() knows whether it is the last.
    while (m_pending.size() - off > kSegment) {
        if (!m_headerSent) {
            out += m_header;
            m_headerSent = true;
        }
        out += segment(QByteArrayView(m_pending.constData() + off, kSegment), false);
        off += kSegment;
    }
    if (off)
        m_pending.remove(0, off);
    return out;
}

QByteArray Sealer::finish()
{
    QByteArray out;
    if (!m_headerSent) {
        out += m_header;
        m_headerSent = true;
    }
    out += segment(m_pending, true);
    m_pending.clear();
    return out;
}

Opener::Opener(std::shared_ptr<const Keys> keys, QString relative, QString path, qint64 storedSize)
    : m_keys(std::move(keys)), m_relative(std::move(relative)), m_path(std::move(path)), m_storedSize(storedSize)
{
}

Error Opener::damaged(const QString &why) const
{
    return Error(Error::Code::Corrupt,
                 QStringLiteral("%1 cannot be decrypted: %2. It was changed, truncated or put in place of another object, or it "
                                "does not belong to this repository; run 'pgarchivist-cli verify' and restore it from a copy.")
                     .arg(m_path, why));
}

Result<QByteArray> Opener::add(QByteArrayView stored)
{
    QByteArray out;
    m_seen += stored.size();
    if (m_seen > m_storedSize || m_done)
        return damaged(QStringLiteral("there are more bytes than its size said"));
    m_buf.append(stored.data(), stored.size());
    if (m_header.isEmpty()) {
        if (m_buf.size() < kHeader && m_seen < m_storedSize)
            return out;
        if (m_buf.size() < kHeader || std::memcmp(m_buf.constData(), kMagic, 4) != 0)
            return damaged(QStringLiteral("it is not encrypted, but the repository is"));
        if (std::memcmp(m_buf.constData(), kMagic, 8) != 0)
            return damaged(QStringLiteral("it was encrypted in a format this version does not know"));
        m_header = m_buf.left(kHeader);
        m_aad = aadFor(m_header, m_relative);
        m_buf.remove(0, kHeader);
    }
    qsizetype off = 0;
    const qint64 consumedBefore = m_seen - m_buf.size();  // stored offset of m_buf[0]
    for (;;) {
        const qint64 at = consumedBefore + off;
        const qint64 segEnd = std::min(at + kStoredSegment, m_storedSize);
        if (consumedBefore + m_buf.size() < segEnd || segEnd == at)
            break;
        const bool last = segEnd == m_storedSize;
        if (!openSegment(*m_keys, m_header, m_aad, m_index, QByteArrayView(m_buf.constData() + off, segEnd - at), last, out))
            return damaged(QStringLiteral("segment %1 fails authentication").arg(m_index));
        ++m_index;
        off += qsizetype(segEnd - at);
        if (last) {
            m_done = true;
            break;
        }
    }
    m_buf.remove(0, off);
    return out;
}

Status Opener::finish() const
{
    if (!m_done)
        return damaged(m_header.isEmpty() ? QStringLiteral("it is too short to be encrypted") : QStringLiteral("it ends early"));
    return {};
}

void bindRepository(const QString &root, std::shared_ptr<const Keys> keys)
{
    std::lock_guard g(g_mutex);
    if (keys)
        g_bound[root] = std::move(keys);
    else
        g_bound.erase(root);
}

std::shared_ptr<const Keys> keysForRoot(const QString &root)
{
    std::lock_guard g(g_mutex);
    auto it = g_bound.find(root);
    return it == g_bound.end() ? nullptr : it->second;
}

Binding bindingFor(const QString &path)
{
    std::lock_guard g(g_mutex);
    if (g_bound.empty())
        return {};
    for (const auto &[root, keys] : g_bound) {
        if (path.size() > root.size() + 1 && path.startsWith(root) && path.at(root.size()) == QLatin1Char('/')) {
            QString rel = path.mid(root.size() + 1);
            if (rel == QLatin1String("pgarchivist-repo.json") || rel == QLatin1String("keys.json"))
                return {};
            return {keys, std::move(rel)};
        }
    }
    return {};
}

} // namespace pga::repo::crypto
