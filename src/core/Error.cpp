#include "Error.h"

namespace pga {

QString Error::toString() const
{
    if (detail.isEmpty() || detail == message)
        return message;
    return message + QStringLiteral(": ") + detail;
}

QString Error::codeName(Code c)
{
    switch (c) {
    case Code::None: return QStringLiteral("none");
    case Code::InvalidArgument: return QStringLiteral("invalid-argument");
    case Code::NotFound: return QStringLiteral("not-found");
    case Code::Connection: return QStringLiteral("connection");
    case Code::Authentication: return QStringLiteral("authentication");
    case Code::Query: return QStringLiteral("query");
    case Code::Timeout: return QStringLiteral("timeout");
    case Code::Cancelled: return QStringLiteral("cancelled");
    case Code::Io: return QStringLiteral("io");
    case Code::DiskFull: return QStringLiteral("disk-full");
    case Code::Corrupt: return QStringLiteral("corrupt");
    case Code::Conflict: return QStringLiteral("conflict");
    case Code::WrongCluster: return QStringLiteral("wrong-cluster");
    case Code::Unsupported: return QStringLiteral("unsupported");
    case Code::Keychain: return QStringLiteral("keychain");
    case Code::Busy: return QStringLiteral("busy");
    case Code::Internal: return QStringLiteral("internal");
    case Code::Permission: return QStringLiteral("permission");
    }
    return QStringLiteral("unknown");
}

} // namespace pga
