#include "Command.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

namespace pga::cli {

CommandParser::CommandParser(const QString &command, const QString &description) : m_command(command)
{
    setApplicationDescription(description);
    addHelpOption();
}

bool CommandParser::parseOrExit(const QStringList &args, int *exitCode)
{
    QStringList full = args;
    full.prepend(QStringLiteral("pgarchivist-cli ") + m_command);
    if (!parse(full)) {
        printError(errorText() + QStringLiteral(". Run 'pgarchivist-cli %1 --help' for the options.").arg(m_command));
        *exitCode = ExitUsage;
        return false;
    }
    if (isSet(QStringLiteral("help"))) {
        // Qt names the program by argv[0] (a path, or pgarchivist-cli-full); say the command as a user types it.
        QString help = helpText();
        const qsizetype end = help.indexOf(QLatin1String(" [options]"));
        if (help.startsWith(QLatin1String("Usage: ")) && end > 0 && end < help.indexOf(QLatin1Char('\n')))
            help.replace(7, end - 7, QStringLiteral("pgarchivist-cli ") + m_command);
        out() << help;
        out().flush();
        *exitCode = ExitOk;
        return false;
    }
    return true;
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

static QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

void printError(const Error &e)
{
    err() << "pgarchivist-cli: " << e.message << '\n';
    if (!e.detail.isEmpty() && e.detail != e.message)
        err() << "  detail: " << e.detail << '\n';
    err().flush();
}

void printError(const QString &message)
{
    err() << "pgarchivist-cli: " << message << '\n';
    err().flush();
}

void printJson(const QJsonObject &obj)
{
    out() << QJsonDocument(obj).toJson(QJsonDocument::Indented);
    out().flush();
}

void printJsonArray(const QJsonArray &array)
{
    out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
    out().flush();
}

} // namespace pga::cli
