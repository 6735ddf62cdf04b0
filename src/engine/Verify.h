#pragma once

#include "core/CancelToken.h"
#include "core/ProgressSink.h"
#include "core/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pga::engine {

struct VerifyOptions {
    QString repoDir;
    QString server;
    QString backupId;     // empty: every backup
    int jobs = 2;
};

struct BackupCheck {
    QString id;
    QString kind = QStringLiteral("base");   // base | cold | dump (what was checked: chunks and WAL, chunks, files)
    qint64 chunks = 0;   // chunk reads (a chunk used twice is read once, as a rule)
    QStringList problems;   // one line each: what is wrong and which file it affects
    bool ok() const { return problems.isEmpty(); }
};

// Reads back every chunk of the backup(s) and checks it against its name, checks the server's manifest,
// and that the WAL from each backup's start to its end is archived and intact.
class Verify {
public:
    explicit Verify(VerifyOptions o) : m_o(std::move(o)) {}
    Result<QList<BackupCheck>> run(ProgressSink &progress, const CancelToken &cancel);

private:
    VerifyOptions m_o;
};

} // namespace pga::engine
