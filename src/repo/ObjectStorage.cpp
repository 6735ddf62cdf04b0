#include "ObjectStorage.h"

#include "s3/S3Client.h"
#include "s3/S3Config.h"

#include <QFileInfo>

#include <map>
#include <vector>
#include <mutex>

namespace pga::repo {

bool isObjectPath(const QString &path) { return s3::isS3Url(path); }

QString parentPath(const QString &path)
{
    if (!isObjectPath(path))
        return QFileInfo(path).absolutePath();
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash > 4 ? path.left(slash) : path;  // "s3://b" has no parent
}

namespace object {

namespace {

std::mutex g_mutex;
std::map<QString, std::unique_ptr<s3::Client>> g_clients;  // one per bucket, for the life of the process
std::vector<std::unique_ptr<s3::Client>> g_replaced;         // kept: a running request may still use one

} // namespace

Result<const s3::Client *> clientFor(const QString &path, QString *key)
{
    auto loc = s3::parseUrl(path);
    if (!loc)
        return loc.error();
    if (key)
        *key = loc->key;
    std::lock_guard lock(g_mutex);
    auto it = g_clients.find(loc->bucket);
    if (it == g_clients.end()) {
        auto config = s3::configFromEnvironment(loc->bucket);
        if (!config)
            return config.error();
        it = g_clients.emplace(loc->bucket, std::make_unique<s3::Client>(*config)).first;
    }
    return it->second.get();
}

void configure(const s3::Config &config)
{
    std::lock_guard lock(g_mutex);
    auto &slot = g_clients[config.bucket];
    if (slot)
        g_replaced.push_back(std::move(slot));
    slot = std::make_unique<s3::Client>(config);
}

Result<QByteArray> read(const QString &path, qint64 maxSize)
{
    QString key;
    auto c = clientFor(path, &key);
    if (!c)
        return c.error();
    auto data = (*c)->get(key, maxSize);
    if (!data && data.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path), data.error().detail);
    return data;
}

Result<QByteArray> readHead(const QString &path, qint64 length, qint64 *totalSize)
{
    return readRange(path, 0, length, totalSize);
}

Result<QByteArray> readRange(const QString &path, qint64 offset, qint64 length, qint64 *totalSize)
{
    QString key;
    auto c = clientFor(path, &key);
    if (!c)
        return c.error();
    auto data = (*c)->getRange(key, offset, length, totalSize);
    if (!data && data.error().detail.startsWith(QLatin1String("HTTP 416")))  // the range starts at or past the end
        return QByteArray();
    if (!data && data.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path), data.error().detail);
    return data;
}

Status write(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode)
{
    QString key;
    auto c = clientFor(path, &key);
    if (!c)
        return c.error();
    if (mode == Publish::IfAbsent) {
        // Always asked, as not every S3-compatible store honours If-None-Match.
        auto present = (*c)->head(key);
        if (!present)
            return present.error();
        if (*present)
            return Error(Error::Code::Conflict, QStringLiteral("%1 already exists.").arg(path));
    }
    Status s = (*c)->put(key, parts, mode == Publish::IfAbsent);
    if (!s && s.error().code == Error::Code::Conflict)
        return Error(Error::Code::Conflict, QStringLiteral("%1 already exists.").arg(path), s.error().detail);
    if (!s || mode != Publish::IfAbsent)
        return s;
    // A store that ignores If-None-Match lets a concurrent first writer replace what we just put: what is stored now
    // must be ours (its ETag our MD5), or the caller is told Conflict and compares the content.
    auto now = (*c)->head(key);
    if (!now)
        return now.error();
    const QByteArray md5 = s3::Client::md5Of(parts).toHex();
    if (!*now || ((*now)->etagIsMd5 && (*now)->etag.size() == 32 && (*now)->etag.toLatin1().toLower() != md5))
        return Error(Error::Code::Conflict, QStringLiteral("%1 was written concurrently by another writer.").arg(path));
    return {};
}

Status forEachEntry(const QString &dir, EntryType type, bool includeHidden, const std::function<Status(const QString &name)> &fn)
{
    QString key;
    auto c = clientFor(dir, &key);
    if (!c)
        return c.error();
    const QString prefix = key.isEmpty() ? QString() : key + QLatin1Char('/');
    return (*c)->list(prefix, QStringLiteral("/"), [&](const s3::ListPage &page) -> Status {
        if (type == EntryType::Directories) {
            for (const QString &p : page.commonPrefixes) {
                QString name = p.mid(prefix.size());
                if (name.endsWith(QLatin1Char('/')))
                    name.chop(1);
                if (name.isEmpty() || name.contains(QLatin1Char('/')) || (!includeHidden && name.startsWith(QLatin1Char('.'))))
                    continue;
                if (Status s = fn(name); !s)
                    return s;
            }
        } else {
            for (const auto &o : page.objects) {
                if (!o.key.startsWith(prefix))
                    continue;
                const QString name = o.key.mid(prefix.size());
                // "dir/" placeholder objects (made by consoles) and anything deeper are not files of this directory.
                if (name.isEmpty() || name.contains(QLatin1Char('/')) || (!includeHidden && name.startsWith(QLatin1Char('.'))))
                    continue;
                if (Status s = fn(name); !s)
                    return s;
            }
        }
        return {};
    });
}

namespace {

// HEAD of the object at path: nullopt when absent.
Result<std::optional<s3::ObjectInfo>> headOf(const QString &path, const s3::Client **client = nullptr, QString *key = nullptr)
{
    QString k;
    auto c = clientFor(path, &k);
    if (!c)
        return c.error();
    if (client)
        *client = *c;
    if (key)
        *key = k;
    return (*c)->head(k);
}

} // namespace

Result<bool> exists(const QString &path)
{
    const s3::Client *client = nullptr;
    QString key;
    auto info = headOf(path, &client, &key);
    if (!info)
        return info.error();
    if (*info)
        return true;
    bool any = false;  // a "directory": anything under the prefix (one key is enough to know)
    Status s = client->list(key + QLatin1Char('/'), {}, [&](const s3::ListPage &page) -> Status {
        any = !page.objects.isEmpty() || !page.commonPrefixes.isEmpty();
        return {};
    }, 1);
    if (!s)
        return s.error();
    return any;
}

Result<qint64> size(const QString &path)
{
    auto info = headOf(path);
    if (!info)
        return info.error();
    return *info ? (*info)->size : qint64(-1);
}

Status remove(const QString &path)
{
    QString key;
    auto c = clientFor(path, &key);
    if (!c)
        return c.error();
    return (*c)->remove(key);
}

Status removeTree(const QString &dir)
{
    QString key;
    auto c = clientFor(dir, &key);
    if (!c)
        return c.error();
    // Collected page by page and removed after each page: a listing continues from its token, not from the
    // keys, so removing what it returned does not make it skip anything.
    return (*c)->list(key + QLatin1Char('/'), {}, [&](const s3::ListPage &page) -> Status {
        for (const auto &o : page.objects)
            if (Status s = (*c)->remove(o.key); !s)
                return s;
        return {};
    });
}

Result<std::unique_ptr<StreamWriter>> StreamWriter::create(const QString &path)
{
    QString key;
    auto c = clientFor(path, &key);
    if (!c)
        return c.error();
    return std::unique_ptr<StreamWriter>(new StreamWriter(*c, key));
}

std::unique_ptr<StreamWriter> StreamWriter::create(const s3::Client *client, const QString &key)
{
    return std::unique_ptr<StreamWriter>(new StreamWriter(client, key));
}

StreamWriter::~StreamWriter()
{
    if (!m_done && !m_uploadId.isEmpty())
        m_client->abortMultipart(m_key, m_uploadId);
}

Status StreamWriter::flushPart(qsizetype bytes)
{
    if (m_uploadId.isEmpty()) {
        auto id = m_client->beginMultipart(m_key);
        if (!id)
            return id.error();
        m_uploadId = *id;
    }
    auto etag = m_client->uploadPart(m_key, m_uploadId, int(m_etags.size()) + 1, QByteArrayView(m_buf.constData(), bytes));
    if (!etag)
        return etag.error();
    m_etags << *etag;
    m_buf.remove(0, bytes);
    return {};
}

Status StreamWriter::write(const char *data, size_t size)
{
    m_buf.append(data, qsizetype(size));
    const qint64 part = m_client->config().partSize;
    if (m_uploadId.isEmpty() && m_buf.size() <= m_client->config().multipartThreshold)
        return {};
    while (m_buf.size() >= part)
        if (Status s = flushPart(qsizetype(part)); !s)
            return s;
    return {};
}

Status StreamWriter::finish()
{
    if (m_uploadId.isEmpty()) {
        Status s = m_client->put(m_key, {QByteArrayView(m_buf)}, false);
        m_done = bool(s);
        return s;
    }
    if (!m_buf.isEmpty())
        if (Status s = flushPart(m_buf.size()); !s)
            return s;
    Status s = m_client->completeMultipart(m_key, m_uploadId, m_etags);
    m_done = bool(s);
    return s;
}

} // namespace object

} // namespace pga::repo
