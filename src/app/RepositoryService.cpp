#include "RepositoryService.h"

#include "SecretStore.h"
#include "ServerRegistry.h"
#include "repo/DurableFile.h"
#include "repo/FileAccess.h"
#include "repo/ObjectStorage.h"
#include "repo/Repository.h"
#include "repo/s3/S3Config.h"
#include "engine/ArchivingSetup.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QUuid>

namespace pga::app {

RepositoryService::RepositoryService(ServerRegistry *registry, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_registry(registry), m_secrets(secrets)
{
    connect(m_registry, &ServerRegistry::serverAdded, this, &RepositoryService::configureOne);
    connect(m_registry, &ServerRegistry::serverChanged, this, &RepositoryService::configureOne);
}

void RepositoryService::configureAll()
{
    for (const ServerEntry &e : m_registry->servers())
        if (e.repoOnObjectStorage() || e.encryption.encrypted)
            configureOne(e.id);
}

void RepositoryService::configureOne(qint64 id)
{
    auto e = m_registry->server(id);
    if (!e)
        return;
    if (e->repoOnObjectStorage())
        m_secrets->readPassword(e->s3SecretKey(), this, [entry = *e](Result<QString> keys) {
            if (keys)
                (void)configure(entry, *keys);
        });
    if (e->encryption.encrypted)
        m_secrets->readPassword(e->repoPassphraseKey(), this, [entry = *e](Result<QString> passphrase) {
            if (passphrase)
                (void)providePassphrase(entry, *passphrase);
        });
}

Status RepositoryService::providePassphrase(const ServerEntry &entry, const QString &passphrase)
{
    if (passphrase.isEmpty())
        return Error(Error::Code::Authentication,
                     QObject::tr("Enter the passphrase of the encrypted repository %1 (it is kept in the keychain).").arg(entry.repoDir));
    repo::crypto::provideCredential(repo::Repository::rootFor(entry.repoDir.trimmed()),
                                    {repo::crypto::Credential::Kind::Passphrase, passphrase.toUtf8(),
                                     QObject::tr("the passphrase in the keychain (server %1)").arg(entry.name)});
    return {};
}

Status RepositoryService::configure(const ServerEntry &entry, const QString &keys)
{
    auto loc = repo::s3::parseUrl(entry.repoDir.trimmed());
    if (!loc)
        return loc.error();
    const QStringList parts = keys.split(QLatin1Char('\n'));
    if (parts.size() != 2 || parts[0].trimmed().isEmpty() || parts[1].isEmpty())
        return Error(Error::Code::Authentication,
                     QObject::tr("Enter the access key ID and the secret access key for %1 (they are kept in the keychain).").arg(entry.repoDir));
    repo::s3::Config c;
    c.bucket = loc->bucket;
    c.region = entry.s3.region.trimmed().isEmpty() ? QStringLiteral("us-east-1") : entry.s3.region.trimmed();
    QString endpoint = entry.s3.endpoint.trimmed();
    while (endpoint.endsWith(QLatin1Char('/')))
        endpoint.chop(1);
    c.endpoint = endpoint.isEmpty() ? QStringLiteral("https://s3.%1.amazonaws.com").arg(c.region) : endpoint;
    c.pathStyle = entry.s3.pathStyle;
    c.verifyTls = entry.s3.verifyTls;
    c.caFile = entry.s3.caFile.trimmed();
    c.credentials = {parts[0].trimmed(), parts[1], QString(), QObject::tr("the keychain (server %1)").arg(entry.name)};
    repo::object::configure(c);
    return {};
}

JobWork RepositoryService::testWork(ServerEntry entry, QString keys, QString passphrase, std::shared_ptr<RepositoryCheck> out)
{
    return [entry, keys, passphrase, out](JobContext &ctx) -> Status {
        const QString root = entry.repoDir.trimmed();
        out->location = root;
        if (entry.repoOnObjectStorage())
            if (Status s = configure(entry, keys); !s)
                return s;
        if (entry.encryption.encrypted) {
            if (Status s = providePassphrase(entry, passphrase); !s)
                return s;
        }
        ctx.info(QObject::tr("Opening %1").arg(root));
        auto repository = repo::Repository::open(root);
        if (!repository && repository.error().code != Error::Code::NotFound)
            return repository.error();
        out->exists = bool(repository);
        out->encrypted = repository && repository->encrypted();
        // This passphrase, not only the keys a job of this process unlocked before.
        if (repository && repository->encrypted())
            if (Status s = repo::Repository::checkCredential(root, {repo::crypto::Credential::Kind::Passphrase, passphrase.toUtf8(),
                                                                    QObject::tr("the passphrase entered")});
                !s)
                return s;
        if (repository && entry.encryption.encrypted && !repository->encrypted())
            return Error(Error::Code::InvalidArgument,
                         QObject::tr("%1 is not encrypted, but the server says it is: uncheck \"Encrypt the repository\", or use a new "
                                     "repository (an existing one cannot be encrypted in place).")
                             .arg(root));
        if (repository) {
            auto servers = repository->servers();
            if (!servers)
                return servers.error();
            out->servers = *servers;
        }
        if (ctx.isCancelled())
            return Error(Error::Code::Cancelled, QObject::tr("Cancelled."));
        // The same kind of write a backup makes, where a backup would make it; removed at once.
        ctx.info(QObject::tr("Writing, reading back and removing a probe object"));
        QElapsedTimer t;
        t.start();
        // Nothing is created for a repository that does not exist yet: the probe goes where its directory would be
        // made (a directory made here, as this user, would keep the repository's owner out of it).
        QString probeDir = root;
        if (!entry.repoOnObjectStorage())
            while (!QFileInfo::exists(probeDir) && QFileInfo(probeDir).absolutePath() != probeDir)
                probeDir = QFileInfo(probeDir).absolutePath();
        const QString probe = probeDir + QStringLiteral("/.pgarchivist-probe-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QByteArray content = QUuid::createUuid().toByteArray();
        if (Status s = repo::writeFileDurably(probe, content, repo::Publish::IfAbsent); !s)
            return s;
        auto back = repo::readWholeFile(probe);
        const Status removed = repo::removeFile(probe);
        if (!back)
            return back.error();
        if (*back != content)
            return Error(Error::Code::Corrupt, QObject::tr("%1 returned other bytes than were written to it.").arg(root));
        if (!removed)
            return removed;
        out->roundTripMs = t.elapsed();
        return {};
    };
}

JobWork RepositoryService::rekeyWork(ServerEntry entry, QString current, QString next)
{
    return [entry, current, next](JobContext &ctx) -> Status {
        if (next.isEmpty())
            return Error(Error::Code::InvalidArgument, QObject::tr("Enter the new passphrase."));
        using Kind = repo::crypto::Credential::Kind;
        ctx.info(QObject::tr("Changing the passphrase of %1 (the data is not re-encrypted)").arg(entry.repoDir));
        if (Status s = repo::Repository::rekey(entry.repoDir.trimmed(), {Kind::Passphrase, current.toUtf8(), QObject::tr("the passphrase in the keychain")},
                                               {Kind::Passphrase, next.toUtf8(), QObject::tr("the new passphrase")});
            !s)
            return s;
        return providePassphrase(entry, next);
    };
}

QStringList RepositoryService::cliOptionWords(const ServerEntry &e)
{
    QStringList w;
    if (e.encryption.encrypted && !e.encryption.passphraseFile.trimmed().isEmpty())
        w << QStringLiteral("--passphrase-file") << e.encryption.passphraseFile.trimmed();
    if (!e.repoOnObjectStorage())
        return w;
    if (!e.s3.endpoint.isEmpty())
        w << QStringLiteral("--s3-endpoint") << e.s3.endpoint;
    if (!e.s3.region.isEmpty())
        w << QStringLiteral("--s3-region") << e.s3.region;
    w << QStringLiteral("--s3-uri-style") << (e.s3.pathStyle ? QStringLiteral("path") : QStringLiteral("host"));
    if (!e.s3.verifyTls)
        w << QStringLiteral("--s3-no-verify-tls");
    if (!e.s3.caFile.isEmpty())
        w << QStringLiteral("--s3-ca-file") << e.s3.caFile;
    return w;
}

QString RepositoryService::cliOptions(const ServerEntry &e)
{
    QString out;
    for (const QString &w : cliOptionWords(e))
        out += QLatin1Char(' ') + engine::shellQuote(w);
    return out;
}

QString RepositoryService::describe(const RepositoryCheck &c)
{
    const QString io = QObject::tr("write, read and remove took %1 ms").arg(c.roundTripMs);
    if (!c.exists)
        return QObject::tr("Reachable and writable; there is no repository yet, the first backup or archived WAL creates it (%1).").arg(io);
    const QString found = c.encrypted ? QObject::tr("Encrypted repository found and unlocked") : QObject::tr("Repository found");
    if (c.servers.isEmpty())
        return QObject::tr("%1, no servers in it yet (%2).").arg(found, io);
    return QObject::tr("%1 with %n server(s): %2 (%3).", nullptr, int(c.servers.size())).arg(found, c.servers.join(QStringLiteral(", ")), io);
}

} // namespace pga::app
