#include "Sha256.h"

#include <openssl/evp.h>

namespace pga {

struct Sha256::State {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_state(std::make_unique<State>()) { EVP_DigestInit_ex(m_state->ctx, EVP_sha256(), nullptr); }
Sha256::~Sha256() = default;

void Sha256::add(const char *data, size_t size) { EVP_DigestUpdate(m_state->ctx, data, size); }

QByteArray Sha256::finish()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_state->ctx, reinterpret_cast<unsigned char *>(out.data()), &len);
    EVP_DigestInit_ex(m_state->ctx, EVP_sha256(), nullptr);
    return out;
}

QString Sha256::finishHex() { return QString::fromLatin1(finish().toHex()); }

QByteArray Sha256::of(const char *data, size_t size)
{
    QByteArray out(32, Qt::Uninitialized);
    EVP_Digest(data, size, reinterpret_cast<unsigned char *>(out.data()), nullptr, EVP_sha256(), nullptr);
    return out;
}

QString Sha256::hexOf(const QByteArray &data)
{
    return QString::fromLatin1(of(data.constData(), size_t(data.size())).toHex());
}

} // namespace pga
