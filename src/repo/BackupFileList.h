#pragma once

#include "ContentReader.h"
#include "core/ChunkId.h"
#include "core/Result.h"
#include "DurableFile.h"
#include "core/Sha256.h"

#include <QFile>
#include <QIODevice>
#include <QList>
#include <QString>

#include <memory>

namespace pga::repo {

// One member of a base backup. Files are cut into chunks of the manifest's chunkSize (the last may be
// shorter); each chunk is named by the SHA-256 of its bytes and lives in the ChunkStore.
struct BackupFileEntry {
    enum class Type { File, Directory, Symlink };
    QString path;              // relative to the archive's root (the data directory or the tablespace)
    quint32 tablespace = 0;    // 0: the data directory, else the tablespace OID
    Type type = Type::File;
    quint32 mode = 0600;
    qint64 mtime = 0;
    qint64 size = 0;
    QString link;              // symlinks
    QList<ChunkId> chunks;     // SHA-256 of each chunk, in order (lower-case hex in the file)

    // One line of files.jsonl (compact JSON, no newline).
    QByteArray toJsonLine() const;
};

// REPO/servers/NAME/backups/ID/files.jsonl: one BackupFileEntry per line, in the order of the backup stream.
class BackupFileListWriter {
public:
    static Result<std::unique_ptr<BackupFileListWriter>> create(const QString &path, const FileOwner &owner = {});
    Status add(const BackupFileEntry &e);
    // Durable; the count and checksum go into manifest.json.
    Result<QString> finish() { return m_out->finish(); }
    qint64 count() const { return m_count; }

private:
    std::unique_ptr<HashingFileWriter> m_out;
    qint64 m_count = 0;
};

// Reads files.jsonl an entry at a time, so memory stays at one file's chunk list whatever the backup's size.
// The end is only reached when the entry count and the SHA-256 match what manifest.json recorded: a truncated,
// edited or swapped list is Corrupt, at the latest at its last line.
class BackupFileListReader {
public:
    struct Expect {
        QString backupId;
        qint64 count = 0;
        QString sha256;
        qint64 chunkSize = 0;
    };
    static Result<BackupFileListReader> open(const QString &path, const Expect &expect);
    BackupFileListReader(BackupFileListReader &&) = default;
    BackupFileListReader &operator=(BackupFileListReader &&) = default;

    // The next entry; false at the (verified) end; Corrupt on damage.
    Result<bool> next(BackupFileEntry &e);
    // Reads the rest only to check it: a restore checks the whole list before it writes anything.
    Status checkToEnd();

private:
    BackupFileListReader(QString path, const Expect &expect);
    Error corrupt(const QString &why) const;
    // The next line with its '\n' (without it at the end of the file); empty at the end.
    Result<QByteArray> readLine();
    QString m_path;
    Expect m_expect;
    std::unique_ptr<ContentReader> m_file;
    std::unique_ptr<Sha256> m_sha;
    QByteArray m_buf;     // read ahead of the current line
    qsizetype m_pos = 0;
    bool m_eof = false;
    qint64 m_read = 0;
    bool m_done = false;
};

} // namespace pga::repo
