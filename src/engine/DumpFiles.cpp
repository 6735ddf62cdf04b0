#include "DumpFiles.h"

#include "RestoreDump.h"

namespace pga::engine {

Status decompressTo(const QString &from, const repo::DumpFile &f, const QString &to, const CancelToken &cancel)
{
    StoredReader r(from, f);
    if (Status s = r.open(); !s)
        return s;
    QFile out(to);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error(Error::Code::Io, QStringLiteral("Could not write %1: %2").arg(to, out.errorString()));
    for (;;) {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        auto piece = r.next();
        if (!piece)
            return piece.error();
        if (piece->isEmpty())
            return {};
        if (out.write(*piece) != piece->size())
            return Error(out.error() == QFileDevice::ResourceError ? Error::Code::DiskFull : Error::Code::Io,
                         QStringLiteral("Could not write %1: %2").arg(to, out.errorString()));
    }
}

Result<QStringList> checkDumpFiles(const repo::DumpCatalog &catalog, const repo::DumpManifest &m, const QList<repo::DumpFile> &files,
                                   const CancelToken &cancel, bool decompress)
{
    QStringList problems;
    for (const repo::DumpFile &f : files) {
        if (cancel.isCancelled())
            return Error(Error::Code::Cancelled, QStringLiteral("Cancelled."));
        StoredReader r(catalog.filePath(m.id, f.path), f, decompress);
        Status s = r.open();
        while (s) {
            auto piece = r.next();
            if (!piece)
                s = piece.error();
            else if (piece->isEmpty())
                break;
        }
        if (!s)
            problems << QStringLiteral("%1: %2").arg(f.path, s.error().message);
    }
    return problems;
}

} // namespace pga::engine
