#include "ArchiveCommand.h"

#include <QRegularExpression>
#include <QSet>

namespace pga::audit {

namespace {

bool isShellKeyword(const QString &w)
{
    static const QSet<QString> k {QStringLiteral("if"),   QStringLiteral("then"),  QStringLiteral("else"),
                                  QStringLiteral("elif"), QStringLiteral("fi"),    QStringLiteral("do"),
                                  QStringLiteral("done"), QStringLiteral("while"), QStringLiteral("until"),
                                  QStringLiteral("!"),    QStringLiteral("{"),     QStringLiteral("}"),
                                  QStringLiteral("time")};
    return k.contains(w);
}

QString baseName(const QString &program)
{
    const qsizetype slash = program.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? program : program.mid(slash + 1);
}

bool isAssignment(const QString &w)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*="));
    return re.match(w).hasMatch();
}

// Drops wrappers that run another program: env VAR=x, sudo -u u, nice -n 5, timeout 60, envdir DIR ...
QStringList stripWrappers(QStringList words)
{
    for (;;) {
        while (!words.isEmpty() && (isShellKeyword(words.first()) || isAssignment(words.first())))
            words.removeFirst();
        if (words.isEmpty())
            return words;
        const QString p = baseName(words.first());
        auto dropOptions = [&](const QSet<QString> &takingArgument) {
            words.removeFirst();
            while (!words.isEmpty() && words.first().startsWith(QLatin1Char('-'))) {
                const QString opt = words.takeFirst();
                if (takingArgument.contains(opt) && !words.isEmpty())
                    words.removeFirst();
            }
        };
        if (p == QLatin1String("env") || p == QLatin1String("exec") || p == QLatin1String("nohup")
            || p == QLatin1String("command") || p == QLatin1String("chpst")) {
            dropOptions({QStringLiteral("-u"), QStringLiteral("-C")});
        } else if (p == QLatin1String("sudo") || p == QLatin1String("doas")) {
            dropOptions({QStringLiteral("-u"), QStringLiteral("-g"), QStringLiteral("-C"), QStringLiteral("-h")});
        } else if (p == QLatin1String("nice") || p == QLatin1String("ionice")) {
            dropOptions({QStringLiteral("-n"), QStringLiteral("-c")});
        } else if (p == QLatin1String("timeout")) {
            dropOptions({QStringLiteral("-s"), QStringLiteral("-k")});
            if (!words.isEmpty())
                words.removeFirst(); // the duration
        } else if (p == QLatin1String("envdir")) {
            words.removeFirst();
            if (!words.isEmpty())
                words.removeFirst(); // the directory
        } else {
            return words;
        }
    }
}

const QSet<QString> &noopPrograms()
{
    static const QSet<QString> s {QStringLiteral("true"),   QStringLiteral(":"),      QStringLiteral("echo"),
                                  QStringLiteral("printf"), QStringLiteral("logger"), QStringLiteral("sleep"),
                                  QStringLiteral("date"),   QStringLiteral("cd"),     QStringLiteral("touch")};
    return s;
}

const QSet<QString> &copyPrograms()
{
    static const QSet<QString> s {QStringLiteral("cp"),      QStringLiteral("rsync"), QStringLiteral("scp"),
                                  QStringLiteral("install"), QStringLiteral("dd"),    QStringLiteral("mv"),
                                  QStringLiteral("cat"),     QStringLiteral("gzip"),  QStringLiteral("pigz"),
                                  QStringLiteral("zstd"),    QStringLiteral("xz"),    QStringLiteral("bzip2"),
                                  QStringLiteral("lz4"),     QStringLiteral("ln")};
    return s;
}

// A purpose-built archiver, identified by its program and the subcommand that pushes WAL.
bool isKnownTool(const QStringList &words, QString *tool)
{
    const QString p = baseName(words.first());
    auto hasWord = [&](const char *w) { return words.contains(QLatin1String(w)); };
    struct Known {
        const char *program;
        const char *subcommand; // nullptr: the program does nothing else
    };
    static const Known known[] = {
        {"pgbackrest", "archive-push"},
        {"barman-wal-archive", nullptr},
        {"barman-cloud-wal-archive", nullptr},
        {"wal-g", "wal-push"},
        {"wal-e", "wal-push"},
        {"pgarchivist-cli", "archive-push"},
        {"pgarchivist", "archive-push"},
        {"pghoard_postgres_command", nullptr},
    };
    for (const Known &k : known) {
        if (p == QLatin1String(k.program) && (!k.subcommand || hasWord(k.subcommand))) {
            *tool = p;
            return true;
        }
    }
    if (p.startsWith(QLatin1String("pg_probackup")) && hasWord("archive-push")) {
        *tool = p;
        return true;
    }
    return false;
}

bool isNoop(const QStringList &words)
{
    const QString p = baseName(words.first());
    if (p == QLatin1String("exit") || p == QLatin1String("return"))
        return words.size() == 1 || words.at(1) == QLatin1String("0");
    return noopPrograms().contains(p);
}

bool mentionsSegment(const QString &w)
{
    return w.contains(QLatin1String("%f")) || w.contains(QLatin1String("%p"));
}

// Where a copy writes: dd of=..., a > redirection, or the last path naming %f.
QString copyDestination(const QStringList &words)
{
    for (const QString &w : words) {
        if (w.startsWith(QLatin1Char('>')))
            return w.mid(1);
        if (w.startsWith(QLatin1String("of=")))
            return w.mid(3);
    }
    for (qsizetype i = words.size() - 1; i > 0; --i)
        if (!words.at(i).startsWith(QLatin1Char('-')) && words.at(i).contains(QLatin1String("%f")))
            return words.at(i);
    return {};
}

} // namespace

namespace {

// A simple command and the operator text that came before it (";", "&&", "||", "|", ")||" ...).
struct SimpleCommand {
    QStringList words;
    QString separator;
};

QList<SimpleCommand> lexCommands(const QString &command)
{
    QList<SimpleCommand> out;
    QString separator; // operators seen since the last command
    QString cmdSeparator; // the operators before the command being read
    QStringList words;
    QString word;
    bool inWord = false;
    QString redirect; // ">" or "<" when the next word is a redirection target
    auto endWord = [&] {
        if (!inWord)
            return;
        if (words.isEmpty()) {
            cmdSeparator = separator;
            separator.clear();
        }
        if (!redirect.isEmpty()) {
            words << redirect + word;
            redirect.clear();
        } else {
            words << word;
        }
        word.clear();
        inWord = false;
    };
    auto endCommand = [&] {
        endWord();
        redirect.clear();
        if (!words.isEmpty())
            out << SimpleCommand {words, cmdSeparator};
        words.clear();
    };
    const qsizetype n = command.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = command.at(i);
        if (c == QLatin1Char('\'')) {
            inWord = true;
            for (++i; i < n && command.at(i) != QLatin1Char('\''); ++i)
                word += command.at(i);
        } else if (c == QLatin1Char('"')) {
            inWord = true;
            for (++i; i < n && command.at(i) != QLatin1Char('"'); ++i) {
                if (command.at(i) == QLatin1Char('\\') && i + 1 < n)
                    ++i;
                word += command.at(i);
            }
        } else if (c == QLatin1Char('\\') && i + 1 < n) {
            inWord = true;
            if (command.at(++i) != QLatin1Char('\n'))
                word += command.at(i);
        } else if (c.isSpace() && c != QLatin1Char('\n')) {
            endWord();
        } else if (c == QLatin1Char('>') || c == QLatin1Char('<')) {
            // "2>" names a file descriptor, not a word: its target is kept as "2>file", which no rule
            // reads as a destination. ">&2" duplicates a descriptor and has no target.
            QString fd;
            if (inWord && word.size() == 1 && word.at(0).isDigit() && redirect.isEmpty()) {
                fd = word == QLatin1String("1") ? QString() : word;
                word.clear();
                inWord = false;
            }
            endWord();
            while (i + 1 < n && command.at(i + 1) == c)
                ++i;
            if (i + 1 < n && command.at(i + 1) == QLatin1Char('&')) {
                i += 1;
                while (i + 1 < n && command.at(i + 1).isDigit())
                    ++i;
                continue;
            }
            redirect = fd + QString(c);
        } else if (QStringLiteral(";&|\n()`").contains(c)
                   || (c == QLatin1Char('$') && i + 1 < n && command.at(i + 1) == QLatin1Char('('))) {
            endCommand();
            separator += c;
        } else {
            inWord = true;
            word += c;
        }
    }
    endCommand();
    return out;
}

// Simple commands in order, wrappers removed and sh -c '...' opened up in place.
void flatten(const QString &command, const QString &separator, int depth, QList<SimpleCommand> &out)
{
    const QList<SimpleCommand> lexed = lexCommands(command);
    for (qsizetype i = 0; i < lexed.size(); ++i) {
        const QString sep = i == 0 ? separator : lexed.at(i).separator;
        const QStringList words = stripWrappers(lexed.at(i).words);
        if (words.isEmpty())
            continue;
        const QString p = baseName(words.first());
        const qsizetype dashC = words.indexOf(QStringLiteral("-c"));
        if ((p == QLatin1String("sh") || p == QLatin1String("bash") || p == QLatin1String("dash")) && dashC > 0
            && dashC + 1 < words.size() && depth < 4) {
            flatten(words.at(dashC + 1), sep, depth + 1, out);
            continue;
        }
        out << SimpleCommand {words, sep};
    }
}

bool writesToNull(const QStringList &words)
{
    const QString p = baseName(words.first());
    if (p == QLatin1String("cp") || p == QLatin1String("mv") || p == QLatin1String("rsync")
        || p == QLatin1String("install") || p == QLatin1String("ln") || p == QLatin1String("scp"))
        return words.last() == QLatin1String("/dev/null");
    if (p == QLatin1String("dd"))
        return words.contains(QStringLiteral("of=/dev/null"));
    // cat, gzip -c ...: the copy is what goes to standard output.
    return copyPrograms().contains(p) && words.contains(QStringLiteral(">/dev/null"));
}

} // namespace

QList<QStringList> splitShellCommands(const QString &command)
{
    QList<QStringList> out;
    const QList<SimpleCommand> lexed = lexCommands(command);
    for (const SimpleCommand &c : lexed)
        out << c.words;
    return out;
}

ArchiveCommandAnalysis analyzeArchiveCommand(const QString &command)
{
    using Kind = ArchiveCommandAnalysis::Kind;
    ArchiveCommandAnalysis a;
    if (command.trimmed().isEmpty())
        return a;

    QList<SimpleCommand> commands;
    flatten(command, QString(), 0, commands);
    if (commands.isEmpty()) {
        a.kind = Kind::Noop; // e.g. only "{ }" or keywords
        return a;
    }

    bool allNoop = true;
    bool anyCopy = false;
    for (const SimpleCommand &cmd : std::as_const(commands)) {
        const QStringList &words = cmd.words;
        const QString p = baseName(words.first());
        // File tests: on the segment's archive name they guard against overwriting; on a fixed path
        // they are a switch that turns archiving on and off.
        if (p == QLatin1String("test") || p == QLatin1String("[") || p == QLatin1String("[[")) {
            for (qsizetype i = 1; i + 1 < words.size(); ++i) {
                const QString &op = words.at(i);
                if (op != QLatin1String("-f") && op != QLatin1String("-e") && op != QLatin1String("-s"))
                    continue;
                const QString &path = words.at(i + 1);
                if (path.contains(QLatin1String("%f"))) {
                    a.existenceCheck = true;
                } else if (!mentionsSegment(path)) {
                    a.conditional = true;
                    if (a.conditionFile.isEmpty())
                        a.conditionFile = path;
                }
            }
            allNoop = false; // a test alone stores nothing, but it is not a success-only command either
            continue;
        }
        if (p == QLatin1String("sync"))
            a.durable = true;
        for (const QString &w : words) {
            if (w.contains(QLatin1String("fsync")) || w.contains(QLatin1String("fdatasync"))
                || w == QLatin1String("oflag=sync") || w == QLatin1String("oflag=dsync") || w == QLatin1String("sync"))
                a.durable = true;
            // ssh host "test ! -f /a/%f" checks remotely.
            if (w.contains(QLatin1String("test ! -f")) || w.contains(QLatin1String("[ ! -f")))
                a.existenceCheck = true;
        }
        QString tool;
        if (a.kind != Kind::KnownTool && isKnownTool(words, &tool)) {
            a.kind = Kind::KnownTool;
            a.tool = tool;
        }
        if (writesToNull(words))
            continue; // cp %p /dev/null stores nothing: as good as true
        if (!isNoop(words))
            allNoop = false;
        if (copyPrograms().contains(p)) {
            const QString dest = copyDestination(words);
            // cat and compressors copy only when they write into a file.
            const bool writes = !dest.isEmpty() || p == QLatin1String("cp") || p == QLatin1String("rsync")
                || p == QLatin1String("scp") || p == QLatin1String("install") || p == QLatin1String("mv")
                || p == QLatin1String("dd") || p == QLatin1String("ln");
            if (writes && !anyCopy) {
                anyCopy = true;
                if (a.tool.isEmpty())
                    a.tool = p;
                a.destination = dest;
            }
            if ((p == QLatin1String("cp") || p == QLatin1String("mv") || p == QLatin1String("ln"))
                && (words.contains(QStringLiteral("-n")) || words.contains(QStringLiteral("--no-clobber"))
                    || words.contains(QStringLiteral("--update=none"))))
                a.existenceCheck = true;
            if (p == QLatin1String("rsync") && words.contains(QStringLiteral("--ignore-existing")))
                a.existenceCheck = true;
        } else if (p == QLatin1String("set")
                   && (words.contains(QStringLiteral("-C")) || words.contains(QStringLiteral("noclobber")))) {
            a.existenceCheck = true; // > then refuses an existing file
        } else {
            for (const QString &w : words)
                if (w.startsWith(QLatin1Char('>')) && w.contains(QLatin1String("%f")) && a.destination.isEmpty())
                    a.destination = w.mid(1);
        }
    }
    // "cp ... || true", "cp ...; exit 0": a failed copy still reports success, and the segment is deleted.
    const SimpleCommand &last = commands.last();
    if (!allNoop && commands.size() > 1 && (isNoop(last.words) || writesToNull(last.words))
        && !last.separator.endsWith(QLatin1String("&&")))
        a.ignoresErrors = true;
    if (a.kind == Kind::KnownTool)
        return a;
    if (allNoop)
        a.kind = Kind::Noop;
    else if (anyCopy)
        a.kind = Kind::Copy;
    else
        a.kind = Kind::Custom;
    return a;
}

QString archiveCommandKindName(ArchiveCommandAnalysis::Kind k)
{
    using Kind = ArchiveCommandAnalysis::Kind;
    switch (k) {
    case Kind::Empty:
        return QStringLiteral("empty");
    case Kind::Noop:
        return QStringLiteral("noop");
    case Kind::KnownTool:
        return QStringLiteral("known_tool");
    case Kind::Copy:
        return QStringLiteral("copy");
    case Kind::Custom:
        return QStringLiteral("custom");
    }
    return {};
}

} // namespace pga::audit
