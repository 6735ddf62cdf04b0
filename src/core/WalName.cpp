#include "WalName.h"

#include <QRegularExpression>

namespace pga {

std::optional<WalName> WalName::parse(const QString &name)
{
    static const QRegularExpression re(QStringLiteral(
        "^([0-9A-F]{8})(?:\\.history|([0-9A-F]{8})([0-9A-F]{8})(\\.partial|\\.[0-9A-F]{8}\\.backup)?)$"));
    const auto m = re.match(name);
    if (!m.hasMatch())
        return std::nullopt;
    WalName w;
    w.name = name;
    w.timeline = m.captured(1).toUInt(nullptr, 16);
    if (w.timeline == 0)
        return std::nullopt;
    if (m.captured(2).isEmpty()) {
        w.kind = Kind::History;
        if (w.timeline < 2)  // timeline 1 never has a history file
            return std::nullopt;
        return w;
    }
    w.logId = m.captured(2).toUInt(nullptr, 16);
    w.segId = m.captured(3).toUInt(nullptr, 16);
    const QString suffix = m.captured(4);
    w.kind = suffix.isEmpty() ? Kind::Segment : suffix == QLatin1String(".partial") ? Kind::Partial : Kind::Backup;
    return w;
}

QString WalName::segmentName(quint32 timeline, quint64 segNo, quint64 segmentSize)
{
    const quint64 per = segmentsPerXLogId(segmentSize);
    return QStringLiteral("%1%2%3")
        .arg(timeline, 8, 16, QLatin1Char('0'))
        .arg(quint32(segNo / per), 8, 16, QLatin1Char('0'))
        .arg(quint32(segNo % per), 8, 16, QLatin1Char('0'))
        .toUpper();
}

QString WalName::historyName(quint32 timeline)
{
    return QStringLiteral("%1.history").arg(QStringLiteral("%1").arg(timeline, 8, 16, QLatin1Char('0')).toUpper());
}

} // namespace pga
