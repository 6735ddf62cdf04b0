#pragma once

#include "Encryption.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace pga::repo {

// A repository file's content read front to back in pieces, whatever holds it: a file with read(2), an object in
// ranged GETs, and in an encrypted repository authenticated segment by segment (Encryption.h). So files.jsonl, a
// dump or a server's backup_manifest is never held whole, and the end is reported only once it was checked.
class ContentReader {
public:
    // NotFound when absent.
    static Result<std::unique_ptr<ContentReader>> open(const QString &path);
    ~ContentReader();

    // Up to about `want` more bytes of content (whole segments when sealed, so possibly more); empty at the end.
    Result<QByteArray> read(qint64 want);
    qint64 storedSize() const { return m_stored; }  // known after open, or after the first read of an object
    QString path() const { return m_path; }

private:
    explicit ContentReader(QString path) : m_path(std::move(path)) {}
    Result<QByteArray> readStored(qint64 want);
    QString m_path;
    int m_fd = -1;
    bool m_object = false;
    qint64 m_stored = -1;
    qint64 m_offset = 0;  // stored bytes read so far
    crypto::Binding m_binding;
    std::unique_ptr<crypto::Opener> m_opener;
    bool m_end = false;
};

// The first `length` bytes of a file's content (fewer when it is shorter; whole segments when sealed), and its
// stored size: a WAL file's header without the WAL.
Result<QByteArray> readContentHead(const QString &path, qint64 length, qint64 *storedSize);

} // namespace pga::repo
