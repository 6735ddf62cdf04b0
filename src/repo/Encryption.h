#pragma once

#include "core/ChunkId.h"
#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <initializer_list>
#include <memory>

namespace pga::repo::crypto {

// Encryption at rest (docs/repository-format.md, "Encrypted repositories"). Every object of an encrypted repository
// except its marker and its key slots is sealed with XChaCha20-Poly1305 (libsodium) in segments:
//
//   "PGAX" 01 00 00 00 | 16 random bytes (salt) | segment 0 | segment 1 | ...
//
// Each segment holds 64 KiB of content (the last one 0..64 KiB) followed by its 16-byte tag. Segment i is sealed
// with the nonce salt || big-endian i, whose top bit marks the last segment, and authenticates the 24-byte header
// and the object's path relative to the repository root. So a flipped byte, a truncated or extended object and an
// object put in another's place (same length or not) fail authentication, and a range of a large object (a WAL
// file's header, a dump piece) is read and checked without fetching the rest.

constexpr qint64 kSegment = 64 * 1024;
constexpr qint64 kTag = 16;
constexpr qint64 kHeader = 24;

using Key = std::array<unsigned char, 32>;

// What the master key of one repository unlocks: separate keys for objects, chunk names and the key check.
struct Keys {
    Key data{};   // seals objects
    Key names{};  // HMAC-SHA-256 chunk names, so a name says nothing about the content
    Key check{};  // the marker's key_check: proves a key slot file belongs to this repository
    static std::shared_ptr<const Keys> derive(const Key &master);
    ~Keys();
    // HMAC-SHA-256(check, repository id), hex: what the marker records.
    QString keyCheck(const QString &repositoryId) const;
};

// The chunk name of raw bytes: SHA-256 without keys, HMAC-SHA-256 under keys->names with them.
ChunkId chunkName(const Keys *keys, const char *data, size_t size);

QByteArray seal(const Keys &keys, const QString &relative, std::initializer_list<QByteArrayView> parts);
// The content of a sealed object; Corrupt naming `path` on any damage.
Result<QByteArray> open(const Keys &keys, const QString &relative, QByteArrayView sealed, const QString &path);
// The sealed size of `plain` bytes of content.
qint64 sealedSize(qint64 plain);

// Seals a stream of content as it is written (files.jsonl, dumps): add() returns the sealed bytes ready to be
// stored, finish() the rest. Holds at most one segment.
class Sealer {
public:
    Sealer(std::shared_ptr<const Keys> keys, QString relative);
    QByteArray add(const char *data, size_t size);
    QByteArray finish();

private:
    QByteArray segment(QByteArrayView plain, bool last);
    std::shared_ptr<const Keys> m_keys;
    QByteArray m_header;
    QByteArray m_aad;
    QByteArray m_pending;
    quint64 m_index = 0;
    bool m_headerSent = false;
};

// Opens a sealed object read front to back: feed it the stored bytes as they arrive (any piece sizes) and take the
// content of each complete segment. The last segment is the one that ends at `storedSize`; finish() fails unless it
// was seen, so a truncated object never reads as complete.
class Opener {
public:
    Opener(std::shared_ptr<const Keys> keys, QString relative, QString path, qint64 storedSize);
    Result<QByteArray> add(QByteArrayView stored);
    Status finish() const;
    bool done() const { return m_done; }

private:
    Error damaged(const QString &why) const;
    std::shared_ptr<const Keys> m_keys;
    QString m_relative;
    QString m_path;
    qint64 m_storedSize;
    qint64 m_seen = 0;
    QByteArray m_header;
    QByteArray m_aad;
    QByteArray m_buf;
    quint64 m_index = 0;
    bool m_done = false;
};

// Which encrypted repository a path is in, once the repository was unlocked in this process (Repository::open):
// the keys and the path relative to the root. Null keys: a plain repository, no repository, or one of the files that
// stay readable without the key (the marker and the key slots).
struct Binding {
    std::shared_ptr<const Keys> keys;
    QString relative;
};
Binding bindingFor(const QString &path);
void bindRepository(const QString &root, std::shared_ptr<const Keys> keys);
std::shared_ptr<const Keys> keysForRoot(const QString &root);

QByteArray randomBytes(int n);

} // namespace pga::repo::crypto
