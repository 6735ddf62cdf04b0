#pragma once

#include "S3Config.h"
#include "S3Xml.h"
#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <vector>

namespace pga::repo::s3 {

// An S3 request signed with AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4). curl 7.88 neither sends nor
// computes x-amz-content-sha256, so the payload's SHA-256 is sent and signed as a header; the query is given
// canonically (sorted, RFC 3986-encoded, "name=" for a valueless parameter) because that curl signs it as given.
struct Request {
    QByteArray method = "GET";
    QString key;                                   // object key, unencoded; empty for the bucket
    QList<QPair<QString, QString>> query;          // sorted and encoded by the client
    QList<QPair<QByteArray, QByteArray>> headers;  // extra headers (signed)
    std::vector<QByteArrayView> body;              // sent as one payload, pieces not joined
    qint64 maxResponse = qint64(1) << 30;          // a longer answer is an error, not memory exhaustion
};

struct Response {
    long status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;  // lower-case names
    QByteArray header(const QByteArray &name) const { return headers.value(name); }
};

struct ObjectInfo {
    qint64 size = 0;
    QString etag;
    bool etagIsMd5 = true;  // false under SSE-KMS (x-amz-server-side-encryption: aws:kms), whose ETags are no MD5
};

// One bucket. Thread-safe: each request takes a curl handle from a pool (so connections are reused across
// requests and threads never share a handle). Transient failures (5xx, 429, timeouts, dropped or truncated
// transfers) are retried with exponential backoff before an error is returned.
class Client {
public:
    explicit Client(Config config);
    ~Client();
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    const Config &config() const { return m_config; }
    // The request's URL (for messages and tests).
    QString urlFor(const QString &key, const QList<QPair<QString, QString>> &query = {}) const;

    // One request with retries; any HTTP status comes back as a Response (the helpers below map them to errors).
    Result<Response> send(const Request &request) const;

    Result<QByteArray> get(const QString &key, qint64 maxSize) const;             // NotFound on 404
    // Bytes [offset, offset + length) (fewer at the end of the object); *total gets the object's size.
    Result<QByteArray> getRange(const QString &key, qint64 offset, qint64 length, qint64 *total) const;
    Result<std::optional<ObjectInfo>> head(const QString &key) const;             // nullopt on 404
    // PUT with Content-MD5 (the store checks the body) and the ETag compared with it (what was stored is what
    // was sent). ifNoneMatch adds "If-None-Match: *": a store that honours it answers 412, which is Conflict.
    Status put(const QString &key, std::initializer_list<QByteArrayView> parts, bool ifNoneMatch) const;
    Status remove(const QString &key) const;                                      // absent is fine
    // ListObjectsV2 page by page (1000 keys each): fn sees every page as it arrives, nothing is accumulated.
    // maxKeys > 0: only the first page, of at most that many keys ("is there anything?").
    Status list(const QString &prefix, const QString &delimiter, const std::function<Status(const ListPage &)> &fn, int maxKeys = 0) const;

    // A multipart upload: begin, parts of any size but the last >= 5 MiB, complete (or abort).
    Result<QString> beginMultipart(const QString &key) const;
    Result<QString> uploadPart(const QString &key, const QString &uploadId, int partNumber, QByteArrayView data) const;  // ETag
    Status completeMultipart(const QString &key, const QString &uploadId, const QStringList &etags) const;
    void abortMultipart(const QString &key, const QString &uploadId) const;

    // An Error for an unsuccessful response: what was asked, the status, S3's code and message, what to do.
    Error errorFor(const Request &request, const Response &response) const;

    static QByteArray uriEncode(const QString &s, bool keepSlash);
    static QByteArray md5Of(std::initializer_list<QByteArrayView> parts);  // raw 16 bytes, for Content-MD5
    QString display(const QString &key) const;                          // "s3://BUCKET/KEY", for messages

private:
    void *acquireHandle() const;
    void releaseHandle(void *handle) const;
    Result<Response> sendOnce(void *curl, const Request &request, const QByteArray &payloadSha, bool *retryable) const;

    Config m_config;
    mutable std::mutex m_mutex;
    mutable std::vector<void *> m_idle;
};

} // namespace pga::repo::s3
