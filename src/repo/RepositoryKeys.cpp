#include "Repository.h"
#include "DurableFile.h"
#include "Encryption.h"

#include <QJsonObject>

// The encryption side of Repository (docs/repository-format.md, "Encrypted repositories"): the marker's fields and
// keys.json at init, unlocking at open, rekey.
namespace pga::repo {

namespace {

const QString kMarker = QStringLiteral("pgarchivist-repo.json");
const QString kKeys = QStringLiteral("keys.json");
const QString kCipher = QStringLiteral("xchacha20poly1305-ietf-seg64k");

} // namespace

Status Repository::prepareEncryption(const QString &root, const InitOptions &options, QJsonObject &marker, const FileOwner &owner)
{
    if (!options.encryptWith)
        return {};
    const QString id = QString::fromLatin1(crypto::randomBytes(16).toHex());
    auto made = crypto::createKeys(id, *options.encryptWith);
    if (!made)
        return made.error();
    // keys.json before the marker: a repository never exists without the slot that unlocks it.
    if (Status s = writeFileDurably(root + QLatin1Char('/') + kKeys, made->keysJson, Publish::IfAbsent, owner); !s)
        return s;
    marker.insert(QStringLiteral("format"), kEncryptedFormat);
    marker.insert(QStringLiteral("id"), id);
    marker.insert(QStringLiteral("encryption"), QJsonObject{{QStringLiteral("cipher"), kCipher}, {QStringLiteral("key_check"), made->keyCheck}});
    crypto::bindRepository(root, made->keys);
    return {};
}

Status Repository::unlock(const QJsonObject &marker)
{
    m_id = marker.value(QStringLiteral("id")).toString();
    if (marker.value(QStringLiteral("format")).toInt() != kEncryptedFormat) {
        // Given a credential, a plain marker is refused, as pgBackRest refuses a repository without the cipher it
        // was told: otherwise replacing the marker would have plain WAL and backups written into an encrypted one.
        if (crypto::providedCredential(m_root) || !qEnvironmentVariableIsEmpty("PGARCHIVIST_REPO_PASSPHRASE_FILE")
            || !qEnvironmentVariableIsEmpty("PGARCHIVIST_REPO_KEY_FILE"))
            return Error(Error::Code::InvalidArgument,
                         QStringLiteral("The repository %1 is not encrypted, but a passphrase or key file was given for it. If it was "
                                        "made without --encrypt, leave out --passphrase-file/--key-file (and the PGARCHIVIST_REPO_*_FILE "
                                        "variables); if it was made encrypted, its pgarchivist-repo.json was replaced: do not write "
                                        "to it.")
                             .arg(m_root));
        crypto::bindRepository(m_root, nullptr);  // a plain repository made where an encrypted one was
        return {};
    }
    const QJsonObject enc = marker.value(QStringLiteral("encryption")).toObject();
    const QString keyCheck = enc.value(QStringLiteral("key_check")).toString();
    if (enc.value(QStringLiteral("cipher")).toString() != kCipher || m_id.isEmpty() || keyCheck.isEmpty())
        return Error(Error::Code::Unsupported, QStringLiteral("The repository %1 is encrypted in a way this pgArchivist does not know "
                                                              "(cipher '%2'). Use the version that made it.")
                                                   .arg(m_root, enc.value(QStringLiteral("cipher")).toString()));
    // Unlocked once per process: Argon2id costs a tenth of a second, and the app and the pusher open the repository often.
    if (auto bound = crypto::keysForRoot(m_root); bound && bound->keyCheck(m_id) == keyCheck) {
        m_keys = bound;
        return {};
    }
    std::optional<crypto::Credential> credential = crypto::providedCredential(m_root);
    if (!credential) {
        auto env = crypto::credentialFromEnvironment();
        if (!env)
            return env.error();
        credential = *env;
    }
    if (!credential)
        return Error(Error::Code::Authentication,
                     QStringLiteral("The repository %1 is encrypted. Give its passphrase with --passphrase-file FILE (or "
                                    "PGARCHIVIST_REPO_PASSPHRASE_FILE), or its key file with --key-file FILE (or "
                                    "PGARCHIVIST_REPO_KEY_FILE).")
                         .arg(m_root));
    const QString keysPath = m_root + QLatin1Char('/') + kKeys;
    auto json = readWholeFile(keysPath, 1 << 20);
    if (!json && json.error().code == Error::Code::NotFound)
        return Error(Error::Code::Corrupt, QStringLiteral("The repository %1 is encrypted but its %2 is missing: without it nothing in "
                                                          "the repository can be read. Restore it from your copy of the keys.")
                                               .arg(m_root, kKeys));
    if (!json)
        return json.error();
    auto keys = crypto::unlock(*json, keysPath, m_id, keyCheck, *credential);
    if (!keys)
        return keys.error();
    m_keys = *keys;
    crypto::bindRepository(m_root, m_keys);
    return {};
}

Status Repository::checkCredential(const QString &dir, const crypto::Credential &c)
{
    const QString root = rootFor(dir);
    auto marker = readJson(root + QLatin1Char('/') + kMarker);
    if (!marker)
        return marker.error();
    auto json = readWholeFile(root + QLatin1Char('/') + kKeys, 1 << 20);
    if (!json)
        return json.error();
    auto keys = crypto::unlock(*json, root + QLatin1Char('/') + kKeys, marker->value(QStringLiteral("id")).toString(),
                               marker->value(QStringLiteral("encryption")).toObject().value(QStringLiteral("key_check")).toString(), c);
    return keys ? Status() : Status(keys.error());
}

Status Repository::rekey(const QString &dir, const crypto::Credential &current, const crypto::Credential &next)
{
    const QString root = rootFor(dir);
    const auto previous = crypto::providedCredential(root);
    crypto::provideCredential(root, current);
    auto repo = open(root, Access::Write);
    if (previous)
        crypto::provideCredential(root, *previous);
    else
        crypto::forgetCredential(root);
    if (!repo)
        return repo.error();
    if (!repo->encrypted())
        return Error(Error::Code::InvalidArgument, QStringLiteral("The repository %1 is not encrypted: there is no key to change.").arg(repo->root()));
    auto marker = readJson(repo->root() + QLatin1Char('/') + kMarker);
    if (!marker)
        return marker.error();
    const QString keysPath = repo->root() + QLatin1Char('/') + kKeys;
    auto json = readWholeFile(keysPath, 1 << 20);
    if (!json)
        return json.error();
    auto replaced = crypto::rekey(*json, keysPath, repo->id(), marker->value(QStringLiteral("encryption")).toObject().value(QStringLiteral("key_check")).toString(),
                                  current, next);
    if (!replaced)
        return replaced.error();
    // Replaced atomically (rename, or one PUT): a crash leaves the old slots or the new ones, both complete.
    return writeFileDurably(keysPath, *replaced, Publish::Replace, repo->writeAs());
}

} // namespace pga::repo
