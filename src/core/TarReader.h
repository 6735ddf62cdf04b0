#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace pga {

// One member of a tar archive (ustar, with GNU base-256 sizes and long names, and pax path/size records).
struct TarEntry {
    enum class Type { File, Directory, Symlink, Other };
    QString path;          // as stored, without a leading "./" and without a trailing '/'
    Type type = Type::File;
    quint32 mode = 0;
    qint64 size = 0;       // bytes of content that follow (files only)
    qint64 mtime = 0;      // seconds since the epoch
    QString linkTarget;    // symlinks
};

// A streaming tar parser: bytes go in as they arrive in pieces of any size, entries and their content
// come out through the handler. Nothing is buffered beyond one 512-byte header (and long names).
class TarReader {
public:
    class Handler {
    public:
        virtual ~Handler() = default;
        virtual Status entry(const TarEntry &e) = 0;                   // before its content
        virtual Status data(const char *p, size_t n) = 0;              // content of the current file, in order
        virtual Status entryEnd() = 0;                                 // after the last content byte
    };

    explicit TarReader(Handler &h) : m_h(h) {}
    Status feed(const char *p, size_t n);
    // The stream ended: Corrupt when it stopped inside a member.
    Status finish() const;
    qint64 bytesSeen() const { return m_total; }

private:
    Status header();
    Handler &m_h;
    enum class State { Header, Data, Padding, LongName, LongLink, Pax } m_state = State::Header;
    char m_block[512];
    size_t m_blockFill = 0;
    qint64 m_left = 0;        // content bytes left in the current member
    qint64 m_padLeft = 0;
    QByteArray m_special;     // content of a GNU long name/link or pax header
    QString m_nextPath, m_nextLink;
    qint64 m_nextSize = -1;
    qint64 m_total = 0;
};

} // namespace pga
