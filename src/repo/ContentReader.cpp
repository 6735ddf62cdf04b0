#include "ContentReader.h"

#include "DurableFile.h"
#include "FileAccess.h"
#include "ObjectStorage.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pga::repo {

Result<std::unique_ptr<ContentReader>> ContentReader::open(const QString &path)
{
    std::unique_ptr<ContentReader> r(new ContentReader(path));
    r->m_binding = crypto::bindingFor(path);
    r->m_object = isObjectPath(path);
    if (r->m_object)
        return r;  // absence shows on the first GET
    r->m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (r->m_fd < 0) {
        if (errno == ENOENT)
            return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path));
        return accessError(QStringLiteral("Reading"), path, errno);
    }
    struct stat st{};
    if (::fstat(r->m_fd, &st) != 0)
        return ioError(QStringLiteral("Examining"), path, errno);
    r->m_stored = qint64(st.st_size);
    return r;
}

ContentReader::~ContentReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<QByteArray> ContentReader::readStored(qint64 want)
{
    if (m_object) {
        qint64 total = 0;
        auto piece = object::readRange(m_path, m_offset, want, &total);
        if (!piece)
            return piece.error();
        m_stored = total;
        m_offset += piece->size();
        return piece;
    }
    QByteArray buf(qsizetype(want), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < buf.size()) {
        const ssize_t n = ::read(m_fd, buf.data() + got, size_t(buf.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError(QStringLiteral("Reading"), m_path, errno);
        if (n == 0)
            break;
        got += n;
    }
    buf.truncate(got);
    m_offset += got;
    return buf;
}

Result<QByteArray> ContentReader::read(qint64 want)
{
    if (m_end)
        return QByteArray();
    want = std::max<qint64>(want, 1);
    if (!m_binding.keys) {
        auto piece = readStored(want);
        if (piece && piece->isEmpty())
            m_end = true;
        return piece;
    }
    for (;;) {
        // Whole segments, so that each read gives content (the header comes with the first).
        const qint64 segments = std::max<qint64>(1, (want + crypto::kSegment - 1) / crypto::kSegment);
        auto piece = readStored(segments * (crypto::kSegment + crypto::kTag) + (m_offset == 0 ? crypto::kHeader : 0));
        if (!piece)
            return piece.error();
        if (!m_opener)
            m_opener = std::make_unique<crypto::Opener>(m_binding.keys, m_binding.relative, m_path, std::max<qint64>(m_stored, 0));
        if (piece->isEmpty()) {
            m_end = true;
            if (Status s = m_opener->finish(); !s)
                return s.error();
            return QByteArray();
        }
        auto content = m_opener->add(*piece);
        if (!content || !content->isEmpty())
            return content;
    }
}

Result<QByteArray> readContentHead(const QString &path, qint64 length, qint64 *storedSize)
{
    auto r = ContentReader::open(path);
    if (!r)
        return r.error();
    QByteArray out;
    while (out.size() < length) {
        auto piece = (*r)->read(length - out.size());
        if (!piece)
            return piece.error();
        if (piece->isEmpty())
            break;
        out += *piece;
    }
    if (storedSize)
        *storedSize = (*r)->storedSize();
    return out;
}

} // namespace pga::repo
