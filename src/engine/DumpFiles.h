#pragma once

// Internal to the dump operations: reading a dump's stored files back (RestoreDump, Verify).
#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/Sha256.h"
#include "core/Zstd.h"
#include "repo/DumpCatalog.h"
#include "repo/ContentReader.h"

#include <QFile>

namespace pga::engine {

// A stored dump file read front to back, decompressed in bounded pieces (or only hashed), with its SHA-256 and size
// checked against the manifest when the end is reached.
class StoredReader {
public:
    StoredReader(QString path, repo::DumpFile f, bool decompress = true) : m_path(std::move(path)), m_meta(std::move(f)), m_decompress(decompress) {}
    Status open()
    {
        auto r = repo::ContentReader::open(m_path);
        if (!r)
            return Error(r.error().code == Error::Code::NotFound ? Error::Code::Corrupt : r.error().code,
                         QStringLiteral("The dump file %1 cannot be read: %2").arg(m_path, r.error().message));
        m_file = std::move(*r);
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
                    return Error(Error::Code::Corrupt, QStringLiteral("The dump file %1 is damaged: %2").arg(m_path, s.error().message));
                if (!out.isEmpty())
                    return out;
            }
            // 8 MiB ranged GETs on object storage, 256 KiB reads from a file: a large dump is never held whole.
            auto piece = m_file->read(m_file->path().startsWith(QLatin1String("s3://")) ? qint64(8) << 20 : qint64(256) << 10);
            if (!piece)
                return Error(piece.error().code == Error::Code::NotFound ? Error::Code::Corrupt : piece.error().code,
                             QStringLiteral("The dump file %1 cannot be read: %2").arg(m_path, piece.error().message));
            m_buf = *piece;
            const qint64 n = m_buf.size();
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
                                                   .arg(m_path));
        if (!m_decompress)
            return {};
        if (Status s = m_z.finish(); !s)
            return Error(Error::Code::Corrupt, QStringLiteral("The dump file %1 is damaged: %2").arg(m_path, s.error().message));
        return {};
    }
    QString m_path;
    std::unique_ptr<repo::ContentReader> m_file;
    repo::DumpFile m_meta;
    QByteArray m_buf;
    Sha256 m_sha;
    zstd::StreamDecompressor m_z;
    qint64 m_read = 0;
    bool m_decompress = true;
};

// Unpacks a stored file into `to` (pg_restore needs a seekable archive for --jobs and lists).
Status decompressTo(const QString &from, const repo::DumpFile &f, const QString &to, const CancelToken &cancel);

} // namespace pga::engine
