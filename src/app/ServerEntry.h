#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace pga::app {

// One server the DBA registered. The password is not here: it lives in the keychain under secretKey.
struct ServerEntry {
    qint64 id = 0;             // registry row id; 0 until saved
    QString name;              // unique, shown in the tree
    QString group;             // tree folder; empty means top level
    QString conninfo;          // libpq conninfo or URI; "service=NAME" for a pg_service.conf entry
    QString repoDir;           // pgArchivist repository this server archives into (may be empty)
    QString repoServer;        // the server's name inside that repository
    bool sandbox = false;      // created by pgArchivist for trying it out
    QString secretKey;         // keychain key for the password; stable across renames
    QDateTime createdAt;

    bool operator==(const ServerEntry &) const = default;
};

} // namespace pga::app

Q_DECLARE_METATYPE(pga::app::ServerEntry)
