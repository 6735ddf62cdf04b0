#pragma once

#include "DurableFile.h"

#include "core/ChunkId.h"
#include "core/Result.h"

#include <QFile>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace pga::repo {

// The set of chunk ids that retained backups reference, for expire, kept on disk so that memory does not grow
// with the repository: ids are appended to 256 bucket files by their first byte (the chunk store's AB/
// directories), and a bucket is read back sorted only while its directory is swept. A large bucket is read in
// parts by the second byte, so at most ~kMaxPartBytes of ids are in memory at a time.
class ReferencedChunks {
public:
    static constexpr qint64 kMaxPartBytes = qint64(32) << 20;

    // `dir` is made for the buckets and removed with everything in it by the destructor.
    static Result<std::unique_ptr<ReferencedChunks>> create(const QString &dir, const FileOwner &owner = {}, qint64 maxPartBytes = kMaxPartBytes);
    ~ReferencedChunks();

    Status add(const ChunkId &id);
    Status finish();  // flushes the buckets; call before parts()/load()

    // How many parts bucket `prefix` is read in.
    int parts(int prefix) const;
    // Sorted, unique ids of bucket `prefix` whose second byte is in part `part` of `parts()`.
    Result<std::vector<ChunkId>> load(int prefix, int part) const;
    // The range of second bytes part `part` covers: [first, last].
    std::pair<int, int> secondByteRange(int prefix, int part) const;

private:
    ReferencedChunks(QString dir, const FileOwner &owner, qint64 maxPartBytes) : m_dir(std::move(dir)), m_owner(owner), m_maxPartBytes(maxPartBytes) {}
    QString bucketPath(int prefix) const;
    QString m_dir;
    FileOwner m_owner;
    qint64 m_maxPartBytes;
    std::array<std::unique_ptr<QFile>, 256> m_buckets;
    std::array<qint64, 256> m_sizes{};
};

} // namespace pga::repo
