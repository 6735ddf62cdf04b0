#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pga::repo::s3 {

// One page of a ListObjectsV2 answer: the objects under the prefix (up to the delimiter), the "directories"
// (common prefixes) and the token for the next page.
struct ListPage {
    struct Object {
        QString key;
        qint64 size = 0;
        QString etag;          // without quotes
        QString lastModified;  // as sent (ISO 8601, UTC)
    };
    QList<Object> objects;
    QStringList commonPrefixes;
    bool truncated = false;
    QString nextToken;
};

// Parses a ListBucketResult; Corrupt for anything that is not one (the text is from the network).
Result<ListPage> parseListPage(const QByteArray &xml);

// The <Code> and <Message> of an S3 <Error> document; empty strings when the body is not one.
struct ErrorDoc {
    QString code;
    QString message;
};
ErrorDoc parseError(const QByteArray &xml);

// The UploadId of an InitiateMultipartUploadResult, or empty.
QString parseUploadId(const QByteArray &xml);

// CompleteMultipartUpload can answer 200 with an <Error> body; true when the body is the success document.
bool isCompleteMultipartResult(const QByteArray &xml);

} // namespace pga::repo::s3
