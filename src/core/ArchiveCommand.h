#pragma once

#include <QString>
#include <QStringList>

// What an archive_command does, judged from its text the way a reviewer would: it never runs it.
// A small shell lexer (quotes, ;, &&, ||, |, if/then/fi, sh -c '...', redirections) splits it into
// simple commands; the programs and their arguments decide the verdict.
namespace pga::audit {

struct ArchiveCommandAnalysis {
    enum class Kind {
        Empty, // nothing set
        Noop, // reports success without storing anything: true, exit 0, :, echo ...
        KnownTool, // a purpose-built archiver: pgbackrest, barman, wal-g, pg_probackup, pgarchivist-cli ...
        Copy, // a plain copy: cp, rsync, scp, dd, cat > ..., gzip > ...
        Custom, // a script or program we cannot judge
    };
    Kind kind = Kind::Empty;
    QString tool; // the program that stores the segment ("cp", "pgbackrest"), when known
    QString destination; // where a plain copy writes, e.g. "/mnt/archive/%f"; empty when unknown
    bool existenceCheck = false; // refuses to overwrite: test ! -f .../%f, cp -n, rsync --ignore-existing
    bool durable = false; // a sync/fsync step, dd conv=fsync, rsync --fsync
    bool conditional = false; // archives only while a switch file exists (the backup_in_progress recipe)
    QString conditionFile; // that switch file
    bool ignoresErrors = false; // success whatever happened: "cp ... || true", "cp ...; exit 0"

    // Verdicts the rules use.
    bool overwrites() const { return kind == Kind::Copy && !existenceCheck; }
    bool notDurable() const { return kind == Kind::Copy && !durable; }
};

ArchiveCommandAnalysis analyzeArchiveCommand(const QString &command);
QString archiveCommandKindName(ArchiveCommandAnalysis::Kind k); // "empty", "noop", "known_tool", "copy", "custom"

// Splits a command line into simple commands (words, quotes removed). Exposed for tests.
QList<QStringList> splitShellCommands(const QString &command);

} // namespace pga::audit
