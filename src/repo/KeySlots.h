#pragma once

#include "Encryption.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace pga::repo::crypto {

// What unlocks an encrypted repository: a passphrase (stretched with Argon2id) or the bytes of a key file (already
// random: hashed, not stretched, so a host that pushes WAL pays no key derivation per file).
struct Credential {
    enum class Kind { Passphrase, KeyFile };
    Kind kind = Kind::Passphrase;
    QByteArray secret;
    QString source;  // for messages: "the passphrase file /etc/x", "the keychain"
};

// --passphrase-file / --key-file (the CLI turns them into these variables) or PGARCHIVIST_REPO_PASSPHRASE_FILE /
// PGARCHIVIST_REPO_KEY_FILE; nullopt when neither is set.
Result<std::optional<Credential>> credentialFromEnvironment();
Result<Credential> credentialFromFile(Credential::Kind kind, const QString &path);
// The application's (the GUI's keychain) for one repository root; it wins over the environment.
void provideCredential(const QString &root, const Credential &c);
void forgetCredential(const QString &root);
std::optional<Credential> providedCredential(const QString &root);

// keys.json (docs/repository-format.md): the random master key, wrapped once per slot.
struct NewKeys {
    QByteArray keysJson;
    std::shared_ptr<const Keys> keys;
    QString keyCheck;
};
Result<NewKeys> createKeys(const QString &repositoryId, const Credential &c);
// Authentication for a wrong passphrase or key file; Corrupt when the file is damaged or belongs elsewhere.
Result<std::shared_ptr<const Keys>> unlock(const QByteArray &keysJson, const QString &keysPath, const QString &repositoryId,
                                           const QString &keyCheck, const Credential &c);
// keys.json with `next` replacing every slot of its kind, after `current` unlocked it; the master key is unchanged,
// so nothing else is re-encrypted.
Result<QByteArray> rekey(const QByteArray &keysJson, const QString &keysPath, const QString &repositoryId, const QString &keyCheck,
                         const Credential &current, const Credential &next);

QString kindName(Credential::Kind kind);  // "passphrase" | "key file"

} // namespace pga::repo::crypto
