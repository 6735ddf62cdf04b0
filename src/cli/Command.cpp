#include "Command.h"

#include <QFileInfo>
#include "repo/s3/S3Config.h"

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

namespace pga::cli {

bool takeS3Options(QStringList &args)
{
    for (qsizetype i = 0; i < args.size();) {
        const QString &a = args[i];
        if (a == QLatin1String("--")) {
            break;
        }
        const repo::s3::EnvOption *match = nullptr;
        QString value;
        bool inlineValue = false;
        for (const repo::s3::EnvOption &o : repo::s3::kEnvOptions) {
            const QLatin1String name(o.option);
            if (a == name || (!o.flag && a.startsWith(name + QLatin1Char('=')))) {
                match = &o;
                inlineValue = a.size() > name.size();
                if (inlineValue)
                    value = a.mid(name.size() + 1);
                break;
            }
        }
        if (!match) {
            ++i;
            continue;
        }
        if (match->flag) {
            value = QStringLiteral("0");
            args.removeAt(i);
        } else if (inlineValue) {
            args.removeAt(i);
        } else {
            if (i + 1 >= args.size()) {
                printError(QStringLiteral("%1 needs a value.").arg(QLatin1String(match->option)));
                return false;
            }
            value = args[i + 1];
            args.remove(i, 2);
        }
        // Files absolute: the words go into restore_command and archive_command, which run elsewhere.
        if (QLatin1String(match->option).endsWith(QLatin1String("-file")) && !value.isEmpty())
            value = QFileInfo(value).absoluteFilePath();
        qputenv(match->variable, value.toLocal8Bit());
    }
    return true;
}

} // namespace pga::cli
