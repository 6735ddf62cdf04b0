#pragma once

#include "core/Result.h"
#include "core/Sha256.h"

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>
#include <memory>
#include <QString>

namespace pga::repo {

namespace object {
class StreamWriter;
}
namespace crypto {
class Sealer;
}

// Who owns what a repository command creates. Set only when root writes a repository that belongs to someone
// else (Repository::writeAs): every new file and directory is then given to the owner before it is published, so
// root and the postgres user never split a repository between them. Files are made 0640, directories 0750 (and
// keep the setgid bit a shared repository's directories pass on). Unset: created as whoever runs.
struct FileOwner {
    int uid = -1;
    int gid = -1;
    bool isSet() const { return uid >= 0; }
    // fchown/chown to the owner when set; with or without, the mode above.
    Status applyToFile(int fd, const QString &path) const;
    Status applyToDirectory(const QString &path) const;
};

// Sets the process umask to 027 (call first thing in main, before any thread): PostgreSQL runs archive_command
// with umask 077, under which new repository directories would lose the group's access, and chmod by an owner
// who is not in a shared repository's group clears the setgid bit that passes the group on.
void useRepositoryUmask();

enum class Publish {
    Replace,       // rename over an existing file (manifests, state we own)
    IfAbsent,      // never replace: link(2) the temporary into place; Error::Code::Conflict if the name exists
};

// Writes `data` so that a crash at any moment leaves either the old state or the complete new file:
// temporary name in the same directory, write, fsync, publish (rename or link), fsync the directory.
// ENOSPC/EDQUOT/EFBIG map to Error::Code::DiskFull. On any failure nothing new is visible.
Status writeFileDurably(const QString &path, const QByteArray &data, Publish mode = Publish::Replace, const FileOwner &owner = {});
// The same for a file made of several pieces (header and body), written without joining them first.
Status writeFileDurably(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode = Publish::Replace,
                        const FileOwner &owner = {});

// In an encrypted repository (Encryption.h) every function here seals what it writes and opens what it reads,
// except the *Stored* ones: the bytes as stored, for the files that are never sealed and for what is sealed already.
Status writeStoredBytes(const QString &path, std::initializer_list<QByteArrayView> parts, Publish mode = Publish::Replace,
                        const FileOwner &owner = {});

// fsync a directory so that a rename or link inside it survives a crash.
Status syncDirectory(const QString &dir);
// Creates the directory and any missing parents, fsyncing each parent that gained an entry.
Status makeDirectoryDurably(const QString &dir, const FileOwner &owner = {});

// A file written front to back while its SHA-256 and length are computed, made durable by finish(). The backup
// streams files.jsonl and the server's backup_manifest through it, so neither is held in memory.
class HashingFileWriter {
public:
    static Result<std::unique_ptr<HashingFileWriter>> create(const QString &path, const FileOwner &owner = {});
    ~HashingFileWriter();

    Status write(const char *data, size_t size);
    Status write(const QByteArray &data) { return write(data.constData(), size_t(data.size())); }
    // Flushes and fdatasyncs the file, then its directory; returns the content's SHA-256 (hex).
    Result<QString> finish();
    qint64 bytes() const { return m_bytes; }

private:
    HashingFileWriter(QString path, int fd);
    Status drain(bool last = false);
    QString m_path;
    int m_fd = -1;
    std::unique_ptr<object::StreamWriter> m_object;  // an s3:// path: uploaded, in parts when large
    std::unique_ptr<crypto::Sealer> m_sealer;        // an encrypted repository's file: sealed as it is written
    QByteArray m_buf;
    Sha256 m_sha;
    qint64 m_bytes = 0;
};

// Removes a published directory (a backup or a dump) so that a crash at any moment leaves it published or invisible:
// its `manifest` file first, durably, then the rest, then the parent's entry. `what` names it in errors.
Status removePublishedDirectory(const QString &dir, const QString &manifest, const QString &what);

// Reads a whole file; NotFound when absent, Corrupt when it is larger than maxSize.
Result<QByteArray> readWholeFile(const QString &path, qint64 maxSize = qint64(1) << 30);
Result<QByteArray> readStoredBytes(const QString &path, qint64 maxSize = qint64(1) << 30);

// An Error for a failed system call, naming what we were doing and the path.
Error ioError(const QString &what, const QString &path, int savedErrno);

} // namespace pga::repo
