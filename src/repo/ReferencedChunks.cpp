#include "ReferencedChunks.h"

#include "DurableFile.h"

#include <QDir>

#include <algorithm>

namespace pga::repo {

Result<std::unique_ptr<ReferencedChunks>> ReferencedChunks::create(const QString &dir, const FileOwner &owner, qint64 maxPartBytes)
{
    if (QFileInfo::exists(dir))
        QDir(dir).removeRecursively();
    if (Status s = makeDirectoryDurably(dir, owner); !s)
        return s.error();
    return std::unique_ptr<ReferencedChunks>(new ReferencedChunks(dir, owner, std::max<qint64>(maxPartBytes, 32)));
}

ReferencedChunks::~ReferencedChunks()
{
    for (auto &b : m_buckets)
        b.reset();
    QDir(m_dir).removeRecursively();
}

QString ReferencedChunks::bucketPath(int prefix) const { return m_dir + QStringLiteral("/%1").arg(prefix, 2, 16, QLatin1Char('0')); }

Status ReferencedChunks::add(const ChunkId &id)
{
    const int prefix = id.bytes[0];
    auto &b = m_buckets[size_t(prefix)];
    if (!b) {
        b = std::make_unique<QFile>(bucketPath(prefix));
        if (!b->open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error(Error::Code::Io, QStringLiteral("Could not create %1: %2").arg(b->fileName(), b->errorString()));
        if (Status s = m_owner.applyToFile(b->handle(), b->fileName()); !s)
            return s;
    }
    if (b->write(reinterpret_cast<const char *>(id.bytes.data()), qint64(id.bytes.size())) != qint64(id.bytes.size()))
        return ioError(QStringLiteral("Writing"), b->fileName(), ENOSPC);
    m_sizes[size_t(prefix)] += qint64(id.bytes.size());
    return {};
}

Status ReferencedChunks::finish()
{
    for (auto &b : m_buckets)
        if (b) {
            if (!b->flush())
                return ioError(QStringLiteral("Writing"), b->fileName(), ENOSPC);
            b->close();
        }
    return {};
}

int ReferencedChunks::parts(int prefix) const
{
    return int(std::clamp<qint64>((m_sizes[size_t(prefix)] + m_maxPartBytes - 1) / m_maxPartBytes, 1, 256));
}

std::pair<int, int> ReferencedChunks::secondByteRange(int prefix, int part) const
{
    const int n = parts(prefix);
    return {part * 256 / n, (part + 1) * 256 / n - 1};
}

Result<std::vector<ChunkId>> ReferencedChunks::load(int prefix, int part) const
{
    std::vector<ChunkId> out;
    if (!m_sizes[size_t(prefix)])
        return out;
    QFile f(bucketPath(prefix));
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Code::Io, QStringLiteral("Could not read %1: %2").arg(f.fileName(), f.errorString()));
    const auto [lo, hi] = secondByteRange(prefix, part);
    ChunkId id;
    const qint64 n = qint64(id.bytes.size());
    while (f.read(reinterpret_cast<char *>(id.bytes.data()), n) == n)
        if (id.bytes[1] >= lo && id.bytes[1] <= hi)
            out.push_back(id);
    std::sort(out.begin(), out.end(), [](const ChunkId &a, const ChunkId &b) { return a.bytes < b.bytes; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace pga::repo
