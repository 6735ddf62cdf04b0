#include "WalScanCache.h"

#include "DurableFile.h"
#include "core/Sha256.h"

#include <QFileInfo>

namespace pga::repo {

namespace {
// An entry: the SHA-256 of the archived file's WAL (hex) '\n', the SHA-256 of the rest (hex) '\n', the encoding.
constexpr qsizetype kHex = 64;
constexpr qsizetype kHeader = 2 * (kHex + 1);
}

QString WalScanCache::pathFor(const WalFileMeta &m) const
{
    const QString timeline = QStringLiteral("%1").arg(m.timeline, 8, 16, QLatin1Char('0')).toUpper();
    return m_archive.repository().serverDir(m_archive.server()) + QStringLiteral("/walscan/") + timeline + QLatin1Char('/') + m.name +
           QStringLiteral(".act");
}

Result<wal::SegmentActivity> WalScanCache::activity(const WalFileMeta &m, bool *fromCache) const
{
    wal::SegmentActivity a;
    if (Status s = read(m, a, fromCache); !s)
        return s.error();
    return a;
}

Status WalScanCache::read(const WalFileMeta &m, wal::SegmentActivity &out, bool *fromCache) const
{
    if (fromCache)
        *fromCache = false;
    const QString path = pathFor(m);
    if (auto bytes = readWholeFile(path, qint64(256) << 20); bytes && bytes->size() > kHeader && bytes->left(kHex) == m.sha256.toLatin1() &&
                                                               bytes->at(kHex) == '\n' && bytes->at(kHeader - 1) == '\n' &&
                                                               Sha256::hexOf(bytes->constData() + kHeader, size_t(bytes->size() - kHeader)).toLatin1() ==
                                                                   bytes->mid(kHex + 1, kHex)) {
        if (wal::decodeActivityInto(bytes->mid(kHeader), out, m_scratch)) {
            if (fromCache)
                *fromCache = true;
            return {};
        }
    }
    auto name = WalName::parse(m.name);
    if (!name)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is not a WAL file name.").arg(m.name));
    auto data = m_archive.fetch(*name);
    if (!data)
        return data.error();
    auto a = wal::scanActivity(data->data(), data->size());
    if (!a)
        return Error(a.error().code, QStringLiteral("%1: %2").arg(m.name, a.error().message));
    const Repository &repo = m_archive.repository();
    if (repo.mayWrite()) {  // a reader without write access reads the WAL again next time
        const QString tlDir = QFileInfo(path).absolutePath();
        if (makeDirectoryDurably(QFileInfo(tlDir).absolutePath(), repo.cacheOwner()) && makeDirectoryDurably(tlDir, repo.cacheOwner()))
        {
            const QByteArray body = wal::encodeActivity(*a);
            const QByteArray header = m.sha256.toLatin1() + '\n' + Sha256::hexOf(body).toLatin1() + '\n';
            (void)writeFileDurably(path, {QByteArrayView(header), QByteArrayView(body)}, Publish::Replace, repo.cacheOwner());
        }
    }
    out = std::move(*a);
    return {};
}

} // namespace pga::repo
