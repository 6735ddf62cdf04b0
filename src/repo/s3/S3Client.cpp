#include "S3Client.h"

#include "core/Sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QThread>

#include "CurlApi.h"

#include <algorithm>
#include <mutex>

namespace pga::repo::s3 {

namespace {

struct Upload {
    const std::vector<QByteArrayView> *pieces = nullptr;
    size_t piece = 0;
    qsizetype offset = 0;
};

size_t readBody(char *out, size_t size, size_t n, void *user)
{
    auto *u = static_cast<Upload *>(user);
    size_t room = size * n, done = 0;
    while (room > 0 && u->piece < u->pieces->size()) {
        const QByteArrayView &p = (*u->pieces)[u->piece];
        const size_t take = std::min(room, size_t(p.size() - u->offset));
        memcpy(out + done, p.data() + u->offset, take);
        done += take;
        room -= take;
        u->offset += qsizetype(take);
        if (u->offset == p.size()) {
            ++u->piece;
            u->offset = 0;
        }
    }
    return done;
}

int seekBody(void *user, curl_off_t offset, int origin)
{
    auto *u = static_cast<Upload *>(user);
    if (origin != SEEK_SET || offset != 0)
        return CURL_SEEKFUNC_CANTSEEK;
    u->piece = 0;
    u->offset = 0;
    return CURL_SEEKFUNC_OK;
}

struct Sink {
    Response *response;
    qint64 max;
    bool overflow = false;
};

size_t writeBody(char *data, size_t size, size_t n, void *user)
{
    auto *s = static_cast<Sink *>(user);
    const size_t bytes = size * n;
    if (s->response->body.size() + qint64(bytes) > s->max) {
        s->overflow = true;
        return 0;
    }
    s->response->body.append(data, qsizetype(bytes));
    return bytes;
}

size_t writeHeader(char *data, size_t size, size_t n, void *user)
{
    auto *r = static_cast<Response *>(user);
    const QByteArray line = QByteArray(data, qsizetype(size * n)).trimmed();
    if (line.startsWith("HTTP/")) {
        r->headers.clear();  // a 100 Continue precedes the real answer
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        r->headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    return size * n;
}

bool retryableCurl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

bool retryableStatus(long status, const QByteArray &body)
{
    if (status == 429 || status == 408 || status >= 500)
        return true;
    if (status == 400) {  // S3 says RequestTimeout with 400 when the body came too slowly
        const ErrorDoc e = parseError(body);
        return e.code == QLatin1String("RequestTimeout");
    }
    return false;
}

QString displayUrl(const Config &c, const QString &key)
{
    return QStringLiteral("s3://%1/%2").arg(c.bucket, key);
}

} // namespace

Client::Client(Config config) : m_config(std::move(config)) {}

QByteArray Client::md5Of(std::initializer_list<QByteArrayView> parts)
{
    QCryptographicHash h(QCryptographicHash::Md5);
    for (const QByteArrayView &p : parts)
        h.addData(p);
    return h.result();
}

QString Client::display(const QString &key) const { return displayUrl(m_config, key); }

Client::~Client()
{
    if (auto api = curlApi())
        for (void *h : m_idle)
            (*api)->easy_cleanup(static_cast<CURL *>(h));
}

void *Client::acquireHandle() const
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            void *h = m_idle.back();
            m_idle.pop_back();
            return h;
        }
    }
    auto api = curlApi();
    return api ? (*api)->easy_init() : nullptr;
}

void Client::releaseHandle(void *handle) const
{
    std::lock_guard lock(m_mutex);
    m_idle.push_back(handle);
}

QByteArray Client::uriEncode(const QString &s, bool keepSlash)
{
    const QByteArray utf8 = s.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3 / 2);
    static const char hex[] = "0123456789ABCDEF";
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~'
            || (keepSlash && c == '/')) {
            out.append(char(c));
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 15]);
        }
    }
    return out;
}

QString Client::urlFor(const QString &key, const QList<QPair<QString, QString>> &query) const
{
    QString url;
    if (m_config.pathStyle) {
        url = m_config.endpoint + QLatin1Char('/') + m_config.bucket;
    } else {
        const qsizetype schemeEnd = m_config.endpoint.indexOf(QLatin1String("://")) + 3;
        url = m_config.endpoint.left(schemeEnd) + m_config.bucket + QLatin1Char('.') + m_config.endpoint.mid(schemeEnd);
    }
    url += QLatin1Char('/') + QString::fromLatin1(uriEncode(key, true));
    if (!query.isEmpty()) {
        QList<QPair<QByteArray, QByteArray>> q;
        for (const auto &[name, value] : query)
            q.append({uriEncode(name, false), uriEncode(value, false)});
        std::sort(q.begin(), q.end());
        QByteArray joined;
        for (const auto &[name, value] : q) {
            if (!joined.isEmpty())
                joined += '&';
            joined += name + '=' + value;  // "uploads=": the signer needs the '=' on a valueless parameter
        }
        url += QLatin1Char('?') + QString::fromLatin1(joined);
    }
    return url;
}

Result<Response> Client::sendOnce(void *handle, const Request &request, const QByteArray &payloadSha, bool *retryable) const
{
    const CurlApi &C = **curlApi();  // loaded: send() made the handle with it
    CURL *curl = static_cast<CURL *>(handle);
    C.easy_reset(curl);  // keeps the connection cache
    *retryable = false;
    Response response;
    Sink sink{&response, request.maxResponse};
    Upload upload{&request.body};
    char errbuf[CURL_ERROR_SIZE] = {0};

    const QByteArray url = urlFor(request.key, request.query).toUtf8();
    const QByteArray sigv4 = "aws:amz:" + m_config.region.toUtf8() + ":s3";
    const QByteArray user = m_config.credentials.accessKeyId.toUtf8();
    const QByteArray secret = m_config.credentials.secretAccessKey.toUtf8();
    qint64 bodySize = 0;
    for (const QByteArrayView &p : request.body)
        bodySize += p.size();

    // No "Expect:" to suppress 100-continue: curl would sign the empty header it then does not send.
    QList<QByteArray> headerLines{"x-amz-content-sha256: " + payloadSha};
    if (!m_config.credentials.sessionToken.isEmpty())
        headerLines << "x-amz-security-token: " + m_config.credentials.sessionToken.toUtf8();
    for (const auto &[name, value] : request.headers)
        headerLines << name + ": " + value;
    curl_slist *headers = nullptr;
    for (const QByteArray &h : headerLines)
        headers = C.slist_append(headers, h.constData());

    C.easy_setopt(curl, CURLOPT_URL, url.constData());
    C.easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.constData());
    C.easy_setopt(curl, CURLOPT_USERNAME, user.constData());
    C.easy_setopt(curl, CURLOPT_PASSWORD, secret.constData());
    C.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    C.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    static const bool verbose = qEnvironmentVariableIntValue("PGARCHIVIST_S3_TRACE") > 0;  // curl's own trace on stderr
    if (verbose)
        C.easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    C.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    C.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, long(m_config.connectTimeoutS));
    C.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    C.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(m_config.stallTimeoutS));
    C.easy_setopt(curl, CURLOPT_WRITEFUNCTION, writeBody);
    C.easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    C.easy_setopt(curl, CURLOPT_HEADERFUNCTION, writeHeader);
    C.easy_setopt(curl, CURLOPT_HEADERDATA, &response);
    C.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_config.verifyTls ? 1L : 0L);
    C.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_config.verifyTls ? 2L : 0L);
    const QByteArray caFile = m_config.caFile.toLocal8Bit(), caPath = m_config.caPath.toLocal8Bit();
    if (!caFile.isEmpty())
        C.easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    if (!caPath.isEmpty())
        C.easy_setopt(curl, CURLOPT_CAPATH, caPath.constData());

    // The body is read from the request's pieces (never joined), and can be read again when curl rewinds.
    auto sendBody = [&] {
        C.easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
        C.easy_setopt(curl, CURLOPT_READDATA, &upload);
        C.easy_setopt(curl, CURLOPT_SEEKFUNCTION, seekBody);
        C.easy_setopt(curl, CURLOPT_SEEKDATA, &upload);
    };
    if (request.method == "HEAD") {
        C.easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method == "PUT") {
        C.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        sendBody();
        C.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(bodySize));
    } else if (request.method == "POST") {
        C.easy_setopt(curl, CURLOPT_POST, 1L);
        sendBody();
        C.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodySize));
    } else if (request.method != "GET") {
        C.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.constData());
    }

    const CURLcode rc = C.easy_perform(curl);
    C.slist_free_all(headers);
    if (sink.overflow)
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The object store's answer to %1 %2 is larger than the %3 bytes expected.")
                         .arg(QString::fromLatin1(request.method), displayUrl(m_config, request.key))
                         .arg(request.maxResponse));
    if (rc != CURLE_OK) {
        *retryable = retryableCurl(rc);
        const QString detail = errbuf[0] ? QString::fromLocal8Bit(errbuf) : QString::fromLatin1(C.easy_strerror(rc));
        return Error(rc == CURLE_OPERATION_TIMEDOUT ? Error::Code::Timeout : Error::Code::Connection,
                     QStringLiteral("The object store at %1 did not complete %2 %3. Check the endpoint (--s3-endpoint), the network "
                                    "and the TLS settings.")
                         .arg(m_config.endpoint, QString::fromLatin1(request.method), displayUrl(m_config, request.key)),
                     detail);
    }
    C.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    *retryable = retryableStatus(response.status, response.body);
    return response;
}

Result<Response> Client::send(const Request &request) const
{
    Sha256 sha;
    for (const QByteArrayView &p : request.body)
        sha.add(p.data(), size_t(p.size()));
    const QByteArray payloadSha = sha.finishHex().toLatin1();
    if (auto api = curlApi(); !api)
        return api.error();
    void *handle = acquireHandle();
    if (!handle)
        return Error(Error::Code::Internal, QStringLiteral("libcurl could not make a handle."));
    Result<Response> last = Error(Error::Code::Internal, QStringLiteral("no attempt made"));
    for (int attempt = 0; attempt < m_config.attempts; ++attempt) {
        if (attempt > 0) {
            // 100 ms, 200 ms, 400 ms ... up to 5 s, with jitter so that parallel uploads do not retry in step.
            const int base = std::min(5000, 100 << std::min(attempt - 1, 6));
            QThread::msleep(ulong(base / 2 + int(QRandomGenerator::global()->bounded(base / 2 + 1))));
        }
        bool retryable = false;
        last = sendOnce(handle, request, payloadSha, &retryable);
        if (!retryable)
            break;
    }
    releaseHandle(handle);
    return last;
}

Error Client::errorFor(const Request &request, const Response &response) const
{
    const ErrorDoc doc = parseError(response.body);
    const QString what = QStringLiteral("%1 %2").arg(QString::fromLatin1(request.method), displayUrl(m_config, request.key));
    QString detail = QStringLiteral("HTTP %1").arg(response.status);
    if (!doc.code.isEmpty())
        detail += QStringLiteral(" %1: %2").arg(doc.code, doc.message);
    if (response.status == 403 || response.status == 401)
        return Error(Error::Code::Authentication,
                     QStringLiteral("The object store refused %1. Check the credentials (from %2), the region (%3) and the bucket "
                                    "policy.")
                         .arg(what, m_config.credentials.source, m_config.region),
                     detail);
    if (response.status == 404 && doc.code == QLatin1String("NoSuchBucket"))
        return Error(Error::Code::NotFound, QStringLiteral("The bucket %1 does not exist at %2. Create it first (e.g. 'aws s3 mb s3://%1').")
                                                .arg(m_config.bucket, m_config.endpoint),
                     detail);
    if (response.status == 404)
        return Error(Error::Code::NotFound, QStringLiteral("%1: no such object.").arg(displayUrl(m_config, request.key)), detail);
    if (response.status == 412 || response.status == 409)
        return Error(Error::Code::Conflict, QStringLiteral("%1 already exists in the object store.").arg(displayUrl(m_config, request.key)), detail);
    return Error(Error::Code::Io,
                 QStringLiteral("The object store failed %1 (after %2 attempts where it could be retried). Try again later; if it "
                                "persists, check the store's health.")
                     .arg(what)
                     .arg(m_config.attempts),
                 detail);
}

Result<QByteArray> Client::get(const QString &key, qint64 maxSize) const
{
    Request r;
    r.key = key;
    r.maxResponse = maxSize;
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 200)
        return errorFor(r, *resp);
    // curl already refused a body shorter than its Content-Length; a missing length is all we cannot check here.
    return std::move(resp->body);
}

Result<QByteArray> Client::getRange(const QString &key, qint64 offset, qint64 length, qint64 *total) const
{
    Request r;
    r.key = key;
    r.maxResponse = length;
    r.headers << qMakePair(QByteArray("Range"), "bytes=" + QByteArray::number(offset) + '-' + QByteArray::number(offset + length - 1));
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status == 200) {  // the store ignored the range (or it covered the whole object)
        if (total)
            *total = resp->body.size();
        return resp->body.mid(offset, length);
    }
    if (resp->status != 206)
        return errorFor(r, *resp);
    // Content-Range: bytes FIRST-LAST/TOTAL
    const QByteArray range = resp->header("content-range");
    const qsizetype slash = range.lastIndexOf('/');
    bool ok = false;
    const qint64 size = slash > 0 ? range.mid(slash + 1).toLongLong(&ok) : -1;
    if (!ok || !range.startsWith(QByteArray("bytes " + QByteArray::number(offset) + '-')))
        return Error(Error::Code::Corrupt, QStringLiteral("The object store answered a range request for %1 with Content-Range '%2'.")
                                               .arg(displayUrl(m_config, key), QString::fromLatin1(range)));
    if (total)
        *total = size;
    return std::move(resp->body);
}

Result<std::optional<ObjectInfo>> Client::head(const QString &key) const
{
    Request r;
    r.method = "HEAD";
    r.key = key;
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status == 404)
        return std::optional<ObjectInfo>();
    if (resp->status != 200)
        return errorFor(r, *resp);
    ObjectInfo info;
    info.size = resp->header("content-length").toLongLong();
    info.etag = QString::fromLatin1(resp->header("etag")).remove(QLatin1Char('"'));
    info.etagIsMd5 = !resp->header("x-amz-server-side-encryption").startsWith("aws:kms");
    return std::optional<ObjectInfo>(info);
}

Status Client::put(const QString &key, std::initializer_list<QByteArrayView> parts, bool ifNoneMatch) const
{
    const QByteArray md5 = md5Of(parts);
    Request r;
    r.method = "PUT";
    r.key = key;
    r.body.assign(parts.begin(), parts.end());
    r.headers << qMakePair(QByteArray("Content-MD5"), md5.toBase64()) << qMakePair(QByteArray("Content-Type"), QByteArray("application/octet-stream"));
    if (ifNoneMatch)
        r.headers << qMakePair(QByteArray("If-None-Match"), QByteArray("*"));
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 200)
        return errorFor(r, *resp);
    // A plain PUT's ETag is the MD5 of what was stored; one that is not an MD5 (SSE-KMS) was checked by Content-MD5.
    const QByteArray etag = resp->header("etag").replace('"', "");
    const bool kms = resp->header("x-amz-server-side-encryption").startsWith("aws:kms");
    if (!kms && etag.size() == 32 && etag.toLower() != md5.toHex())
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The object store stored something else than was sent for %1 (its ETag %2 is not the MD5 %3).")
                         .arg(displayUrl(m_config, key), QString::fromLatin1(etag), QString::fromLatin1(md5.toHex())));
    return {};
}

Status Client::remove(const QString &key) const
{
    Request r;
    r.method = "DELETE";
    r.key = key;
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 204 && resp->status != 200 && resp->status != 404)
        return errorFor(r, *resp);
    return {};
}

Status Client::list(const QString &prefix, const QString &delimiter, const std::function<Status(const ListPage &)> &fn, int maxKeys) const
{
    QString token;
    for (;;) {
        Request r;
        r.query << qMakePair(QStringLiteral("list-type"), QStringLiteral("2")) << qMakePair(QStringLiteral("prefix"), prefix);
        if (!delimiter.isEmpty())
            r.query << qMakePair(QStringLiteral("delimiter"), delimiter);
        if (!token.isEmpty())
            r.query << qMakePair(QStringLiteral("continuation-token"), token);
        if (maxKeys > 0)
            r.query << qMakePair(QStringLiteral("max-keys"), QString::number(maxKeys));
        r.maxResponse = 16 << 20;
        auto resp = send(r);
        if (!resp)
            return resp.error();
        if (resp->status != 200)
            return errorFor(r, *resp);
        auto page = parseListPage(resp->body);
        if (!page)
            return page.error();
        if (Status s = fn(*page); !s)
            return s;
        if (!page->truncated || maxKeys > 0)
            return {};
        token = page->nextToken;
    }
}

} // namespace pga::repo::s3
