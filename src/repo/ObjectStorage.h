#pragma once

#include "DurableFile.h"
#include "FileAccess.h"
#include "core/Result.h"
#include "s3/S3Config.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <initializer_list>
#include <memory>

namespace pga::repo {

namespace s3 {
class Client;
}

// The object-storage side of the repository's Storage seam. The file functions of DurableFile.h and FileAccess.h
// take repository paths; a path under "s3://BUCKET/PREFIX" is an object key and those functions hand it here, so
// the repository code above them (manifests, catalogs, the chunk store, the WAL archive) is the same for both.
//
// What object storage changes: there are no directories (a "directory" is a key prefix, listed with a delimiter,
// and always exists), no temporaries and no fsync (a completed PUT is durable; its Content-MD5 and ETag confirm the
// bytes), and publishing is atomic per object. Publish::IfAbsent asks HEAD first and sends If-None-Match: *; a store
// that ignores the header could let two concurrent first writers both succeed, which is why every caller that
// publishes IfAbsent compares the content after a Conflict and after it wins.
bool isObjectPath(const QString &path);
// The parent of a repository path ("s3://b/p/x" -> "s3://b/p"; POSIX paths as QFileInfo::absolutePath).
QString parentPath(const QString &path);

namespace object {

// The client for the path's bucket (made on first use from the environment; see s3/S3Config.h) and the key.
Result<const s3::Client *> clientFor(const QString &path, QString *key);
// Settings for a bucket given by the application (the GUI: its server dialog and keychain) instead of the
// environment; every later request for that bucket uses them. Requests already running finish with the old ones.
void configure(const s3::Config &config);

Result<QByteArray> read(const QString &path, qint64 maxSize);
// The first `length` bytes (or fewer), and the object's size; NotFound when absent.
Result<QByteArray> readHead(const QString &path, qint64 length, qint64 *totalSize);
// Bytes [offset, offset + length) or fewer at the end (empty past it): a large object read piece by piece.
Result<QByteArray> readRange(const QString &path, qint64 offset, qint64 length, qint64 *totalSize);
Status write(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode);
Status forEachEntry(const QString &dir, EntryType type, bool includeHidden, const std::function<Status(const QString &name)> &fn);
Result<bool> exists(const QString &path);       // an object, or a prefix with something under it
Result<qint64> size(const QString &path);       // -1 when absent
Status remove(const QString &path);             // absent is fine
Status removeTree(const QString &dir);          // every object under dir/

// An object written front to back without holding it whole: up to the multipart threshold it is kept and sent as
// one PUT by finish(); beyond it, it goes up in parts as they fill. Nothing is visible before finish() succeeds;
// destroying an unfinished writer aborts the upload.
class StreamWriter {
public:
    static Result<std::unique_ptr<StreamWriter>> create(const QString &path);
    static std::unique_ptr<StreamWriter> create(const s3::Client *client, const QString &key);
    ~StreamWriter();
    Status write(const char *data, size_t size);
    Status finish();

private:
    StreamWriter(const s3::Client *client, QString key) : m_client(client), m_key(std::move(key)) {}
    Status flushPart(qsizetype bytes);
    const s3::Client *m_client;
    QString m_key;
    QByteArray m_buf;
    QString m_uploadId;
    QStringList m_etags;
    bool m_done = false;
};

} // namespace object

} // namespace pga::repo
