#pragma once

#include "Repository.h"
#include "core/ArchiveSummary.h"
#include "core/Buffer.h"
#include "core/Lsn.h"
#include "core/Result.h"
#include "core/WalName.h"
#include "core/WalParser.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>

namespace pga::repo {

// What the repository records about one archived WAL file. It travels inside the archived file itself
// (a zstd skippable frame in front of the compressed data; docs/repository-format.md), so the file is
// self-describing and there is no separate index that could disagree with it.
struct WalFileMeta {
    QString name;                     // PostgreSQL's name for the file
    QString kind;                     // segment | partial | history | backup
    qint64 size = 0;                  // original bytes
    QString sha256;                   // of the original bytes, lower-case hex
    quint32 timeline = 0;
    quint64 systemIdentifier = 0;     // 0 for history and backup files (they carry none)
    int pgVersionNum = 0;
    quint32 segmentSize = 0;
    Lsn startLsn;
    Lsn endLsn;
    bool walSwitch = false;
    int commits = 0;
    int aborts = 0;
    std::optional<qint64> firstXactTimeUs;
    std::optional<qint64> lastXactTimeUs;
    // Recovery landmarks found by the push's scan. landmarks is false in files archived before they were
    // recorded: then only a scan of the WAL itself says (WalLandmarks does it).
    bool landmarks = false;
    QList<wal::RestorePoint> restorePoints;
    std::optional<quint32> minXid, maxXid;
    QDateTime arrivedUtc;
    qint64 storedSize = 0;            // size of the archived file (filled in when listing)

    QJsonObject toJson() const;
    static Result<WalFileMeta> fromJson(const QJsonObject &o);
};

// The WAL archive of one server: REPO/servers/NAME/wal/TTTTTTTT/FILE.zst.
class WalArchive {
public:
    static constexpr int kFileFormat = 1;

    WalArchive(Repository repo, QString server) : m_repo(std::move(repo)), m_server(std::move(server)) {}

    const Repository &repository() const { return m_repo; }
    QString server() const { return m_server; }
    QString pathFor(const WalName &name) const;

    // The archived file in two pieces: the header frame with the metadata, then the zstd frame.
    struct Encoded {
        QByteArray header;
        Buffer frame;
        bool ok() const { return !header.isEmpty() && frame.size() > 0; }
        qint64 size() const { return header.size() + qint64(frame.size()); }
    };
    // sha256 and size are computed here, on a second thread while zstd compresses; `alongside` runs on that
    // thread after the hash (e.g. the WAL record scan that fills the rest of meta) and before the header is made.
    static Encoded encode(const char *data, size_t size, WalFileMeta &meta, int level = 1,
                          const std::function<void()> &alongside = {});

    enum class Stored { New, AlreadyArchived, Repaired };
    // Publishes durably and never overwrites different content: Conflict ("possible split brain") when
    // another file with that name and other content exists. Identical content: AlreadyArchived.
    Result<Stored> store(const WalName &name, const Encoded &encoded, const WalFileMeta &meta);

    // Header only (cheap); NotFound when the repository lacks the file.
    Result<WalFileMeta> meta(const WalName &name) const;
    // The original bytes, verified against the recorded SHA-256 (Corrupt otherwise).
    Result<Buffer> fetch(const WalName &name, WalFileMeta *metaOut = nullptr) const;

    // Every archived file's header, all timelines. Files whose header cannot be read are left out and
    // named in *damaged (when given), so one bad file does not hide the rest of the catalog.
    Result<QList<WalFileMeta>> list(QStringList *damaged = nullptr) const;
    // The same, one header at a time in WAL order (timelines ascending), without holding them all.
    Status forEachMeta(const std::function<Status(const WalFileMeta &)> &fn, QStringList *damaged = nullptr) const;
    // For summaries: segments and partials as core values.
    static ArchivedSegment toSegment(const WalFileMeta &m);

    // Parsing of an archived file (exposed for tests and tools).
    static Result<WalFileMeta> decodeMeta(const QByteArray &headerBytes, qsizetype *payloadOffset = nullptr);
    static Result<Buffer> decode(const QByteArray &file, WalFileMeta *metaOut = nullptr);

private:
    Repository m_repo;
    QString m_server;
};

} // namespace pga::repo
