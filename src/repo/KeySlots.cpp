#include "KeySlots.h"

#include <sodium.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <mutex>

namespace pga::repo::crypto {

namespace {

constexpr int kSaltBytes = 16;
// libsodium's "interactive" Argon2id cost: about 0.1 s and 64 MiB here. A host that archives many files a second
// uses a key file (no stretching) or archive-push --async (one unlock per pusher).
constexpr quint64 kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr quint64 kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

std::mutex g_mutex;
std::map<QString, Credential> g_provided;

QString hex(const QByteArray &b) { return QString::fromLatin1(b.toHex()); }

QByteArray slotAad(const QString &repositoryId, const QString &kind) { return (repositoryId + QLatin1Char('|') + kind).toUtf8(); }

QString kindWord(Credential::Kind k) { return k == Credential::Kind::Passphrase ? QStringLiteral("passphrase") : QStringLiteral("keyfile"); }

// The key that wraps the master key in one slot.
Result<Key> wrappingKey(const Credential &c, const QByteArray &salt, quint64 ops, quint64 mem)
{
    Key kek{};
    if (c.kind == Credential::Kind::Passphrase) {
        // Bounded: a planted keys.json must not make every command spend minutes or gigabytes deriving.
        if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > 10 || mem < crypto_pwhash_MEMLIMIT_MIN || mem > (quint64(1) << 30))
            return Error(Error::Code::Corrupt, QStringLiteral("The key slot asks for Argon2id costs out of range (%1 passes, %2 bytes).").arg(ops).arg(mem));
        if (crypto_pwhash(kek.data(), kek.size(), c.secret.constData(), quint64(c.secret.size()),
                          reinterpret_cast<const unsigned char *>(salt.constData()), ops, size_t(mem), crypto_pwhash_ALG_ARGON2ID13)
            != 0)
            return Error(Error::Code::Internal, QStringLiteral("Deriving the key from the passphrase ran out of memory (Argon2id needs %1 MiB).").arg(mem >> 20));
        return kek;
    }
    static const unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] = {'p', 'g', 'a', 'r', 'c', 'h', 'i', 'v',
                                                                                      'i', 's', 't', '-', 'k', 'f', '0', '1'};
    crypto_generichash_blake2b_salt_personal(kek.data(), kek.size(), reinterpret_cast<const unsigned char *>(c.secret.constData()),
                                             quint64(c.secret.size()), nullptr, 0, reinterpret_cast<const unsigned char *>(salt.constData()),
                                             personal);
    return kek;
}

Result<QJsonObject> makeSlot(const QString &repositoryId, const Credential &c, const Key &master)
{
    const QByteArray salt = randomBytes(kSaltBytes);
    const QByteArray nonce = randomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    auto kek = wrappingKey(c, salt, kOpsLimit, kMemLimit);
    if (!kek)
        return kek.error();
    const QByteArray aad = slotAad(repositoryId, kindWord(c.kind));
    QByteArray wrapped(int(master.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES), Qt::Uninitialized);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(wrapped.data()), &len, master.data(), master.size(),
                                               reinterpret_cast<const unsigned char *>(aad.constData()), quint64(aad.size()), nullptr,
                                               reinterpret_cast<const unsigned char *>(nonce.constData()), kek->data());
    sodium_memzero(kek->data(), kek->size());
    QJsonObject slot{{QStringLiteral("kind"), kindWord(c.kind)},
                     {QStringLiteral("salt"), hex(salt)},
                     {QStringLiteral("nonce"), hex(nonce)},
                     {QStringLiteral("wrapped_key"), hex(wrapped)}};
    if (c.kind == Credential::Kind::Passphrase) {
        slot.insert(QStringLiteral("kdf"), QStringLiteral("argon2id13"));
        slot.insert(QStringLiteral("opslimit"), qint64(kOpsLimit));
        slot.insert(QStringLiteral("memlimit"), qint64(kMemLimit));
    }
    return slot;
}

QByteArray keysDocument(const QString &repositoryId, const QJsonArray &keySlots)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), 1},
                                     {QStringLiteral("cipher"), QStringLiteral("xchacha20poly1305-ietf")},
                                     {QStringLiteral("repository"), repositoryId},
                                     {QStringLiteral("slots"), keySlots}})
        .toJson();
}

struct Parsed {
    QJsonArray keySlots;
};

Result<Parsed> parseKeys(const QByteArray &json, const QString &path, const QString &repositoryId)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    auto damaged = [&](const QString &why) {
        return Error(Error::Code::Corrupt, QStringLiteral("%1 is damaged (%2): the repository cannot be unlocked without it. Restore it "
                                                          "from your copy of the repository's keys.")
                                               .arg(path, why));
    };
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return damaged(QStringLiteral("not valid JSON"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toInt() != 1)
        return Error(Error::Code::Unsupported, QStringLiteral("%1 has a key format this version does not know.").arg(path));
    if (o.value(QStringLiteral("repository")).toString() != repositoryId)
        return Error(Error::Code::Corrupt, QStringLiteral("%1 belongs to another repository (%2, this one is %3): it was copied here by "
                                                          "mistake. Put this repository's own keys.json back.")
                                               .arg(path, o.value(QStringLiteral("repository")).toString(), repositoryId));
    if (!o.value(QStringLiteral("slots")).isArray() || o.value(QStringLiteral("slots")).toArray().isEmpty())
        return damaged(QStringLiteral("it holds no key slot"));
    return Parsed{o.value(QStringLiteral("slots")).toArray()};
}

// The master key from one slot when the credential opens it.
std::optional<Key> openSlot(const QJsonObject &slot, const QString &repositoryId, const Credential &c, Error *err)
{
    const QByteArray salt = QByteArray::fromHex(slot.value(QStringLiteral("salt")).toString().toLatin1());
    const QByteArray nonce = QByteArray::fromHex(slot.value(QStringLiteral("nonce")).toString().toLatin1());
    const QByteArray wrapped = QByteArray::fromHex(slot.value(QStringLiteral("wrapped_key")).toString().toLatin1());
    if (salt.size() != kSaltBytes || nonce.size() != int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        || wrapped.size() != int(sizeof(Key) + crypto_aead_xchacha20poly1305_ietf_ABYTES))
        return std::nullopt;
    auto kek = wrappingKey(c, salt, quint64(slot.value(QStringLiteral("opslimit")).toInteger()),
                           quint64(slot.value(QStringLiteral("memlimit")).toInteger()));
    if (!kek) {
        *err = kek.error();
        return std::nullopt;
    }
    const QByteArray aad = slotAad(repositoryId, kindWord(c.kind));
    Key master{};
    unsigned long long len = 0;
    const int r = crypto_aead_xchacha20poly1305_ietf_decrypt(master.data(), &len, nullptr, reinterpret_cast<const unsigned char *>(wrapped.constData()),
                                                             quint64(wrapped.size()), reinterpret_cast<const unsigned char *>(aad.constData()),
                                                             quint64(aad.size()), reinterpret_cast<const unsigned char *>(nonce.constData()),
                                                             kek->data());
    sodium_memzero(kek->data(), kek->size());
    if (r != 0 || len != master.size())
        return std::nullopt;
    return master;
}

} // namespace

QString kindName(Credential::Kind kind) { return kind == Credential::Kind::Passphrase ? QStringLiteral("passphrase") : QStringLiteral("key file"); }

Result<Credential> credentialFromFile(Credential::Kind kind, const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Code::InvalidArgument,
                     QStringLiteral("Cannot read the %1 %2: %3.")
                         .arg(kind == Credential::Kind::Passphrase ? QStringLiteral("passphrase file") : QStringLiteral("key file"), path,
                              f.errorString()));
    Credential c;
    c.kind = kind;
    c.secret = f.read(1 << 20);
    c.source = QStringLiteral("the %1 %2").arg(kind == Credential::Kind::Passphrase ? QStringLiteral("passphrase file") : QStringLiteral("key file"), path);
    if (kind == Credential::Kind::Passphrase) {
        while (c.secret.endsWith('\n') || c.secret.endsWith('\r'))
            c.secret.chop(1);  // as written by echo or an editor
        if (c.secret.isEmpty())
            return Error(Error::Code::InvalidArgument, QStringLiteral("The passphrase file %1 is empty.").arg(path));
    } else if (c.secret.size() < 32) {
        return Error(Error::Code::InvalidArgument, QStringLiteral("The key file %1 holds %2 bytes; a key file needs at least 32 random bytes "
                                                                  "(make one with 'head -c 32 /dev/urandom > FILE').")
                                                       .arg(path)
                                                       .arg(c.secret.size()));
    }
    return c;
}

Result<std::optional<Credential>> credentialFromEnvironment()
{
    const QString pass = qEnvironmentVariable("PGARCHIVIST_REPO_PASSPHRASE_FILE");
    const QString key = qEnvironmentVariable("PGARCHIVIST_REPO_KEY_FILE");
    if (!key.isEmpty()) {
        auto c = credentialFromFile(Credential::Kind::KeyFile, key);
        if (!c)
            return c.error();
        return std::optional<Credential>(*c);
    }
    if (!pass.isEmpty()) {
        auto c = credentialFromFile(Credential::Kind::Passphrase, pass);
        if (!c)
            return c.error();
        return std::optional<Credential>(*c);
    }
    return std::optional<Credential>();
}

void provideCredential(const QString &root, const Credential &c)
{
    std::lock_guard g(g_mutex);
    g_provided[root] = c;
}

void forgetCredential(const QString &root)
{
    std::lock_guard g(g_mutex);
    g_provided.erase(root);
}

std::optional<Credential> providedCredential(const QString &root)
{
    std::lock_guard g(g_mutex);
    auto it = g_provided.find(root);
    if (it == g_provided.end())
        return std::nullopt;
    return it->second;
}

Result<NewKeys> createKeys(const QString &repositoryId, const Credential &c)
{
    Key master{};
    const QByteArray r = randomBytes(int(master.size()));
    std::memcpy(master.data(), r.constData(), master.size());
    auto slot = makeSlot(repositoryId, c, master);
    if (!slot)
        return slot.error();
    NewKeys out;
    out.keys = Keys::derive(master);
    sodium_memzero(master.data(), master.size());
    out.keyCheck = out.keys->keyCheck(repositoryId);
    out.keysJson = keysDocument(repositoryId, QJsonArray{*slot});
    return out;
}

namespace {

Result<Key> unlockMaster(const Parsed &p, const QString &keysPath, const QString &repositoryId, const Credential &c)
{
    Error err;
    bool anyOfKind = false;
    for (const QJsonValue &v : p.keySlots) {
        const QJsonObject slot = v.toObject();
        if (slot.value(QStringLiteral("kind")).toString() != kindWord(c.kind))
            continue;
        anyOfKind = true;
        if (auto master = openSlot(slot, repositoryId, c, &err))
            return *master;
        if (err.code != Error::Code::None)
            return err;
    }
    if (!anyOfKind)
        return Error(Error::Code::Authentication, QStringLiteral("The repository cannot be unlocked with a %1: %2 has no %1 slot. Give "
                                                                 "the credential it was made with (--passphrase-file or --key-file).")
                                                      .arg(kindName(c.kind), keysPath));
    return Error(Error::Code::Authentication,
                 QStringLiteral("Wrong %1: %2 does not unlock the repository. Check the file, or use the credential the "
                                "repository was made or last rekeyed with.")
                     .arg(kindName(c.kind), c.source));
}

} // namespace

namespace {

// The slots and the master key the credential opens, checked against the marker's key check.
Result<std::pair<Parsed, Key>> openKeys(const QByteArray &keysJson, const QString &keysPath, const QString &repositoryId,
                                        const QString &keyCheck, const Credential &c)
{
    auto parsed = parseKeys(keysJson, keysPath, repositoryId);
    if (!parsed)
        return parsed.error();
    auto master = unlockMaster(*parsed, keysPath, repositoryId, c);
    if (!master)
        return master.error();
    if (Keys::derive(*master)->keyCheck(repositoryId) != keyCheck) {
        sodium_memzero(master->data(), master->size());
        return Error(Error::Code::Corrupt, QStringLiteral("%1 unlocks a key that is not this repository's (the key check in "
                                                          "pgarchivist-repo.json differs): keys.json was replaced. Put this "
                                                          "repository's own keys.json back.")
                                               .arg(keysPath));
    }
    return std::make_pair(*parsed, *master);
}

} // namespace

Result<std::shared_ptr<const Keys>> unlock(const QByteArray &keysJson, const QString &keysPath, const QString &repositoryId,
                                           const QString &keyCheck, const Credential &c)
{
    auto opened = openKeys(keysJson, keysPath, repositoryId, keyCheck, c);
    if (!opened)
        return opened.error();
    auto keys = Keys::derive(opened->second);
    sodium_memzero(opened->second.data(), opened->second.size());
    return keys;
}

Result<QByteArray> rekey(const QByteArray &keysJson, const QString &keysPath, const QString &repositoryId, const QString &keyCheck,
                         const Credential &current, const Credential &next)
{
    auto opened = openKeys(keysJson, keysPath, repositoryId, keyCheck, current);
    if (!opened)
        return opened.error();
    const Parsed *parsed = &opened->first;
    Key *master = &opened->second;
    auto slot = makeSlot(repositoryId, next, *master);
    sodium_memzero(master->data(), master->size());
    if (!slot)
        return slot.error();
    QJsonArray keySlots;
    for (const QJsonValue &v : parsed->keySlots)
        if (v.toObject().value(QStringLiteral("kind")).toString() != kindWord(next.kind))
            keySlots.append(v);
    keySlots.append(*slot);
    return keysDocument(repositoryId, keySlots);
}

} // namespace pga::repo::crypto
