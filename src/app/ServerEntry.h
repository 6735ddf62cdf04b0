#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace pga::app {

// How the GUI reaches an s3:// repository (the CLI reads the same from --s3-* options or the environment). The
// access key and secret are not here: they are in the keychain under ServerEntry::s3SecretKey().
struct S3Settings {
    QString endpoint;          // http(s)://host[:port]; empty: AWS for the region
    QString region;            // empty: us-east-1
    bool pathStyle = true;     // https://host/BUCKET/KEY (most S3-compatible stores); false: https://BUCKET.host/KEY
    bool verifyTls = true;
    QString caFile;

    bool operator==(const S3Settings &) const = default;
};

// An encrypted repository (repo-init --encrypt). The passphrase is in the keychain under
// ServerEntry::repoPassphraseKey(); the database host has its own copy in passphraseFile.
struct RepoEncryption {
    bool encrypted = false;    // unlock it with the keychain's passphrase; create it encrypted when the app makes it
    QString passphraseFile;    // on the database host: what archive_command and restore_command are given

    bool operator==(const RepoEncryption &) const = default;
};

// One server the DBA registered. The password is not here: it lives in the keychain under secretKey.
struct ServerEntry {
    qint64 id = 0;             // registry row id; 0 until saved
    QString name;              // unique, shown in the tree
    QString group;             // tree folder; empty means top level
    QString conninfo;          // libpq conninfo or URI; "service=NAME" for a pg_service.conf entry
    QString repoDir;           // pgArchivist repository this server archives into (may be empty)
    QString repoServer;        // the server's name inside that repository
    S3Settings s3;             // when repoDir is s3://BUCKET/PREFIX
    RepoEncryption encryption;
    bool sandbox = false;      // created by pgArchivist for trying it out
    QString secretKey;         // keychain key for the password; stable across renames
    QDateTime createdAt;

    bool repoOnObjectStorage() const { return repoDir.startsWith(QLatin1String("s3://")); }
    // Keychain key of "ACCESS_KEY_ID\nSECRET_ACCESS_KEY" for an S3 repository.
    QString s3SecretKey() const { return secretKey + QStringLiteral("/s3"); }
    // Keychain key of an encrypted repository's passphrase.
    QString repoPassphraseKey() const { return secretKey + QStringLiteral("/repo-passphrase"); }

    bool operator==(const ServerEntry &) const = default;
};

} // namespace pga::app

Q_DECLARE_METATYPE(pga::app::ServerEntry)
