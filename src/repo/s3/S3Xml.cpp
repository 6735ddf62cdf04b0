#include "S3Xml.h"

#include <QXmlStreamReader>

namespace pga::repo::s3 {

namespace {

// Reads the text of the current element; nested elements are an error (S3 sends none inside these).
QString textOf(QXmlStreamReader &x) { return x.readElementText(QXmlStreamReader::ErrorOnUnexpectedElement); }

} // namespace

Result<ListPage> parseListPage(const QByteArray &xml)
{
    QXmlStreamReader x(xml);
    ListPage page;
    const bool sawRoot = x.readNextStartElement() && x.name() == QLatin1String("ListBucketResult");
    if (sawRoot) {
        while (x.readNextStartElement()) {
            const auto name = x.name();
            if (name == QLatin1String("Contents")) {
                ListPage::Object o;
                bool haveKey = false;
                while (x.readNextStartElement()) {
                    if (x.name() == QLatin1String("Key")) {
                        o.key = textOf(x);
                        haveKey = true;
                    } else if (x.name() == QLatin1String("Size")) {
                        bool ok = false;
                        o.size = textOf(x).toLongLong(&ok);
                        if (!ok || o.size < 0)
                            x.raiseError(QStringLiteral("invalid Size"));
                    } else if (x.name() == QLatin1String("ETag")) {
                        o.etag = textOf(x).remove(QLatin1Char('"'));
                    } else if (x.name() == QLatin1String("LastModified")) {
                        o.lastModified = textOf(x);
                    } else {
                        x.skipCurrentElement();
                    }
                }
                if (!haveKey && !x.hasError())
                    x.raiseError(QStringLiteral("Contents without Key"));
                page.objects << o;
            } else if (name == QLatin1String("CommonPrefixes")) {
                while (x.readNextStartElement()) {
                    if (x.name() == QLatin1String("Prefix"))
                        page.commonPrefixes << textOf(x);
                    else
                        x.skipCurrentElement();
                }
            } else if (name == QLatin1String("IsTruncated")) {
                page.truncated = textOf(x) == QLatin1String("true");
            } else if (name == QLatin1String("NextContinuationToken")) {
                page.nextToken = textOf(x);
            } else {
                x.skipCurrentElement();
            }
        }
    }
    if (x.hasError() || !sawRoot)
        return Error(Error::Code::Corrupt, QStringLiteral("The object store sent a listing that is not a ListBucketResult."),
                     x.hasError() ? x.errorString() : QStringLiteral("no ListBucketResult element"));
    if (page.truncated && page.nextToken.isEmpty())
        return Error(Error::Code::Corrupt, QStringLiteral("The object store sent a truncated listing without a continuation token."));
    return page;
}

ErrorDoc parseError(const QByteArray &xml)
{
    ErrorDoc e;
    QXmlStreamReader x(xml);
    if (!x.readNextStartElement() || x.name() != QLatin1String("Error"))
        return e;
    while (x.readNextStartElement()) {
        if (x.name() == QLatin1String("Code"))
            e.code = textOf(x);
        else if (x.name() == QLatin1String("Message"))
            e.message = textOf(x);
        else
            x.skipCurrentElement();
    }
    if (x.hasError())
        return {};
    return e;
}

QString parseUploadId(const QByteArray &xml)
{
    QXmlStreamReader x(xml);
    if (!x.readNextStartElement() || x.name() != QLatin1String("InitiateMultipartUploadResult"))
        return {};
    while (x.readNextStartElement()) {
        if (x.name() == QLatin1String("UploadId"))
            return x.hasError() ? QString() : textOf(x);
        x.skipCurrentElement();
    }
    return {};
}

bool isCompleteMultipartResult(const QByteArray &xml)
{
    QXmlStreamReader x(xml);
    return x.readNextStartElement() && x.name() == QLatin1String("CompleteMultipartUploadResult");
}

} // namespace pga::repo::s3
