#pragma once

#include "JobRunner.h"
#include "ServerEntry.h"

#include <QObject>

#include <memory>

namespace pga::app {

class ServerRegistry;
class SecretStore;

// What "Test repository" found.
struct RepositoryCheck {
    QString location;
    bool exists = false;        // a pgArchivist repository is there (else: reachable and writable, made on first use)
    QStringList servers;        // the server names it holds
    bool encrypted = false;     // unlocked with the passphrase given
    qint64 roundTripMs = 0;     // write, read back and remove a probe object
};

// Repositories for the GUI: an s3:// one is reached with the server's S3 settings and the keys from the keychain
// (never the environment or a file), registered for its bucket before any job of that server touches it; and the
// "Test repository" job of the server dialog.
class RepositoryService : public QObject {
    Q_OBJECT
public:
    RepositoryService(ServerRegistry *registry, SecretStore *secrets, QObject *parent = nullptr);

    // Registers the S3 settings of every server with an s3:// repository (reads the keychain; asynchronous), and
    // again whenever one is saved.
    void configureAll();
    // Registers one server's settings with the keys given ("ACCESS_KEY_ID\nSECRET"); errors say what is missing.
    static Status configure(const ServerEntry &entry, const QString &keys);
    // Gives an encrypted repository's passphrase (from the keychain) for the server's repository, so that every job
    // opening it unlocks it, and a repository the app creates for it is created encrypted.
    static Status providePassphrase(const ServerEntry &entry, const QString &passphrase);

    // The job of the server dialog's "Test repository": opens the repository (or, where none is yet, checks that one
    // can be made), then writes, reads back and removes a probe object. The result lands in *out.
    static JobWork testWork(ServerEntry entry, QString keys, QString passphrase, std::shared_ptr<RepositoryCheck> out);
    static QString describe(const RepositoryCheck &check);
    // The job of "Change passphrase…": repo-rekey of the server's encrypted repository from `current` to `next`
    // (only keys.json changes), after which `next` is the one provided for it.
    static JobWork rekeyWork(ServerEntry entry, QString current, QString next);
    // " --s3-endpoint URL --s3-region R ..." for the CLI equivalent of an action on an s3:// repository (never the
    // keys: the CLI takes them from the environment or ~/.aws/credentials), and " --passphrase-file F" for an
    // encrypted one (the file on the database host, never the passphrase); empty for a plain directory.
    static QString cliOptions(const ServerEntry &entry);
    static QStringList cliOptionWords(const ServerEntry &entry);

private:
    void configureOne(qint64 id);
    ServerRegistry *m_registry;
    SecretStore *m_secrets;
};

} // namespace pga::app
