#include "WalArchive.h"
#include "ContentReader.h"
#include "Encryption.h"
#include "ObjectStorage.h"
#include "FileAccess.h"
#include "DurableFile.h"

#include "core/Sha256.h"
#include "core/WalParser.h"
#include "core/Zstd.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace pga::repo {

namespace {

constexpr quint32 kSkippableMagic = 0x184D2A5E;  // a zstd skippable frame: zstd -d skips it
constexpr quint32 kMaxHeader = 64 * 1024;

QString usToIso(qint64 us) { return wal::timeFromUs(us).toString(Qt::ISODateWithMs); }

void putU32(char *p, quint32 v) { std::memcpy(p, &v, 4); }
quint32 getU32(const char *p)
{
    quint32 v;
    std::memcpy(&v, p, 4);
    return v;
}

// Removes temporaries of `fileName` left by killed writers (their pid no longer exists).
void removeStaleTemporaries(const QString &dir, const QString &fileName)
{
    const QDir d(dir);
    const QStringList stale = d.entryList({QLatin1Char('.') + fileName + QStringLiteral(".tmp.*")}, QDir::Files | QDir::Hidden);
    for (const QString &t : stale) {
        const QStringList parts = t.split(QLatin1Char('.'));
        bool ok = false;
        const int pid = parts.size() >= 3 ? parts.at(parts.size() - 2).toInt(&ok) : 0;
        if (ok && pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
            ::unlink(QFile::encodeName(d.filePath(t)).constData());
    }
}

} // namespace

QJsonObject WalFileMeta::toJson() const
{
    QJsonObject o{{QStringLiteral("format"), WalArchive::kFileFormat},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("size"), size},
                  {QStringLiteral("sha256"), sha256},
                  {QStringLiteral("compression"), QStringLiteral("zstd")},
                  {QStringLiteral("timeline"), qint64(timeline)},
                  {QStringLiteral("arrived"), arrivedUtc.toString(Qt::ISODateWithMs)}};
    if (systemIdentifier)
        o.insert(QStringLiteral("system_identifier"), QString::number(systemIdentifier));
    if (pgVersionNum)
        o.insert(QStringLiteral("pg_version_num"), pgVersionNum);
    if (segmentSize) {
        o.insert(QStringLiteral("segment_size"), qint64(segmentSize));
        o.insert(QStringLiteral("start_lsn"), startLsn.toString());
        o.insert(QStringLiteral("end_lsn"), endLsn.toString());
        o.insert(QStringLiteral("wal_switch"), walSwitch);
        o.insert(QStringLiteral("commits"), commits);
        o.insert(QStringLiteral("aborts"), aborts);
    }
    if (firstXactTimeUs) {
        o.insert(QStringLiteral("first_xact_time"), usToIso(*firstXactTimeUs));
        o.insert(QStringLiteral("first_xact_time_us"), QString::number(*firstXactTimeUs));
    }
    if (lastXactTimeUs) {
        o.insert(QStringLiteral("last_xact_time"), usToIso(*lastXactTimeUs));
        o.insert(QStringLiteral("last_xact_time_us"), QString::number(*lastXactTimeUs));
    }
    if (landmarks) {
        QJsonArray points;
        for (const wal::RestorePoint &p : restorePoints)
            points.append(QJsonObject{{QStringLiteral("name"), p.name},
                                      {QStringLiteral("lsn"), p.lsn.toString()},
                                      {QStringLiteral("time_us"), QString::number(p.timeUs)}});
        o.insert(QStringLiteral("restore_points"), points);
        if (minXid) {
            o.insert(QStringLiteral("min_xid"), qint64(*minXid));
            o.insert(QStringLiteral("max_xid"), qint64(*maxXid));
        }
    }
    return o;
}

Result<WalFileMeta> WalFileMeta::fromJson(const QJsonObject &o)
{
    const int format = o.value(QStringLiteral("format")).toInt(-1);
    if (format != WalArchive::kFileFormat)
        return Error(Error::Code::Unsupported,
                     QStringLiteral("The archived WAL file has format %1; this pgArchivist reads format %2 only.")
                         .arg(format)
                         .arg(WalArchive::kFileFormat));
    WalFileMeta m;
    m.name = o.value(QStringLiteral("name")).toString();
    m.kind = o.value(QStringLiteral("kind")).toString();
    m.size = qint64(o.value(QStringLiteral("size")).toDouble(-1));
    m.sha256 = o.value(QStringLiteral("sha256")).toString();
    m.timeline = quint32(o.value(QStringLiteral("timeline")).toInteger());
    m.systemIdentifier = o.value(QStringLiteral("system_identifier")).toString().toULongLong();
    m.pgVersionNum = o.value(QStringLiteral("pg_version_num")).toInt();
    m.segmentSize = quint32(o.value(QStringLiteral("segment_size")).toInteger());
    m.startLsn = Lsn::parse(o.value(QStringLiteral("start_lsn")).toString()).value_or(Lsn());
    m.endLsn = Lsn::parse(o.value(QStringLiteral("end_lsn")).toString()).value_or(Lsn());
    m.walSwitch = o.value(QStringLiteral("wal_switch")).toBool();
    m.commits = o.value(QStringLiteral("commits")).toInt();
    m.aborts = o.value(QStringLiteral("aborts")).toInt();
    bool ok = false;
    if (const qint64 v = o.value(QStringLiteral("first_xact_time_us")).toString().toLongLong(&ok); ok)
        m.firstXactTimeUs = v;
    if (const qint64 v = o.value(QStringLiteral("last_xact_time_us")).toString().toLongLong(&ok); ok)
        m.lastXactTimeUs = v;
    if (o.contains(QStringLiteral("restore_points"))) {
        m.landmarks = true;
        for (const QJsonValue &v : o.value(QStringLiteral("restore_points")).toArray()) {
            const QJsonObject p = v.toObject();
            m.restorePoints << wal::RestorePoint{p.value(QStringLiteral("name")).toString(),
                                                 Lsn::parse(p.value(QStringLiteral("lsn")).toString()).value_or(Lsn()),
                                                 p.value(QStringLiteral("time_us")).toString().toLongLong()};
        }
        if (o.contains(QStringLiteral("min_xid"))) {
            m.minXid = quint32(o.value(QStringLiteral("min_xid")).toInteger());
            m.maxXid = quint32(o.value(QStringLiteral("max_xid")).toInteger());
        }
    }
    m.arrivedUtc = QDateTime::fromString(o.value(QStringLiteral("arrived")).toString(), Qt::ISODateWithMs);
    if (m.name.isEmpty() || m.size < 0 || m.sha256.size() != 64)
        return Error(Error::Code::Corrupt, QStringLiteral("The archived WAL file's header lacks its name, size or checksum."));
    return m;
}

QString WalArchive::pathFor(const WalName &name) const
{
    return m_repo.timelineDir(m_server, name.timeline) + QLatin1Char('/') + name.name + QStringLiteral(".zst");
}

WalArchive::Encoded WalArchive::encode(const char *data, size_t size, WalFileMeta &meta, int level,
                                       const std::function<void()> &alongside)
{
    // SHA-256 runs on a second thread while zstd compresses.
    QString sha;
    std::thread hasher([&] {
        Sha256 h;
        h.add(data, size);
        sha = h.finishHex();
        if (alongside)
            alongside();
    });
    Encoded e;
    e.frame = Buffer(zstd::bound(size));
    // zstd's own worker threads cost more in setup than they save on one 16 MiB segment.
    e.frame.resize(zstd::compressInto(data, size, e.frame.data(), e.frame.capacity(), level));
    hasher.join();
    meta.sha256 = sha;
    meta.size = qint64(size);
    // Header frame payload: SHA-256 of the JSON (32 bytes), then the JSON; the metadata is verified too.
    const QByteArray json = QJsonDocument(meta.toJson()).toJson(QJsonDocument::Compact);
    e.header = QByteArray(8, Qt::Uninitialized);
    putU32(e.header.data(), kSkippableMagic);
    putU32(e.header.data() + 4, quint32(32 + json.size()));
    e.header.append(Sha256::of(json.constData(), size_t(json.size()))).append(json);
    return e;
}

Result<WalFileMeta> WalArchive::decodeMeta(const QByteArray &bytes, qsizetype *payloadOffset)
{
    if (bytes.size() < 8 || getU32(bytes.constData()) != kSkippableMagic)
        return Error(Error::Code::Corrupt, QStringLiteral("The archived WAL file has no pgArchivist header; it is damaged "
                                                          "or was not written by pgArchivist."));
    const quint32 len = getU32(bytes.constData() + 4);
    if (len > kMaxHeader || len < 32 || qsizetype(8 + len) > bytes.size())
        return Error(Error::Code::Corrupt, QStringLiteral("The archived WAL file's header is truncated."));
    const QByteArray json = bytes.mid(40, len - 32);
    if (Sha256::of(json.constData(), size_t(json.size())) != bytes.mid(8, 32))
        return Error(Error::Code::Corrupt, QStringLiteral("The archived WAL file's header is damaged (checksum mismatch)."));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error(Error::Code::Corrupt, QStringLiteral("The archived WAL file's header is damaged (%1).").arg(pe.errorString()));
    if (payloadOffset)
        *payloadOffset = 8 + len;
    return WalFileMeta::fromJson(doc.object());
}

Result<Buffer> WalArchive::decode(const QByteArray &file, WalFileMeta *metaOut)
{
    qsizetype off = 0;
    auto meta = decodeMeta(file, &off);
    if (!meta)
        return meta.error();
    Buffer out(size_t(meta->size));
    if (out.isNull())
        return Error(Error::Code::Internal, QStringLiteral("Out of memory restoring %1.").arg(meta->name));
    if (Status s = zstd::decompressInto(file.constData() + off, size_t(file.size() - off), out.data(), size_t(meta->size)); !s)
        return Error(Error::Code::Corrupt, QStringLiteral("The archived copy of %1 is damaged: %2").arg(meta->name, s.error().message),
                     s.error().detail);
    out.resize(size_t(meta->size));
    if (Sha256::hexOf(out.view()) != meta->sha256)
        return Error(Error::Code::Corrupt,
                     QStringLiteral("The archived copy of %1 is damaged: its SHA-256 does not match the one recorded when it "
                                    "was archived.")
                         .arg(meta->name));
    if (metaOut)
        *metaOut = *meta;
    return out;
}

Result<WalArchive::Stored> WalArchive::store(const WalName &name, const Encoded &encoded, const WalFileMeta &meta)
{
    const QString path = pathFor(name);
    const QString dir = parentPath(path);
    if (Status s = makeDirectoryDurably(dir, m_repo.writeAs()); !s)
        return s.error();
    if (!encoded.ok())
        return Error(Error::Code::Internal, QStringLiteral("Compressing %1 failed.").arg(name.name));
    const std::initializer_list<QByteArrayView> parts{QByteArrayView(encoded.header), QByteArrayView(encoded.frame.data(), qsizetype(encoded.frame.size()))};
    Status s = writeFileDurably(path, parts, Publish::IfAbsent, m_repo.writeAs());
    if (s)
        return Stored::New;
    if (s.error().code != Error::Code::Conflict)
        return s.error();
    // Rare path, so the directory listing is affordable here (thousands of segments share it): leftovers
    // of a killed writer that had no O_TMPFILE.
    if (!isObjectPath(dir))
        removeStaleTemporaries(dir, QFileInfo(path).fileName());
    // Something is there already: PostgreSQL retrying after a crash, or a concurrent push of the same
    // file (the other writer published only after fsync, so what we read is complete).
    auto existing = readWholeFile(path);
    if (!existing)
        return existing.error();
    qsizetype off = 0;
    auto existingMeta = decodeMeta(*existing, &off);
    if (existingMeta && (existingMeta->sha256 != meta.sha256 || existingMeta->size != meta.size))
        return Error(Error::Code::Conflict,
                     QStringLiteral("Refused %1: the repository already holds a different file under that name (possible "
                                    "split brain: two servers archiving as '%2', or a restored old primary). Both copies "
                                    "are kept untouched; find out which server wrote %3 before you do anything else.")
                         .arg(name.name, m_server, path),
                     QStringLiteral("archived sha256 %1, new sha256 %2").arg(existingMeta->sha256, meta.sha256));
    if (existingMeta && decode(*existing))
        return Stored::AlreadyArchived;
    // The archived copy is damaged but the incoming file is the one it should be (same recorded checksum),
    // or the header itself is unreadable: replace it with the verified new copy.
    if (existingMeta || !existing->isEmpty()) {
        if (Status r = writeFileDurably(path, parts, Publish::Replace, m_repo.writeAs()); !r)
            return r.error();
        return Stored::Repaired;
    }
    return Error(Error::Code::Corrupt, QStringLiteral("%1 exists but is empty.").arg(path));
}

Result<WalFileMeta> WalArchive::meta(const WalName &name) const
{
    const QString path = pathFor(name);
    // The header alone (one ranged GET on object storage, one segment when sealed): listing the archive must not
    // read the WAL.
    qint64 total = 0;
    auto head = readContentHead(path, 4096, &total);
    if (!head && head.error().code == Error::Code::NotFound)
        return Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository.").arg(name.name));
    if (!head)
        return head.error();
    if (head->size() >= 8 && getU32(head->constData()) == kSkippableMagic) {
        const qint64 want = 8 + qint64(std::min<quint32>(getU32(head->constData() + 4), kMaxHeader));
        if (head->size() < want) {
            head = readContentHead(path, want, &total);
            if (!head)
                return head.error();
        }
        head->truncate(qsizetype(std::min<qint64>(want, head->size())));
    }
    auto m = decodeMeta(*head);
    if (m)
        m->storedSize = total;
    return m;
}

Result<Buffer> WalArchive::fetch(const WalName &name, WalFileMeta *metaOut) const
{
    const QString path = pathFor(name);
    if (isObjectPath(path) || crypto::bindingFor(path).keys) {
        auto whole = readWholeFile(path, qint64(1) << 30);
        if (!whole && whole.error().code == Error::Code::NotFound)
            return Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository.").arg(name.name));
        if (!whole)
            return whole.error();
        auto data = decode(*whole, metaOut);
        if (!data)
            return Error(data.error().code, data.error().message + QStringLiteral(" (%1)").arg(path), data.error().detail);
        return data;
    }
    auto file = MappedFile::open(path);
    if (!file) {
        if (file.error().code == Error::Code::NotFound)
            return Error(Error::Code::NotFound, QStringLiteral("%1 is not in the repository.").arg(name.name));
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);  // again, for errno: who may not read it
        if (fd < 0)
            return accessError(QStringLiteral("Reading"), path, errno);
        ::close(fd);
        return file.error();
    }
    auto data = decode(file->view(), metaOut);
    if (!data)
        return Error(data.error().code, data.error().message + QStringLiteral(" (%1)").arg(path), data.error().detail);
    return data;
}

Result<QList<WalFileMeta>> WalArchive::list(QStringList *damaged) const
{
    QList<WalFileMeta> out;
    Status s = forEachMeta([&](const WalFileMeta &m) {
        out << m;
        return Status();
    }, damaged);
    if (!s)
        return s.error();
    return out;
}

Status WalArchive::forEachMeta(const std::function<Status(const WalFileMeta &)> &fn, QStringList *damaged) const
{
    const QString wal = m_repo.walDir(m_server);
    auto timelines = listDirectory(wal, EntryType::Directories);
    if (!timelines)
        return timelines.error();
    for (const QString &tl : *timelines) {
        auto files = listDirectory(wal + QLatin1Char('/') + tl, EntryType::Files);
        if (!files)
            return files.error();
        for (const QString &f : *files) {
            if (!f.endsWith(QLatin1String(".zst")))
                continue;
            auto name = WalName::parse(f.chopped(4));
            if (!name)
                continue;
            auto m = meta(*name);
            if (m) {
                if (Status s = fn(*m); !s)
                    return s;
            } else if (m.error().code == Error::Code::Corrupt || m.error().code == Error::Code::Unsupported) {
                if (damaged)
                    *damaged << name->name;
            } else {
                return m.error();
            }
        }
    }
    return {};
}

ArchivedSegment WalArchive::toSegment(const WalFileMeta &m)
{
    ArchivedSegment s;
    const auto name = WalName::parse(m.name);
    const quint64 segSize = m.segmentSize ? m.segmentSize : (16u << 20);
    s.timeline = m.timeline;
    s.segNo = name ? name->segNo(segSize) : 0;
    s.name = m.name;
    s.partial = m.kind == QLatin1String("partial");
    s.startLsn = m.startLsn;
    s.endLsn = m.endLsn;
    s.firstXactTimeUs = m.firstXactTimeUs;
    s.lastXactTimeUs = m.lastXactTimeUs;
    s.arrivedUtc = m.arrivedUtc;
    s.size = m.size;
    s.storedSize = m.storedSize;
    return s;
}

} // namespace pga::repo
