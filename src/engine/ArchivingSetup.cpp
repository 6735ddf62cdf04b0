#include "ArchivingSetup.h"
#include "repo/ObjectStorage.h"
#include "repo/s3/S3Config.h"

#include "core/AuditRules.h"
#include "repo/FileAccess.h"
#include "repo/Repository.h"

#include <pwd.h>
#include <unistd.h>

#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

namespace pga::engine {

Status ensureRepository(const QString &dir, ProgressSink &progress)
{
    auto present = repo::pathExists(dir + QStringLiteral("/pgarchivist-repo.json"));
    if (!present)
        return present.error();
    if (*present)
        return {};
    repo::Repository::InitOptions o;
    if (::geteuid() == 0 && ::getpwnam("postgres") && !repo::isObjectPath(dir))  // object storage has no owners
        o.owner = QStringLiteral("postgres");
    // The application provides a passphrase for a repository it means to be encrypted (its server says so).
    o.encryptWith = repo::crypto::providedCredential(repo::Repository::rootFor(dir));
    progress.info(QStringLiteral("Creating the %1repository %2%3")
                      .arg(o.encryptWith ? QStringLiteral("encrypted ") : QString(), dir,
                           o.owner.isEmpty() ? QString() : QStringLiteral(" for the user ") + o.owner));
    auto r = repo::Repository::init(dir, o);
    return r ? Status() : Status(r.error());
}

QString shellQuote(const QString &s)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=@+-]+$"));
    if (safe.match(s).hasMatch())
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString repoLocation(const QString &repoDir)
{
    return repo::isObjectPath(repoDir) ? repoDir : QFileInfo(repoDir).absoluteFilePath();
}

namespace {

QString repoCommand(const QString &cliPath, const char *command, const QString &repoDir, const QString &server, const char *tail,
                    const QStringList &repoOptions = {})
{
    QStringList words{shellQuote(cliPath), QLatin1String(command), QStringLiteral("--repo"), shellQuote(repoDir), QStringLiteral("--server"),
                      shellQuote(server)};
    // The settings in effect (the S3 ones for an s3:// repository, and the passphrase or key file of an encrypted
    // one: a path, never the secret), unless the caller says which.
    const QStringList options = repoOptions.isEmpty() ? repo::s3::optionWords() : repoOptions;
    for (qsizetype i = 0; i < options.size(); ++i) {
        const bool s3 = options[i].startsWith(QLatin1String("--s3-"));
        const bool valued = i + 1 < options.size() && !options[i + 1].startsWith(QLatin1String("--"));
        if (!s3 || repo::isObjectPath(repoDir)) {
            words << shellQuote(options[i]);
            if (valued)
                words << shellQuote(options[i + 1]);
        }
        if (valued)
            ++i;
    }
    words << QLatin1String(tail);
    return words.join(QLatin1Char(' '));
}

} // namespace

QString archivePushCommand(const QString &cliPath, const QString &repoDir, const QString &server, const QStringList &repoOptions)
{
    return repoCommand(cliPath, "archive-push", repoDir, server, "%p", repoOptions);
}

QString archiveGetCommand(const QString &cliPath, const QString &repoDir, const QString &server)
{
    return repoCommand(cliPath, "archive-get", repoDir, server, "%f %p");
}

Result<ArchivingPlan> planArchiving(pg::Connection &conn, const QString &cliPath, const QString &repoDir,
                                    const QString &server, const CancelToken *cancel, const QStringList &repoOptions)
{
    auto r = conn.exec(QStringLiteral("SELECT current_setting('wal_level'), current_setting('archive_mode'), "
                                      "current_setting('archive_command'), current_setting('archive_library')"),
                       {}, cancel, 30000);
    if (!r)
        return r.error();
    ArchivingPlan plan;
    plan.archiveCommand = archivePushCommand(cliPath, repoDir, server, repoOptions);
    const QString walLevel = r->value(0, 0);
    const QString archiveMode = r->value(0, 1);
    if (walLevel == QLatin1String("minimal")) {
        plan.statements << QStringLiteral("ALTER SYSTEM SET wal_level = 'replica'");
        plan.needsRestart = true;
    }
    if (archiveMode == QLatin1String("off")) {
        plan.statements << QStringLiteral("ALTER SYSTEM SET archive_mode = 'on'");
        plan.needsRestart = true;
    }
    if (!r->value(0, 3).isEmpty())  // archive_library wins over archive_command
        plan.statements << QStringLiteral("ALTER SYSTEM SET archive_library = ''");
    if (r->value(0, 2) != plan.archiveCommand)
        plan.statements << QStringLiteral("ALTER SYSTEM SET archive_command = %1").arg(audit::sqlLiteral(plan.archiveCommand));
    return plan;
}

Result<ArchivingOutcome> applyArchiving(pg::Connection &conn, const ArchivingPlan &plan, const CancelToken *cancel)
{
    ArchivingOutcome out;
    for (const QString &sql : plan.statements) {
        auto r = conn.exec(sql, {}, cancel, 30000);
        if (!r)
            return Error(r.error().code, QStringLiteral("Could not change the setting (%1): %2").arg(sql, r.error().message),
                         r.error().detail);
    }
    auto reload = conn.exec(QStringLiteral("SELECT pg_reload_conf()"), {}, cancel, 30000);
    if (!reload)
        return reload.error();
    out.reloaded = true;
    // The postmaster applies the reload asynchronously; pending_restart shows once it has read the files.
    for (int i = 0; i < 50; ++i) {
        auto p = conn.exec(QStringLiteral("SELECT count(*) FROM pg_settings WHERE pending_restart"), {}, cancel, 30000);
        if (!p)
            return p.error();
        out.restartNeeded = p->value(0, 0).toInt() > 0;
        if (out.restartNeeded || !plan.needsRestart)
            break;
        QThread::msleep(100);
    }
    return out;
}

} // namespace pga::engine
