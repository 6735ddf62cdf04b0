// The JSON of a dump for `dump --json` and `info --json`: presentation, apart from running pg_dump (Dump.cpp).
#include "Dump.h"

#include <QJsonArray>

namespace pga::engine {

QJsonObject dumpJson(const repo::DumpManifest &m)
{
    QJsonArray dbs;
    for (const repo::DumpDatabase &d : m.databases) {
        qint64 stored = 0, raw = 0;
        for (const repo::DumpFile &f : d.files) {
            stored += f.bytes;
            raw += f.rawBytes;
        }
        dbs.append(QJsonObject{{QStringLiteral("name"), d.name},
                               {QStringLiteral("size_bytes"), d.sizeBytes},
                               {QStringLiteral("dump_bytes"), raw},
                               {QStringLiteral("stored_bytes"), stored},
                               {QStringLiteral("seconds"), d.seconds},
                               {QStringLiteral("tables"), int(d.tables.size())},
                               {QStringLiteral("command"), d.command}});
    }
    QJsonObject o{{QStringLiteral("id"), m.id},
                  {QStringLiteral("kind"), QStringLiteral("dump")},
                  {QStringLiteral("label"), m.label},
                  {QStringLiteral("server"), m.server},
                  {QStringLiteral("format"), m.format},
                  {QStringLiteral("start_time"), m.startTimeUtc.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("stop_time"), m.stopTimeUtc.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("seconds"), double(m.startTimeUtc.msecsTo(m.stopTimeUtc)) / 1000.0},
                  {QStringLiteral("server_version_num"), m.serverVersionNum},
                  {QStringLiteral("pg_dump"), m.dumpProgram},
                  {QStringLiteral("pg_dump_version_num"), m.dumpVersionNum},
                  {QStringLiteral("globals"), m.hasGlobals},
                  {QStringLiteral("dump_bytes"), m.rawBytes()},
                  {QStringLiteral("stored_bytes"), m.storedBytes()},
                  {QStringLiteral("databases"), dbs}};
    return o;
}

} // namespace pga::engine
