#include "ConnectionTest.h"

#include <QCoreApplication>

namespace pga::app {

Result<pg::ServerFacts> testConnection(const pg::ConnectOptions &options, const CancelToken &cancel)
{
    auto conn = pg::Connection::connect(options, &cancel);
    if (!conn)
        return conn.error();
    return pg::readServerFacts(**conn, &cancel);
}

JobWork connectionTestWork(pg::ConnectOptions options, std::shared_ptr<pg::ServerFacts> out)
{
    return [options = std::move(options), out](JobContext &ctx) -> Status {
        ctx.info(QCoreApplication::translate("ConnectionTest", "Connecting…"));
        auto facts = testConnection(options, ctx.cancelToken());
        if (!facts)
            return facts.error();
        *out = *facts;
        ctx.info(QCoreApplication::translate("ConnectionTest", "Connected: %1").arg(describeFacts(*facts)));
        return {};
    };
}

QString describeFacts(const pg::ServerFacts &f)
{
    const int major = f.versionNum / 10000;
    const int minor = f.versionNum % 100;
    return QCoreApplication::translate("ConnectionTest", "PostgreSQL %1.%2, %3, data checksums %4")
        .arg(major)
        .arg(minor)
        .arg(f.inRecovery ? QCoreApplication::translate("ConnectionTest", "standby")
                          : QCoreApplication::translate("ConnectionTest", "primary"))
        .arg(f.dataChecksums ? QCoreApplication::translate("ConnectionTest", "on")
                             : QCoreApplication::translate("ConnectionTest", "off"));
}

} // namespace pga::app
