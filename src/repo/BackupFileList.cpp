#include "BackupFileList.h"
#include "ContentReader.h"
#include "ObjectStorage.h"
#include "FileAccess.h"

#include "DurableFile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pga::repo {

namespace {

// A line is one file's entry: a 1 GiB relation segment has 1024 chunk ids (~67 kB). Anything near this is damage.
constexpr qint64 kMaxLine = qint64(256) << 20;
constexpr qsizetype kReadBlock = 256 << 10;

QString typeName(BackupFileEntry::Type t)
{
    switch (t) {
    case BackupFileEntry::Type::Directory:
        return QStringLiteral("dir");
    case BackupFileEntry::Type::Symlink:
        return QStringLiteral("link");
    default:
        return QStringLiteral("file");
    }
}

} // namespace

QByteArray BackupFileEntry::toJsonLine() const
{
    QJsonObject o{{QStringLiteral("path"), path}, {QStringLiteral("type"), typeName(type)},
                  {QStringLiteral("mode"), qint64(mode)}, {QStringLiteral("mtime"), mtime}};
    if (tablespace)
        o.insert(QStringLiteral("tablespace"), qint64(tablespace));
    if (type == Type::File)
        o.insert(QStringLiteral("size"), size);
    if (type == Type::Symlink)
        o.insert(QStringLiteral("link"), link);
    QByteArray out = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (type != Type::File)
        return out;
    // The chunk ids as text directly: a QJsonArray of them would only be a larger copy.
    out.chop(1);
    out.reserve(out.size() + chunks.size() * 67 + 12);
    out += ",\"chunks\":[";
    for (qsizetype c = 0; c < chunks.size(); ++c) {
        if (c > 0)
            out += ',';
        out += '"';
        out += chunks[c].hex().toLatin1();
        out += '"';
    }
    out += "]}";
    return out;
}

Result<std::unique_ptr<BackupFileListWriter>> BackupFileListWriter::create(const QString &path, const FileOwner &owner)
{
    auto out = HashingFileWriter::create(path, owner);
    if (!out)
        return out.error();
    auto w = std::make_unique<BackupFileListWriter>();
    w->m_out = std::move(*out);
    return w;
}

Status BackupFileListWriter::add(const BackupFileEntry &e)
{
    QByteArray line = e.toJsonLine();
    line += '\n';
    ++m_count;
    return m_out->write(line);
}

BackupFileListReader::BackupFileListReader(QString path, const Expect &expect)
    : m_path(std::move(path)), m_expect(expect), m_sha(std::make_unique<Sha256>())
{
}

Result<BackupFileListReader> BackupFileListReader::open(const QString &path, const Expect &expect)
{
    BackupFileListReader r(path, expect);
    auto file = ContentReader::open(path);
    if (!file && file.error().code == Error::Code::NotFound)
        return Error(Error::Code::Corrupt, QStringLiteral("Backup %1 is damaged: its file list %2 is missing. This backup cannot be "
                                                          "used; restore another backup or take a new one.")
                                               .arg(expect.backupId, path));
    if (!file)
        return file.error();
    r.m_file = std::move(*file);
    return r;
}

Error BackupFileListReader::corrupt(const QString &why) const
{
    return Error(Error::Code::Corrupt,
                 QStringLiteral("The file list of backup %1 is damaged (%2): %3. This backup cannot be used; restore another backup "
                                "or take a new one.")
                     .arg(m_expect.backupId, why, m_path));
}

Result<QByteArray> BackupFileListReader::readLine()
{
    // Our own buffering: QIODevice::readLine(max) reserves `max` bytes for every line (a mapping and an unmapping
    // per line, with TLB shootdowns), and readLine() without a limit would read a damaged list without newlines whole.
    for (;;) {
        const qsizetype nl = m_buf.indexOf('\n', m_pos);
        if (nl >= 0 || (m_eof && m_pos < m_buf.size())) {
            const qsizetype end = nl >= 0 ? nl + 1 : m_buf.size();
            QByteArray line = m_buf.mid(m_pos, end - m_pos);
            m_pos = end;
            return line;
        }
        if (m_eof)
            return QByteArray();
        if (m_buf.size() - m_pos > kMaxLine)
            return corrupt(QStringLiteral("entry %1 is longer than %2 MiB").arg(m_read + 1).arg(kMaxLine >> 20));
        m_buf.remove(0, m_pos);
        m_pos = 0;
        auto piece = m_file->read(kReadBlock);
        if (!piece && piece.error().code == Error::Code::NotFound)
            return corrupt(QStringLiteral("it is missing"));
        if (!piece && piece.error().code == Error::Code::Corrupt)
            return corrupt(piece.error().message);
        if (!piece)
            return piece.error();
        m_buf += *piece;
        m_eof = piece->isEmpty();
    }
}

Result<bool> BackupFileListReader::next(BackupFileEntry &e)
{
    if (m_done)
        return false;
    auto read = readLine();
    if (!read)
        return read.error();
    QByteArray line = *read;
    if (line.isEmpty()) {
        m_done = true;
        if (m_read != m_expect.count)
            return corrupt(QStringLiteral("%1 entries where the manifest records %2; truncated?").arg(m_read).arg(m_expect.count));
        if (m_sha->finishHex() != m_expect.sha256)
            return corrupt(QStringLiteral("checksum mismatch"));
        return false;
    }
    m_sha->add(line);
    if (!line.endsWith('\n'))
        return corrupt(QStringLiteral("entry %1 is cut off; truncated?").arg(m_read + 1));
    line.chop(1);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return corrupt(QStringLiteral("entry %1: %2 at byte %3").arg(m_read + 1).arg(pe.errorString()).arg(pe.offset));
    ++m_read;
    const QJsonObject f = doc.object();
    e = BackupFileEntry();
    e.path = f.value(QStringLiteral("path")).toString();
    const QString type = f.value(QStringLiteral("type")).toString();
    e.type = type == QLatin1String("dir")    ? BackupFileEntry::Type::Directory
             : type == QLatin1String("link") ? BackupFileEntry::Type::Symlink
                                             : BackupFileEntry::Type::File;
    e.tablespace = quint32(f.value(QStringLiteral("tablespace")).toInteger());
    e.mode = quint32(f.value(QStringLiteral("mode")).toInteger());
    e.mtime = f.value(QStringLiteral("mtime")).toInteger();
    e.size = f.value(QStringLiteral("size")).toInteger();
    e.link = f.value(QStringLiteral("link")).toString();
    if (e.path.isEmpty() || e.path.startsWith(QLatin1Char('/')) || e.path.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return corrupt(QStringLiteral("entry %1 has the path '%2'").arg(m_read).arg(e.path));
    const QJsonArray chunks = f.value(QStringLiteral("chunks")).toArray();
    e.chunks.reserve(chunks.size());
    for (const QJsonValue &c : chunks) {
        const auto id = ChunkId::fromHex(c.toString());
        if (!id)
            return corrupt(QStringLiteral("%1 names a chunk '%2', which is not a SHA-256").arg(e.path, c.toString()));
        e.chunks << *id;
    }
    if (e.type == BackupFileEntry::Type::File && m_expect.chunkSize > 0
        && (e.size < 0 || e.chunks.size() != (e.size + m_expect.chunkSize - 1) / m_expect.chunkSize))
        return corrupt(QStringLiteral("%1 has %2 bytes but %3 chunks").arg(e.path).arg(e.size).arg(e.chunks.size()));
    return true;
}

Status BackupFileListReader::checkToEnd()
{
    BackupFileEntry e;
    for (;;) {
        auto more = next(e);
        if (!more)
            return more.error();
        if (!*more)
            return {};
    }
}

} // namespace pga::repo
