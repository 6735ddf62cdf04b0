// The multipart upload of an object that is written in pieces (repo/ObjectStorage's StreamWriter).
#include "S3Client.h"

namespace pga::repo::s3 {

Result<QString> Client::beginMultipart(const QString &key) const
{
    Request r;
    r.method = "POST";
    r.key = key;
    r.query << qMakePair(QStringLiteral("uploads"), QString());
    r.headers << qMakePair(QByteArray("Content-Type"), QByteArray("application/octet-stream"));
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 200)
        return errorFor(r, *resp);
    const QString id = parseUploadId(resp->body);
    if (id.isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("The object store did not answer a multipart upload of %1 with an UploadId.")
                                               .arg(display(key)));
    return id;
}

Result<QString> Client::uploadPart(const QString &key, const QString &uploadId, int partNumber, QByteArrayView data) const
{
    const QByteArray md5 = md5Of({data});
    Request r;
    r.method = "PUT";
    r.key = key;
    r.query << qMakePair(QStringLiteral("partNumber"), QString::number(partNumber)) << qMakePair(QStringLiteral("uploadId"), uploadId);
    r.body = {data};
    r.headers << qMakePair(QByteArray("Content-MD5"), md5.toBase64()) << qMakePair(QByteArray("Content-Type"), QByteArray("application/octet-stream"));
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 200)
        return errorFor(r, *resp);
    const QByteArray etag = resp->header("etag");
    if (etag.isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("The object store sent no ETag for part %1 of %2.").arg(partNumber).arg(display(key)));
    return QString::fromLatin1(etag);
}

Status Client::completeMultipart(const QString &key, const QString &uploadId, const QStringList &etags) const
{
    QByteArray xml = "<CompleteMultipartUpload>";
    for (int i = 0; i < etags.size(); ++i)
        xml += "<Part><PartNumber>" + QByteArray::number(i + 1) + "</PartNumber><ETag>" + etags[i].toHtmlEscaped().toUtf8() + "</ETag></Part>";
    xml += "</CompleteMultipartUpload>";
    Request r;
    r.method = "POST";
    r.key = key;
    r.query << qMakePair(QStringLiteral("uploadId"), uploadId);
    r.body = {xml};
    r.headers << qMakePair(QByteArray("Content-Type"), QByteArray("application/xml"));
    auto resp = send(r);
    if (!resp)
        return resp.error();
    if (resp->status != 200 || !isCompleteMultipartResult(resp->body))
        return errorFor(r, *resp);
    return {};
}

void Client::abortMultipart(const QString &key, const QString &uploadId) const
{
    Request r;
    r.method = "DELETE";
    r.key = key;
    r.query << qMakePair(QStringLiteral("uploadId"), uploadId);
    (void)send(r);
}

} // namespace pga::repo::s3
