#pragma once

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/Error.h"

namespace pga::cli {

// Exit codes shared by all commands (individual commands document additional ones).
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1,     // the operation failed (message on stderr)
    ExitUsage = 64,      // bad command line (sysexits EX_USAGE)
};

// One subcommand: its name, a one-line summary and the function that runs it.
// args excludes the program name and the subcommand itself.
struct Command {
    const char *name;
    const char *summary;
    int (*run)(const QStringList &args);
};

// QCommandLineParser set up for a subcommand: --help, and a usage line naming the subcommand.
class CommandParser : public QCommandLineParser {
public:
    CommandParser(const QString &command, const QString &description);
    // Parses; on error or --help prints and returns false with *exitCode set.
    bool parseOrExit(const QStringList &args, int *exitCode);
    QString m_command;
};

// The object-storage options every command with --repo s3://... accepts, anywhere on its command line:
//   --s3-endpoint URL, --s3-region NAME, --s3-uri-style path|host, --s3-ca-file FILE, --s3-no-verify-tls,
//   --s3-profile NAME, --s3-credentials-file FILE
// They are taken out of args and set as the environment variables the repository reads (repo/s3/S3Config.h), so
// that they reach the archive-get that a restore writes into restore_command as well. Credentials themselves are
// never options. Returns false (with a message printed) for a malformed one.
bool takeS3Options(QStringList &args);

// Prints "pgarchivist-cli: MESSAGE" (and the detail) on stderr.
void printError(const Error &e);
void printError(const QString &message);
void printJson(const QJsonObject &obj);
void printJsonArray(const QJsonArray &array);
QTextStream &out();

} // namespace pga::cli
