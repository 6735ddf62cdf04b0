#include "Audit.h"

#include <QRegularExpression>

namespace pga::audit {

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

bool parseSeverity(const QString &text, Severity *out)
{
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical}) {
        if (text == severityName(s)) {
            *out = s;
            return true;
        }
    }
    return false;
}

QString needsName(Needs n)
{
    switch (n) {
    case Needs::None:
        return QStringLiteral("none");
    case Needs::Reload:
        return QStringLiteral("reload");
    case Needs::Restart:
        return QStringLiteral("restart");
    }
    return {};
}

bool parseNeeds(const QString &text, Needs *out)
{
    for (Needs n : {Needs::None, Needs::Reload, Needs::Restart}) {
        if (text == needsName(n)) {
            *out = n;
            return true;
        }
    }
    return false;
}

bool fixNeedsInput(const Finding &f)
{
    static const QRegularExpression placeholder(QStringLiteral("<[a-z_]+>"));
    return placeholder.match(f.fixSql).hasMatch();
}

bool worstSeverity(const QList<Finding> &findings, Severity *out)
{
    if (findings.isEmpty())
        return false;
    Severity worst = Severity::Info;
    for (const Finding &f : findings)
        if (int(f.severity) > int(worst))
            worst = f.severity;
    *out = worst;
    return true;
}

} // namespace pga::audit
