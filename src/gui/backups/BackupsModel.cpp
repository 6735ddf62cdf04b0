#include "BackupsModel.h"

#include "Icons.h"

#include <QLocale>

namespace pga::gui {

namespace {
QString size(qint64 b) { return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }
QString local(const QDateTime &utc) { return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")); }
} // namespace

void BackupsModel::setBackups(QList<engine::BackupListing> backups)
{
    beginResetModel();
    m_backups = std::move(backups);
    endResetModel();
}

int BackupsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_backups.size()); }
int BackupsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BackupsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const engine::BackupListing &b = m_backups[index.row()];
    const bool ok = b.status == QLatin1String("ok");
    switch (role) {
    case BackupIdRole: return b.id;
    case KindRole: return b.kind;
    case SortRole:
        switch (index.column()) {
        case StartColumn: return b.startTimeUtc;
        case DurationColumn: return b.startTimeUtc.secsTo(b.stopTimeUtc);
        case TimelineColumn: return b.timeline;
        case LsnColumn: return qulonglong(b.stopLsn.value());
        case SizeColumn: return b.logicalBytes;
        case NewColumn: return b.newBytes;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn: return b.id;
        case KindColumn: return kindText(b.kind);
        case LabelColumn:
            if (b.kind == QLatin1String("dump") && !b.databases.isEmpty())
                return QStringLiteral("%1 — %2").arg(b.label, b.databases.join(QStringLiteral(", ")));
            return b.label;
        case StartColumn: return local(b.startTimeUtc);
        case DurationColumn: {
            const qint64 s = b.startTimeUtc.secsTo(b.stopTimeUtc);
            return s < 120 ? tr("%1 s").arg(s) : tr("%1 min").arg(s / 60);
        }
        case TimelineColumn: return b.kind == QLatin1String("dump") ? QVariant() : QVariant(b.timeline);
        case LsnColumn:
            if (b.kind == QLatin1String("dump"))
                return tr("%1 format%2").arg(b.format, b.globals ? tr(", with roles") : QString());
            if (b.kind == QLatin1String("cold"))
                return tr("checkpoint %1").arg(b.stopLsn.toString());
            return QStringLiteral("%1 – %2").arg(b.startLsn.toString(), b.stopLsn.toString());
        case SizeColumn: return size(b.logicalBytes);
        case NewColumn: return size(b.newBytes);
        case StatusColumn:
            if (ok)
                return tr("usable");
            if (b.status == QLatin1String("wal-missing"))
                return tr("WAL missing");
            return tr("damaged");
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return icon(ok ? QStringLiteral("status-online") : QStringLiteral("status-unreachable"));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && !b.problem.isEmpty())
            return b.problem;
        if (index.column() == StartColumn)
            return tr("Started %1, finished %2").arg(local(b.startTimeUtc), local(b.stopTimeUtc));
        if (index.column() == NewColumn)
            return b.kind == QLatin1String("dump") ? tr("Bytes stored for this dump (zstd-compressed)")
                                                   : tr("Bytes this backup added to the repository; unchanged data is shared with earlier backups.");
        if (index.column() == KindColumn)
            return b.kind == QLatin1String("dump") ? tr("A logical dump (pg_dump): restore it into any server with Restore Dump…")
                   : b.kind == QLatin1String("cold") ? tr("The files of the cluster while it was shut down: restores as it was, nothing to replay")
                                                     : tr("An online base backup: restores to any moment the WAL after it reaches");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == NewColumn || index.column() == TimelineColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

QString BackupsModel::kindText(const QString &kind)
{
    if (kind == QLatin1String("dump"))
        return tr("dump");
    if (kind == QLatin1String("cold"))
        return tr("cold");
    return tr("base");
}

QVariant BackupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Backup");
    case KindColumn: return tr("Kind");
    case LabelColumn: return tr("Label");
    case StartColumn: return tr("Started");
    case DurationColumn: return tr("Duration");
    case TimelineColumn: return tr("Timeline");
    case LsnColumn: return tr("WAL range");
    case SizeColumn: return tr("Size");
    case NewColumn: return tr("Stored");
    case StatusColumn: return tr("Status");
    }
    return {};
}

} // namespace pga::gui
