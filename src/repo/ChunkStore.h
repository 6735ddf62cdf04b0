#pragma once

#include "DurableFile.h"
#include "Encryption.h"
#include "core/Buffer.h"
#include "core/ChunkId.h"
#include "core/Result.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <mutex>
#include <vector>

namespace pga::repo {

// Content-addressed chunks shared by all backups: REPO/chunks/AB/SHA256.zst, where SHA256 is the hash of
// the original bytes and AB its first two hex digits. A chunk file is one zstd frame (content size in the
// header), so `zstd -d` restores it. Thread-safe: the backup's workers put chunks concurrently.
class ChunkStore {
public:
    // In an encrypted repository (bound when Repository::open unlocked it) chunks are sealed and named by
    // HMAC-SHA-256 under the repository's name key, so a name says nothing about the content.
    explicit ChunkStore(QString chunksDir, FileOwner owner = {});

    // The name of raw bytes: their SHA-256, or their HMAC-SHA-256 in an encrypted repository.
    ChunkId nameOf(const char *data, size_t size) const { return crypto::chunkName(m_keys.get(), data, size); }
    bool encrypted() const { return m_keys != nullptr; }
    // On object storage every put is one PUT, durable when it returns; there is nothing to defer or sync.
    bool onObjectStorage() const { return m_objects; }

    // Deferred durability (for backups): put() writes hidden temporaries without syncing each; flush() makes them
    // all durable with one syncfs(2) and only then links them into place. So a chunk name never exists before its
    // data is on stable storage, at the cost of one file-system sync per batch instead of an fsync per chunk.
    void setDeferredSync(bool on) { m_deferred = on; }
    // Deferred mode: syncs and publishes the pending chunks; returns the bytes that turned out to be stored
    // already by a concurrent writer (the caller counted them as new).
    Result<qint64> flush();

    QString pathFor(const QString &hex) const;
    bool contains(const QString &hex) const;
    // Object storage: what contains() may answer without a HEAD per chunk. primeFrom() records the chunks of a
    // published backup (they exist while it is retained); an empty chunk prefix means none exists yet. A chunk
    // answered absent wrongly is only uploaded again with the same bytes under the same name.
    Status primeForBackup(const std::function<Status(const std::function<void(const ChunkId &)> &add)> &primeFrom);
    // Stores a compressed frame under the hash of its original content, unless present. Durable once
    // syncDirectories() returned: data written to a temporary, fdatasync'ed, linked into place (never
    // replacing an existing chunk). Returns the bytes written, 0 when the chunk was already stored.
    Result<qint64> put(const QString &hex, const char *frame, size_t frameSize);
    // A chunk found present is relied on: its directory is synced too before the backup is published.
    void noteReferenced(const QString &hex);
    // fsyncs every directory that gained an entry since the last call.
    Status syncDirectories();

    // The original bytes, decompressed and checked against the name (Corrupt on any mismatch).
    Status readInto(const QString &hex, char *out, size_t rawSize) const;
    Status verify(const QString &hex, size_t rawSize) const;

    // The AB/ prefix directories present (two lower-case hex digits).
    Result<QStringList> prefixes() const;
    // Every entry of one prefix directory, read as it is listed (never held whole): fn(hex, path), with an empty
    // hex for a leftover temporary. fn may remove the entry.
    Status scan(const QString &prefix, const std::function<Status(const QString &hex, const QString &path)> &fn) const;
    qint64 storedSize(const QString &hex) const;
    Status remove(const QString &hex);

    static bool isHash(const QString &s);

private:
    Status checkFrame(const QString &hex, const char *frame, size_t frameSize, char *out, size_t rawSize, const QString &path) const;
    QString relativePath(const QString &hex) const { return m_relDir + hex.left(2) + QLatin1Char('/') + hex + QStringLiteral(".zst"); }
    QString m_dir;
    std::shared_ptr<const crypto::Keys> m_keys;
    QString m_relDir;  // "chunks/" relative to the repository root, for the sealed chunks' authenticated path
    FileOwner m_owner;
    mutable std::mutex m_mutex;
    QSet<QString> m_dirty;
    QSet<QString> m_made;
    struct Pending {
        QString tmp, path, sub;
        qint64 size;
    };
    std::vector<Pending> m_pending;
    std::mutex m_flushMutex;
    bool m_deferred = false;
    bool m_objects = false;
    QSet<ChunkId> m_known;    // present: referenced by a published backup
    bool m_empty = false;     // the store had no chunk when the backup started
    static constexpr size_t kMaxPending = 2048;
};

} // namespace pga::repo
