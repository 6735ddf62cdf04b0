#include "ServerOption.h"

#include "Command.h"
#include "app/ServerRegistry.h"

namespace pga::cli {

void addConnectionOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("conninfo"), QStringLiteral("libpq connection string, URI or service=NAME."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("server"),
                 QStringLiteral("A server registered in pgArchivist (registry: $PGARCHIVIST_REGISTRY or the default)."),
                 QStringLiteral("NAME")});
}

Result<QString> connectionFromOptions(const QCommandLineParser &p)
{
    const bool hasConninfo = p.isSet(QStringLiteral("conninfo"));
    const bool hasServer = p.isSet(QStringLiteral("server"));
    if (hasConninfo == hasServer)
        return Error(Error::Code::InvalidArgument, QStringLiteral("give either --conninfo or --server (exactly one)."));
    if (hasConninfo)
        return p.value(QStringLiteral("conninfo"));
    app::ServerRegistry registry;
    const QString path = qEnvironmentVariableIsEmpty("PGARCHIVIST_REGISTRY") ? app::ServerRegistry::defaultPath()
                                                                             : qEnvironmentVariable("PGARCHIVIST_REGISTRY");
    if (Status s = registry.open(path); !s)
        return s.error();
    if (!registry.notice().isEmpty())
        printError(registry.notice());
    auto entry = registry.serverByName(p.value(QStringLiteral("server")));
    if (!entry)
        return entry.error();
    return entry->conninfo;
}

} // namespace pga::cli
