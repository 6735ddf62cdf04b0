#include "ClientRun.h"

#include "repo/DurableFile.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryFile>

#include <sys/stat.h>
#include <unistd.h>

namespace pga::engine {

Result<std::unique_ptr<PassFile>> PassFile::create(const QString &password)
{
    std::unique_ptr<PassFile> p(new PassFile);
    if (password.isEmpty())
        return p;
    QTemporaryFile f(QDir::tempPath() + QStringLiteral("/pgarchivist-pass-XXXXXX"));
    f.setAutoRemove(false);
    if (!f.open())
        return Error(Error::Code::Io, QStringLiteral("Could not create a password file in %1: %2").arg(QDir::tempPath(), f.errorString()));
    ::fchmod(f.handle(), 0600);
    QString escaped = password;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char(':'), QStringLiteral("\\:"));
    f.write(QStringLiteral("*:*:*:*:%1\n").arg(escaped).toUtf8());
    f.close();
    p->m_path = f.fileName();
    return p;
}

PassFile::~PassFile()
{
    if (!m_path.isEmpty())
        QFile::remove(m_path);
}

QStringList PassFile::env() const
{
    if (m_path.isEmpty())
        return {};
    return {QStringLiteral("PGPASSFILE=") + m_path};
}

QString shellJoin(const QString &program, const QStringList &args)
{
    auto quote = [](const QString &a) -> QString {
        static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
        if (plain.match(a).hasMatch())
            return a;
        QString q = a;
        q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
        return QLatin1Char('\'') + q + QLatin1Char('\'');
    };
    QStringList out{quote(program)};
    for (const QString &a : args)
        out << quote(a);
    return out.join(QLatin1Char(' '));
}

ClientLineKind classifyClientLine(const QString &line)
{
    if (line.contains(QLatin1String(": error: ")) || line.contains(QLatin1String(": ERROR:")) || line.contains(QLatin1String("FATAL:")))
        return ClientLineKind::Error;
    if (line.contains(QLatin1String(": warning: ")) || line.contains(QLatin1String(": WARNING:")))
        return ClientLineKind::Warning;
    if (line.startsWith(QLatin1String("pg_dump: ")) || line.startsWith(QLatin1String("pg_restore: "))
        || line.startsWith(QLatin1String("pg_dumpall: ")))
        return ClientLineKind::Progress;
    return ClientLineKind::Other;
}

} // namespace pga::engine
