#include "Command.h"
#include "Commands.h"
#include "core/TimeText.h"
#include "core/WalParser.h"
#include "engine/RepoInfo.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"

#include <QJsonArray>

namespace pga::cli {

QString optionOrEnv(const QCommandLineParser &p, const QString &option, const char *env);

namespace {

// The credential --passphrase-file / --key-file gave (as the environment): what encrypts or unlocks.
std::optional<repo::crypto::Credential> givenCredential(const char *what, int *code)
{
    auto c = repo::crypto::credentialFromEnvironment();
    if (!c) {
        printError(c.error());
        *code = ExitUsage;
        return std::nullopt;
    }
    if (!*c) {
        printError(QStringLiteral("%1 needs --passphrase-file FILE or --key-file FILE (or PGARCHIVIST_REPO_PASSPHRASE_FILE / "
                                  "PGARCHIVIST_REPO_KEY_FILE).")
                       .arg(QLatin1String(what)));
        *code = ExitUsage;
        return std::nullopt;
    }
    return **c;
}

} // namespace

// `pgarchivist-cli repo-init --repo DIR [--owner USER] [--group GROUP] [--encrypt --passphrase-file F | --key-file F]`
int runRepoInit(const QStringList &args)
{
    CommandParser p(QStringLiteral("repo-init"), QStringLiteral("Create an empty repository (format %1).").arg(repo::Repository::kFormat));
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("owner"), QStringLiteral("As root: the user who owns and alone writes the repository, normally the "
                                                         "one archive_command runs as (default: you)."),
                 QStringLiteral("USER")});
    p.addOption({QStringLiteral("group"), QStringLiteral("Let this group read the repository (directories setgid 2750, files 0640): "
                                                         "its members can run info, verify and restore; only the owner writes."),
                 QStringLiteral("GROUP")});
    p.addOption({QStringLiteral("encrypt"), QStringLiteral("Encrypt everything stored (XChaCha20-Poly1305) under a random key, "
                                                           "unlocked by the --passphrase-file or --key-file given.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    const QString dir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    if (dir.isEmpty() || !p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("repo-init needs --repo DIR (or PGARCHIVIST_REPO) and nothing else."));
        return ExitUsage;
    }
    repo::Repository::InitOptions options{p.value(QStringLiteral("owner")), p.value(QStringLiteral("group")), std::nullopt};
    if (p.isSet(QStringLiteral("encrypt"))) {
        options.encryptWith = givenCredential("repo-init --encrypt", &code);
        if (!options.encryptWith)
            return code;
    } else if (auto given = repo::crypto::credentialFromEnvironment(); given && *given) {
        // A plain repository would then be refused by every command given the same credential.
        printError(QStringLiteral("A passphrase or key file was given but not --encrypt: add --encrypt for an encrypted repository, "
                                  "or leave out --passphrase-file/--key-file (and PGARCHIVIST_REPO_PASSPHRASE_FILE/_KEY_FILE)."));
        return ExitUsage;
    }
    auto r = repo::Repository::init(dir, options);
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    out() << "Created " << (r->encrypted() ? "the encrypted repository " : "repository ") << r->root() << " (format "
          << (r->encrypted() ? 2 : repo::Repository::kFormat) << ")";
    if (!r->onObjectStorage())
        out() << ", owned by " << r->ownerName();
    if (r->sharedWithGroup())
        out() << ", readable by the group " << r->groupName();
    out() << ".\n";
    if (r->encrypted())
        out() << "Nothing in it can be read without " << options.encryptWith->source << " and " << r->root()
              << "/keys.json: keep copies of both apart from the repository.\n";
    out().flush();
    if (r->ownerName() == QLatin1String("root"))
        printError(QStringLiteral("Note: root owns this repository, so archive_command (run as the server's OS user, usually postgres) "
                                  "will be refused. For a repository PostgreSQL archives into, use --owner postgres."));
    return ExitOk;
}

// `pgarchivist-cli repo-rekey --repo DIR (--passphrase-file F | --key-file F) (--new-passphrase-file F | --new-key-file F)`
int runRepoRekey(const QStringList &args)
{
    CommandParser p(QStringLiteral("repo-rekey"), QStringLiteral("Change what unlocks an encrypted repository, without re-encrypting "
                                                                 "anything. The current credential is --passphrase-file or --key-file."));
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("new-passphrase-file"), QStringLiteral("The new passphrase (replaces the passphrase slot)."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("new-key-file"), QStringLiteral("The new key file, at least 32 random bytes (replaces the key file slot)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    const QString dir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    const bool newPass = p.isSet(QStringLiteral("new-passphrase-file")), newKey = p.isSet(QStringLiteral("new-key-file"));
    if (dir.isEmpty() || newPass == newKey || !p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("repo-rekey needs --repo DIR and one of --new-passphrase-file FILE or --new-key-file FILE."));
        return ExitUsage;
    }
    const auto current = givenCredential("repo-rekey", &code);
    if (!current)
        return code;
    using Kind = repo::crypto::Credential::Kind;
    auto next = repo::crypto::credentialFromFile(newPass ? Kind::Passphrase : Kind::KeyFile,
                                                 p.value(newPass ? QStringLiteral("new-passphrase-file") : QStringLiteral("new-key-file")));
    if (!next) {
        printError(next.error());
        return ExitUsage;
    }
    if (Status s = repo::Repository::rekey(dir, *current, *next); !s) {
        printError(s.error());
        return s.error().code == Error::Code::Authentication ? ExitUsage : ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        printJson({{QStringLiteral("repo"), dir}, {QStringLiteral("rekeyed"), true},
                   {QStringLiteral("kind"), newPass ? QStringLiteral("passphrase") : QStringLiteral("keyfile")}});
        return ExitOk;
    }
    out() << "The " << repo::crypto::kindName(next->kind) << " of " << dir << " is now " << next->source
          << "; the data was not re-encrypted. Update every host that uses the old one (archive_command, restore_command).\n";
    out().flush();
    return ExitOk;
}

namespace {

QString humanBytes(qint64 b)
{
    return QLocale::c().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat);
}

void printHuman(const engine::ServerArchiveSummary &s)
{
    out() << "Server " << s.name << ": system identifier " << s.systemIdentifier << ", PostgreSQL "
          << (s.pgVersionNum ? QString::number(s.pgVersionNum / 10000) : QStringLiteral("?")) << ", " << s.backupList.size()
          << " backup(s), " << s.dumpList.size() << " dump(s)\n";
    for (const engine::BackupListing &b : s.backupList)
        out() << "  backup " << b.id << " [" << b.status << "] "
              << (b.status == QLatin1String("damaged") ? b.problem
                                                       : QStringLiteral("'%1', %2 to %3, LSN %4 to %5, timeline %6, %7 (%8 new)")
                                                             .arg(b.label, b.startTimeUtc.toString(Qt::ISODate), b.stopTimeUtc.toString(Qt::ISODate),
                                                                  b.startLsn.toString(), b.stopLsn.toString())
                                                             .arg(b.timeline)
                                                             .arg(humanBytes(b.logicalBytes), humanBytes(b.newBytes)))
              << '\n';
    for (const engine::BackupListing &b : s.dumpList)
        out() << "  dump " << b.id << " [" << b.status << "] "
              << (b.status == QLatin1String("damaged") ? b.problem
                                                       : QStringLiteral("'%1', %2, %3 format, %4%5, %6 stored")
                                                             .arg(b.label, b.startTimeUtc.toString(Qt::ISODate), b.format,
                                                                  b.databases.join(QStringLiteral(", ")),
                                                                  b.globals ? QStringLiteral(" + roles") : QString(), humanBytes(b.newBytes)))
              << '\n';
    if (s.receiver) {
        const repo::ReceiverState &r = *s.receiver;
        out() << "  WAL receiver: " << (r.connected ? QStringLiteral("streaming from ") + r.source : s.receiverRunning ? QStringLiteral("reconnecting") : QStringLiteral("stopped"))
              << ", durable to " << r.flushLsn.toString() << " on timeline " << r.timeline << " (" << r.lagBytes() << " bytes, "
              << QString::number(r.lagSeconds, 'f', 1) << " s behind), updated " << timestampText(r.updatedUtc.toLocalTime())
              << (r.lastError.isEmpty() || r.connected ? QString() : QStringLiteral(", last error: ") + r.lastError) << '\n';
    }
    if (s.timelines.isEmpty())
        out() << "  no WAL archived yet\n";
    if (!s.damagedFiles.isEmpty())
        out() << "  DAMAGED archived files (unreadable header; push them again from pg_wal if PostgreSQL still has them): "
              << s.damagedFiles.join(QStringLiteral(", ")) << '\n';
    for (const TimelineSummary &t : s.timelines) {
        out() << "  timeline " << t.timeline << ": " << t.firstSegment << " .. " << t.lastSegment << " (" << t.segmentCount
              << " segments, " << humanBytes(t.bytes) << " stored as " << humanBytes(t.storedBytes) << ")\n";
        out() << "    last arrival: " << t.lastArrivalUtc.toString(Qt::ISODateWithMs) << " (" << t.lastArrivedSegment << ")\n";
        if (t.firstXactTimeUs)
            out() << "    transactions from " << localTimestampText(*t.firstXactTimeUs) << " to " << localTimestampText(*t.lastXactTimeUs)
                  << '\n';
        if (t.gaps.isEmpty())
            out() << "    gaps: none\n";
        for (const SegmentGap &g : t.gaps)
            out() << "    gap: " << g.firstName << " .. " << g.lastName << " (" << g.count() << " missing)\n";
        if (!t.window)
            out() << "    recoverable window: none (no base backup yet)\n";
        else
            out() << "    recoverable window: " << timestampText(t.window->fromTimeUtc.toLocalTime()) << " ("
                  << t.window->fromLsn.toString() << ") to "
                  << (t.window->toTimeUs ? localTimestampText(*t.window->toTimeUs) : timestampText(t.window->toTimeUtc.toLocalTime()))
                  << " (" << t.window->toLsn.toString() << ")\n";
    }
}

} // namespace

// `pgarchivist-cli info --repo DIR [--server NAME] [--json]`
int runInfo(const QStringList &args)
{
    CommandParser p(QStringLiteral("info"), QStringLiteral("Show what the repository holds: servers, archived WAL per "
                                                           "timeline, gaps and the recoverable window."));
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Only this server (default: $PGARCHIVIST_SERVER, else all)."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    const QString dir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    if (dir.isEmpty()) {
        printError(QStringLiteral("info needs --repo DIR (or PGARCHIVIST_REPO)."));
        return ExitUsage;
    }
    auto r = engine::archiveSummary(dir, optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER"));
    if (!r) {
        printError(r.error());
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray servers;
        for (const auto &s : *r)
            servers.append(engine::toJson(s));
        const auto opened = repo::Repository::open(dir);  // unlocked already: archiveSummary opened it
        const bool encrypted = opened && opened->encrypted();
        printJson({{QStringLiteral("repo"), dir}, {QStringLiteral("format"), encrypted ? 2 : repo::Repository::kFormat},
                   {QStringLiteral("encrypted"), encrypted}, {QStringLiteral("servers"), servers}});
        return ExitOk;
    }
    if (r->isEmpty())
        out() << "The repository holds no servers yet.\n";
    for (const auto &s : *r)
        printHuman(s);
    out().flush();
    return ExitOk;
}

// `pgarchivist-cli restore-points --repo DIR --server NAME [--json]`
int runRestorePoints(const QStringList &args)
{
    CommandParser p(QStringLiteral("restore-points"),
                    QStringLiteral("List the restore points in the archived WAL (pg_create_restore_point), for --target-name."));
    p.addOption({QStringLiteral("repo"), QStringLiteral("Repository directory (default: $PGARCHIVIST_REPO)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("server"), QStringLiteral("Server name in the repository (default: $PGARCHIVIST_SERVER)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON: [{\"name\", \"lsn\", \"time\", \"timeline\"}].")});
    int code = 0;
    if (!p.parseOrExit(args, &code))
        return code;
    const QString dir = optionOrEnv(p, QStringLiteral("repo"), "PGARCHIVIST_REPO");
    const QString server = optionOrEnv(p, QStringLiteral("server"), "PGARCHIVIST_SERVER");
    if (dir.isEmpty() || server.isEmpty()) {
        printError(QStringLiteral("restore-points needs --repo DIR and --server NAME (or PGARCHIVIST_REPO and PGARCHIVIST_SERVER)."));
        return ExitUsage;
    }
    auto repo = repo::Repository::open(dir);
    if (!repo) {
        printError(repo.error());
        return ExitFailure;
    }
    if (auto rec = repo->server(server); !rec) {
        printError(rec.error());
        return ExitFailure;
    }
    const repo::WalArchive archive(*repo, server);
    auto points = engine::listRestorePoints(archive);
    if (!points) {
        printError(points.error());
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray a;
        for (const engine::ArchivedRestorePoint &rp : *points)
            a.append(engine::toJson(rp));
        printJsonArray(a);
        return ExitOk;
    }
    if (points->isEmpty())
        out() << "No restore points in the archived WAL of " << server << ". Make one with SELECT pg_create_restore_point('name').\n";
    for (const engine::ArchivedRestorePoint &rp : *points)
        out() << rp.point.name << "  LSN " << rp.point.lsn.toString() << "  " << localTimestampText(rp.point.timeUs) << "  timeline "
              << rp.timeline << '\n';
    out().flush();
    return ExitOk;
}

} // namespace pga::cli
