#pragma once

// Internal to Undo: the live server's side (connections, name checks) and the copy out of the scratch instance.
#include "Undo.h"
#include "pg/Connection.h"

#include <memory>

namespace pga::engine::detail {

using ConnPtr = std::unique_ptr<pg::Connection>;

QString ident(const QString &s);
QString qualified(const QString &schema, const QString &name);
QString literal(const QString &s);

Result<ConnPtr> connectLive(const UndoOptions &o, const QString &db, const CancelToken &cancel);
// The live side of the plan: every target name must be free (Conflict names the first that is not); fills createSchema.
Status checkLive(const UndoOptions &o, QList<UndoItem> &items, const CancelToken &cancel);

struct Scratch {
    QString dataDir;
    int port = 0;
    QString user;
    int versionNum = 0;
    QString conninfo(const QString &db) const
    {
        return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4").arg(pg::conninfoQuote(dataDir)).arg(port).arg(pg::conninfoQuote(user), pg::conninfoQuote(db));
    }
};

// Copies one item from the scratch copy into the live server and fingerprints both sides.
class Copier {
public:
    Copier(const UndoOptions &o, const Scratch &s, const QString &workDir, const CancelToken &cancel, ProgressSink &progress)
        : m_o(o), m_s(s), m_work(workDir), m_cancel(cancel), m_progress(progress) {}

    Status copy(UndoItem &it, int index);

private:
    Status prepareInScratch(pg::Connection &scratch, UndoItem &it);
    Status dumpAndRestore(UndoItem &it, const QString &scratchDb, const QStringList &dumpArgs, int index);

    const UndoOptions &m_o;
    const Scratch &m_s;
    QString m_work;
    const CancelToken &m_cancel;
    ProgressSink &m_progress;
    int m_liveVersion = 0;
    bool m_liveSuper = false;
};

} // namespace pga::engine::detail
