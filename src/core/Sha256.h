#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace pga {

// Streaming SHA-256 (our own block function: the CPU's SHA extensions where present, ~1.8 GB/s a core).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(const char *data, size_t size);
    void add(const QByteArray &data) { add(data.constData(), size_t(data.size())); }
    QByteArray finish();          // 32 raw bytes; the object is reset afterwards
    QString finishHex();          // 64 lower-case hex characters

    static QByteArray of(const char *data, size_t size);
    // The hash of the bytes, as 64 lower-case hex characters (not the hex of a digest: that would hash twice).
    static QString hexOf(const QByteArray &data);
    static QString hexOf(const char *data, size_t size);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace pga
