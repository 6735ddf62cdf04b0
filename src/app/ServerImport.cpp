#include "ServerImport.h"

#include "pg/Connection.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pga::app {

namespace {

Result<QByteArray> readSmallFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Code::NotFound, QCoreApplication::translate("ServerImport", "Could not open %1.").arg(path), f.errorString());
    if (f.size() > 16 * 1024 * 1024)
        return Error(Error::Code::InvalidArgument, QCoreApplication::translate("ServerImport", "%1 is too large to be a server list.").arg(path));
    return f.readAll();
}

QString keyValue(const QString &key, const QString &value) { return key + QLatin1Char('=') + pg::conninfoQuote(value); }

} // namespace

QString defaultPgServiceFile()
{
    const QString env = qEnvironmentVariable("PGSERVICEFILE");
    return env.isEmpty() ? QDir::homePath() + QStringLiteral("/.pg_service.conf") : env;
}

Result<ImportResult> importPgServiceFile(const QString &path)
{
    auto data = readSmallFile(path);
    if (!data)
        return data.error();
    const bool libpqReadsIt = QFileInfo(path).canonicalFilePath() == QFileInfo(defaultPgServiceFile()).canonicalFilePath();
    ImportResult out;
    QString section;
    QStringList keys;
    bool hadPassword = false;
    auto flush = [&] {
        if (section.isEmpty())
            return;
        ServerEntry e;
        e.name = section;
        e.group = QStringLiteral("pg_service");
        if (libpqReadsIt) {
            e.conninfo = keyValue(QStringLiteral("service"), section);
        } else {
            e.conninfo = keys.join(QLatin1Char(' '));
            if (hadPassword)
                out.warnings << QCoreApplication::translate("ServerImport", "%1: the password in the service file was not imported; enter it in the server's "
                                   "settings to keep it in the keychain.").arg(section);
        }
        if (e.conninfo.isEmpty())
            out.warnings << QCoreApplication::translate("ServerImport", "%1: no connection settings, skipped.").arg(section);
        else
            out.servers.append(e);
    };
    int lineNo = 0;
    for (const QByteArray &raw : data->split('\n')) {
        ++lineNo;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            flush();
            if (!line.endsWith(QLatin1Char(']')) || line.size() < 3)
                return Error(Error::Code::InvalidArgument,
                             QCoreApplication::translate("ServerImport", "%1 line %2: a section header must look like [name].").arg(path).arg(lineNo));
            section = line.mid(1, line.size() - 2).trimmed();
            keys.clear();
            hadPassword = false;
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return Error(Error::Code::InvalidArgument,
                         QCoreApplication::translate("ServerImport", "%1 line %2: expected key=value, found \"%3\".").arg(path).arg(lineNo).arg(line));
        if (section.isEmpty())
            return Error(Error::Code::InvalidArgument,
                         QCoreApplication::translate("ServerImport", "%1 line %2: a setting outside any [service] section.").arg(path).arg(lineNo));
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        if (key == QLatin1String("password")) {
            hadPassword = true;
            continue;
        }
        keys << keyValue(key, value);
    }
    flush();
    if (out.servers.isEmpty() && out.warnings.isEmpty())
        out.warnings << QCoreApplication::translate("ServerImport", "%1 has no service entries.").arg(path);
    return out;
}

Result<ImportResult> importPgAdminServers(const QString &path)
{
    auto data = readSmallFile(path);
    if (!data)
        return data.error();
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &perr);
    if (doc.isNull())
        return Error(Error::Code::InvalidArgument,
                     QCoreApplication::translate("ServerImport", "%1 is not valid JSON (at offset %2). Export it again from pgAdmin: Tools → Import/Export Servers.")
                         .arg(path).arg(perr.offset),
                     perr.errorString());
    const QJsonValue servers = doc.object().value(QStringLiteral("Servers"));
    if (!servers.isObject())
        return Error(Error::Code::InvalidArgument,
                     QCoreApplication::translate("ServerImport", "%1 has no \"Servers\" object; it does not look like a pgAdmin servers export.").arg(path));
    ImportResult out;
    const QJsonObject all = servers.toObject();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QJsonObject s = it.value().toObject();
        ServerEntry e;
        e.name = s.value(QStringLiteral("Name")).toString().trimmed();
        e.group = s.value(QStringLiteral("Group")).toString().trimmed();
        if (e.name.isEmpty()) {
            out.warnings << QCoreApplication::translate("ServerImport", "Server %1: no name, skipped.").arg(it.key());
            continue;
        }
        QStringList parts;
        auto add = [&](const QString &key, const QJsonValue &v) {
            const QString text = v.isDouble() ? QString::number(v.toInt()) : v.toString();
            if (!text.isEmpty() && !parts.join(QLatin1Char(' ')).contains(key + QLatin1Char('=')))
                parts << keyValue(key, text);
        };
        add(QStringLiteral("service"), s.value(QStringLiteral("Service")));
        add(QStringLiteral("host"), s.value(QStringLiteral("Host")));
        add(QStringLiteral("hostaddr"), s.value(QStringLiteral("HostAddr")));
        add(QStringLiteral("port"), s.value(QStringLiteral("Port")));
        add(QStringLiteral("dbname"), s.value(QStringLiteral("MaintenanceDB")));
        add(QStringLiteral("user"), s.value(QStringLiteral("Username")));
        add(QStringLiteral("sslmode"), s.value(QStringLiteral("SSLMode")));
        add(QStringLiteral("passfile"), s.value(QStringLiteral("PassFile")));
        const QJsonObject params = s.value(QStringLiteral("ConnectionParameters")).toObject();
        for (auto p = params.begin(); p != params.end(); ++p) {
            if (p.key() == QLatin1String("password"))
                continue;
            add(p.key(), p.value());
        }
        e.conninfo = parts.join(QLatin1Char(' '));
        if (Status v = pg::validateConninfo(e.conninfo); !v) {
            out.warnings << QCoreApplication::translate("ServerImport", "%1: %2 Skipped.").arg(e.name, v.error().message);
            continue;
        }
        out.servers.append(e);
    }
    return out;
}

} // namespace pga::app
