#pragma once

// Internal to the dump operations: reading a dump's stored files back (RestoreDump, Verify).
#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/Sha256.h"
#include "core/Zstd.h"
#include "repo/DumpCatalog.h"
#include "repo/ObjectStorage.h"

#include <QFile>

namespace pga::engine {

// A stored dump file read front to back, decompressed in bounded pieces (or only hashed), with its SHA-256 and size
// checked against the manifest when the end is reached.
class StoredReader {
public:
    StoredReader(QString path, repo::DumpFile f, bool decompress = true)
        : m_file(path), m_object(repo::isObjectPath(path)), m_meta(std::move(f)), m_decompress(decompress) {}
    Status open()
    {
        if (m_object)
            return {};  // read in ranges as it goes
        if (!m_file.open(QIODevice::ReadOnly))
            return Error(m_file.exists() ? Error::Code::Io : Error::Code::Corrupt,
                         QStringLiteral("The dump file %1 cannot be read: %2").arg(m_file.fileName(), m_file.errorString()));
        return {};
    }
    // The next decompressed piece (at most 4 MiB, whatever the compression ratio); empty at the end, after the checks.
    Result<QByteArray> next()
    {
        QByteArray out;
        for (;;) {
            if (m_decompress) {
                bool needInput = false;
                if (Status s = m_z.drain(out, 4 << 20, &needInput); !s)
                    return Error(Error::Code::Corrupt, QStringLiteral("The dump file %1 is damaged: %2").arg(m_file.fileName(), s.error().message));
                if (!out.isEmpty())
                    return out;
            }
            qint64 n = 0;
            if (m_object) {  // 8 MiB ranged GETs: a large dump is never held whole
                qint64 total = 0;
                auto piece = repo::object::readRange(m_file.fileName(), m_read, qint64(8) << 20, &total);
                if (!piece)
                    return Error(piece.error().code == Error::Code::NotFound ? Error::Code::Corrupt : piece.error().code,
                                 QStringLiteral("The dump file %1 cannot be read: %2").arg(m_file.fileName(), piece.error().message));
                n = piece->size();
                m_buf = *piece;
            } else {
                n = m_file.read(m_buf.data(), m_buf.size());
            }
            if (n < 0)
                return Error(Error::Code::Io, QStringLiteral("Could not read %1: %2").arg(m_file.fileName(), m_file.errorString()));
            if (n == 0) {
                if (Status s = check(); !s)
                    return s.error();
                return QByteArray();
            }
            m_read += n;
            m_sha.add(m_buf.constData(), size_t(n));
            if (!m_decompress)
                return QByteArray(1, '\0');  // a token: something was read
            m_z.feed(m_buf.constData(), size_t(n));
        }
    }

private:
    Status check()
    {
        if (m_read != m_meta.bytes || m_sha.finishHex() != m_meta.sha256)
            return Error(Error::Code::Corrupt, QStringLiteral("The dump file %1 is damaged: its content does not match the SHA-256 in the "
                                                              "manifest. This dump cannot be restored; use another dump.")
                                                   .arg(m_file.fileName()));
        if (!m_decompress)
            return {};
        if (Status s = m_z.finish(); !s)
            return Error(Error::Code::Corrupt, QStringLiteral("The dump file %1 is damaged: %2").arg(m_file.fileName(), s.error().message));
        return {};
    }
    QFile m_file;
    bool m_object = false;  // an s3:// object: m_file only names it
    repo::DumpFile m_meta;
    QByteArray m_buf = QByteArray(256 << 10, Qt::Uninitialized);
    Sha256 m_sha;
    zstd::StreamDecompressor m_z;
    qint64 m_read = 0;
    bool m_decompress = true;
};

// Unpacks a stored file into `to` (pg_restore needs a seekable archive for --jobs and lists).
Status decompressTo(const QString &from, const repo::DumpFile &f, const QString &to, const CancelToken &cancel);

} // namespace pga::engine
