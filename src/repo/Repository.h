#pragma once

#include "DurableFile.h"
#include "KeySlots.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace pga::repo {

// What the repository records about one server name: the cluster it belongs to.
struct ServerRecord {
    QString name;
    quint64 systemIdentifier = 0;
    int pgVersionNum = 0;       // e.g. 150000 (from the WAL page magic or the server)
    QDateTime createdUtc;
};

// An exclusive or shared flock(2) on a lock file; released on destruction (and by the kernel
// when the process dies, so a killed backup never leaves a stale lock).
class RepoLock {
public:
    ~RepoLock();
    RepoLock(const RepoLock &) = delete;
    RepoLock &operator=(const RepoLock &) = delete;

private:
    friend class Repository;
    explicit RepoLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// The on-disk repository (docs/repository-format.md). Paths only; the WAL archive, chunk store and
// backup catalog build on it. Format version 1.
//
// A repository has one owner: the owner of pgarchivist-repo.json. Only the owner writes it; root writing it
// creates everything as the owner (writeAs); anyone else is refused before anything is written. With a shared
// group (repo-init --group) its directories are setgid 2750 and its files 0640, so the group reads it.
class Repository {
public:
    static constexpr int kFormat = 1;
    static constexpr int kEncryptedFormat = 2;  // format 1 readers refuse it instead of writing plain objects into it

    struct InitOptions {
        QString owner;  // as root: the user who will own it (default: the user running); otherwise must be ourselves
        QString group;  // non-empty: the group that may read it (directories setgid 2750, files 0640)
        std::optional<crypto::Credential> encryptWith;  // repo-init --encrypt: format 2, sealed objects (Encryption.h)
    };
    // Creates an empty repository in dir (which may exist but must be empty of repository files).
    static Result<Repository> init(const QString &dir, const InitOptions &options = {});
    enum class Access { Read, Write };
    // Opens an existing repository; refuses a format it does not know. For Write, refuses (Permission) a user
    // who is neither the owner nor root, naming the owner and the fix.
    // An encrypted repository is unlocked here, once per process: with the credential the application provided for
    // its root, else the environment's (KeySlots.h); Authentication when none is given or it is wrong.
    static Result<Repository> open(const QString &dir, Access access = Access::Read);
    // Replaces the slot of next's kind in keys.json after `current` unlocked it; the data stays as it is.
    static Status rekey(const QString &dir, const crypto::Credential &current, const crypto::Credential &next);
    // Whether c unlocks the encrypted repository at dir (whatever this process unlocked it with before).
    static Status checkCredential(const QString &dir, const crypto::Credential &c);
    // The root open() and init() use for dir: what credentials are provided for (crypto::provideCredential).
    static QString rootFor(const QString &dir);

    bool encrypted() const { return m_keys != nullptr; }
    const crypto::Keys *keys() const { return m_keys.get(); }
    QString id() const { return m_id; }

    QString ownerName() const { return m_ownerName; }
    QString groupName() const { return m_groupName; }   // the group of pgarchivist-repo.json
    bool sharedWithGroup() const { return m_shared; }   // made with --group
    // Set when root writes another owner's repository: what every new file and directory is given to.
    const FileOwner &writeAs() const { return m_writeAs; }
    // Whether this process may write the repository (its owner, or root), whatever access it was opened for:
    // readers that can also keep a cache (the landmark index) ask this, and write as cacheOwner().
    bool mayWrite() const { return m_mayWrite; }
    const FileOwner &cacheOwner() const { return m_cacheOwner; }
    QString landmarksDir(const QString &server) const;  // servers/NAME/landmarks: caches rebuilt from WAL headers

    QString root() const { return m_root; }
    QString serverDir(const QString &server) const;
    QString walDir(const QString &server) const;                 // servers/NAME/wal
    QString timelineDir(const QString &server, quint32 tli) const; // servers/NAME/wal/TTTTTTTT
    QString backupsDir(const QString &server) const;             // servers/NAME/backups
    QString chunksDir() const;                                   // chunks
    QString expireScratchDir() const;                            // .expire-referenced (expire's on-disk set)

    Result<QStringList> servers() const;
    // NotFound when nothing was recorded for that name yet.
    Result<ServerRecord> server(const QString &name) const;
    // Records the server on first use; afterwards refuses another cluster (Error::Code::WrongCluster).
    Result<ServerRecord> ensureServer(const QString &name, quint64 systemIdentifier, int pgVersionNum);

    enum class LockMode { Shared, Exclusive };
    // Blocks up to timeoutMs (0: try once). Error::Code::Busy names what holds it when known.
    Result<std::unique_ptr<RepoLock>> lock(const QString &server, LockMode mode, int timeoutMs = 0) const;

    // Server names become directory names: letters, digits, '.', '_' and '-', not starting with '.'.
    static Status validateServerName(const QString &name);

    // An s3://BUCKET/PREFIX repository (ObjectStorage.h): no owners, no directories, locks held on this host.
    bool onObjectStorage() const { return m_root.startsWith(QLatin1String("s3://")); }

private:
    explicit Repository(QString root) : m_root(std::move(root)) {}
    static Result<Repository> initObjectStore(const QString &url, const InitOptions &options);
    // The marker's encryption fields, and keys.json written before it, for an encrypted repository.
    static Status prepareEncryption(const QString &root, const InitOptions &options, QJsonObject &marker, const FileOwner &owner);
    Status unlock(const QJsonObject &marker);
    // A JSON object file of the repository (the marker, server.json); Corrupt when it is not one.
    static Result<QJsonObject> readJson(const QString &path);
    Result<std::pair<int, QString>> openObjectStoreLock(const QString &server) const;
    QString m_root;
    QString m_id;
    std::shared_ptr<const crypto::Keys> m_keys;
    QString m_ownerName;
    QString m_groupName;
    bool m_shared = false;
    bool m_mayWrite = false;
    FileOwner m_writeAs;
    FileOwner m_cacheOwner;
};

} // namespace pga::repo
