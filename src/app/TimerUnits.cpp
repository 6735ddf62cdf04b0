#include "TimerUnits.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace pga::app {

namespace {

// systemd's ExecStart= quoting: a path with spaces in double quotes, backslash and quote escaped.
QString execQuote(const QString &s)
{
    if (!s.contains(QLatin1Char(' ')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\\')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

TimerUnits TimerUnits::make(const QString &cliPath, bool forUser, const QString &osUser, const QString &home)
{
    TimerUnits u;
    u.directory = forUser ? home + QStringLiteral("/.config/systemd/user") : QStringLiteral("/etc/systemd/system");
    u.service = QStringLiteral(
                    "[Unit]\n"
                    "Description=pgArchivist: run the scheduled backups, verifies, expiries and drills that are due\n"
                    "After=network-online.target\n"
                    "\n"
                    "[Service]\n"
                    "Type=oneshot\n"
                    "%1"
                    "ExecStart=%2 schedule run-due\n"
                    "# Backups read and write a lot: let interactive work go first.\n"
                    "Nice=10\n"
                    "IOSchedulingClass=best-effort\n"
                    "IOSchedulingPriority=7\n")
                    .arg(forUser ? QString() : QStringLiteral("User=%1\nEnvironment=HOME=%2\n").arg(osUser, home), execQuote(cliPath));
    u.timer = QStringLiteral(
        "[Unit]\n"
        "Description=pgArchivist: look for due scheduled tasks every minute\n"
        "\n"
        "[Timer]\n"
        "# Each task keeps its own calendar (pgarchivist-cli schedule list); run-due runs what is due, once.\n"
        "OnCalendar=*-*-* *:*:00\n"
        "AccuracySec=1s\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n");
    return u;
}

Status TimerUnits::install() const
{
    if (!QDir().mkpath(directory))
        return Error(Error::Code::Io, QStringLiteral("Cannot create %1.").arg(directory));
    for (const auto &[suffix, text] : {std::pair{QStringLiteral(".service"), service}, std::pair{QStringLiteral(".timer"), timer}}) {
        QSaveFile f(directory + QLatin1Char('/') + QLatin1String(kName) + suffix);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0 || !f.commit())
            return Error(f.error() == QFileDevice::PermissionsError ? Error::Code::Permission : Error::Code::Io,
                         QStringLiteral("Cannot write %1.").arg(f.fileName()), f.errorString());
    }
    return {};
}

QString TimerUnits::enableCommand(bool forUser) const
{
    return forUser ? QStringLiteral("systemctl --user daemon-reload && systemctl --user enable --now %1.timer").arg(QLatin1String(kName))
                   : QStringLiteral("systemctl daemon-reload && systemctl enable --now %1.timer").arg(QLatin1String(kName));
}

QString findCliProgram()
{
    const QString here = QCoreApplication::applicationDirPath();
    for (const QString &candidate : QStringList{here + QStringLiteral("/pgarchivist-cli"), here + QStringLiteral("/../../bin/pgarchivist-cli"),
                                     here + QStringLiteral("/../cli/pgarchivist-cli"),
                                     QStringLiteral("/usr/bin/pgarchivist-cli")})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("pgarchivist-cli"));
    return onPath.isEmpty() ? QStringLiteral("/usr/bin/pgarchivist-cli") : onPath;
}

} // namespace pga::app
