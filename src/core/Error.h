#pragma once

#include <QString>
#include <QMetaType>

namespace pga {

// An error is a value: what failed (message, for a person, saying what to do next),
// the detail underneath (server text, errno text), and a code that programs branch on.
struct Error {
    enum class Code {
        None = 0,
        InvalidArgument,    // bad input from the user: conninfo, option, path
        NotFound,
        Connection,         // cannot reach or log in to a server
        Authentication,
        Query,              // server answered with an error
        Timeout,
        Cancelled,
        Io,                 // read/write/fsync/rename failed
        DiskFull,
        Corrupt,            // checksum mismatch, truncated or malformed file
        Conflict,           // e.g. different content under an existing WAL name
        WrongCluster,       // system identifier mismatch
        Unsupported,        // format/version we do not know
        Keychain,
        Busy,               // lock held by someone else
        Internal,
        Permission,         // the OS refused access (EACCES/EPERM), or this user may not write the repository
    };

    Code code = Code::None;
    QString message;
    QString detail;

    Error() = default;
    Error(Code c, QString msg, QString det = {})
        : code(c), message(std::move(msg)), detail(std::move(det)) {}

    bool isError() const { return code != Code::None; }
    // "message (detail)" for logs and the CLI.
    QString toString() const;
    static QString codeName(Code c);
};

} // namespace pga

Q_DECLARE_METATYPE(pga::Error)
