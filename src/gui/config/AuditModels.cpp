#include "AuditModels.h"

#include "Icons.h"
#include "core/AuditRules.h"

#include <QFont>

namespace pga::gui {

using audit::Finding;
using audit::Needs;
using audit::Severity;

QString severityText(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return FindingsModel::tr("critical");
    case Severity::Warning:
        return FindingsModel::tr("warning");
    case Severity::Info:
        break;
    }
    return FindingsModel::tr("info");
}

QIcon severityIcon(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return icon(QStringLiteral("severity-critical"));
    case Severity::Warning:
        return icon(QStringLiteral("severity-warning"));
    case Severity::Info:
        break;
    }
    return icon(QStringLiteral("severity-info"));
}

QString needsText(Needs n)
{
    switch (n) {
    case Needs::Reload:
        return FindingsModel::tr("reload");
    case Needs::Restart:
        return FindingsModel::tr("restart");
    case Needs::None:
        break;
    }
    return FindingsModel::tr("nothing more");
}

QString localTimeText(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")) : QString();
}

// --- FindingsModel

void FindingsModel::setFindings(const QList<Finding> &findings)
{
    beginResetModel();
    m_findings = findings;
    endResetModel();
}

const Finding *FindingsModel::finding(int row) const
{
    return row >= 0 && row < m_findings.size() ? &m_findings[row] : nullptr;
}

int FindingsModel::rowOf(const QString &id, const QString &setting) const
{
    for (int r = 0; r < m_findings.size(); ++r)
        if (m_findings[r].id == id && (setting.isEmpty() || m_findings[r].setting == setting))
            return r;
    return -1;
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    const Finding *f = index.isValid() ? finding(index.row()) : nullptr;
    if (!f)
        return {};
    switch (role) {
    case SeverityRole:
        return int(f->severity);
    case FindingIdRole:
        return f->id;
    case SearchTextRole:
        return QStringList {f->id, f->title, f->current, f->recommended, f->setting, f->fixSql}.join(QLatin1Char('\n'));
    case Qt::DecorationRole:
        return index.column() == SeverityColumn ? severityIcon(f->severity) : QVariant();
    case Qt::ToolTipRole:
        return f->detail;
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityText(f->severity);
        case IdColumn:
            return f->id;
        case TitleColumn:
            return f->title;
        case CurrentColumn:
            return f->current;
        case RecommendedColumn:
            return f->recommended;
        case NeedsColumn:
            return f->fixSql.isEmpty() ? tr("no SQL fix") : needsText(f->needs);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case IdColumn:
        return tr("Finding");
    case TitleColumn:
        return tr("Title");
    case CurrentColumn:
        return tr("Current");
    case RecommendedColumn:
        return tr("Recommended");
    case NeedsColumn:
        return tr("Fix takes");
    default:
        return {};
    }
}

// --- FindingsFilterModel

FindingsFilterModel::FindingsFilterModel(QObject *parent) : QSortFilterProxyModel(parent) { }

void FindingsFilterModel::setMinimumSeverity(Severity s)
{
    m_minimum = s;
    invalidateFilter();
}

void FindingsFilterModel::setSearchText(const QString &text)
{
    m_search = text.trimmed();
    invalidateFilter();
}

bool FindingsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (i.data(FindingsModel::SeverityRole).toInt() < int(m_minimum))
        return false;
    return m_search.isEmpty()
        || i.data(FindingsModel::SearchTextRole).toString().contains(m_search, Qt::CaseInsensitive);
}

bool FindingsFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == FindingsModel::SeverityColumn && right.column() == FindingsModel::SeverityColumn) {
        const int l = left.data(FindingsModel::SeverityRole).toInt();
        const int r = right.data(FindingsModel::SeverityRole).toInt();
        if (l != r)
            return l < r;
        // Within a severity keep the rules' order, whichever way the column is sorted.
        return sortOrder() == Qt::AscendingOrder ? left.row() < right.row() : left.row() > right.row();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

// --- SettingsModel

void SettingsModel::setSnapshot(const audit::AuditSnapshot &snapshot)
{
    beginResetModel();
    m_rows.clear();
    m_sourcesVisible = snapshot.settingSourcesVisible;
    const QStringList names = audit::archiveRelatedSettings();
    for (const QString &name : names) {
        auto it = snapshot.settings.constFind(name);
        m_rows.append(
            {name, it != snapshot.settings.constEnd(), it != snapshot.settings.constEnd() ? *it : audit::Setting {}});
    }
    endResetModel();
}

void SettingsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int SettingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SettingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QString contextText(const QString &context)
{
    if (context == QLatin1String("postmaster"))
        return SettingsModel::tr("restart");
    if (context == QLatin1String("sighup"))
        return SettingsModel::tr("reload");
    if (context == QLatin1String("internal"))
        return SettingsModel::tr("fixed at initdb");
    return context;
}

QVariant SettingsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    const audit::Setting &s = r.setting;
    if (role == Qt::ToolTipRole && !r.visible)
        return tr("This role may not see %1; audit as a superuser or grant pg_read_all_settings.").arg(r.name);
    if (role == Qt::ToolTipRole && index.column() == SourceColumn && r.visible && s.sourceFile.isEmpty()
        && !m_sourcesVisible)
        return tr("Where a setting is set is visible to superusers and pg_read_all_settings only.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return r.name;
    case ValueColumn:
        if (!r.visible)
            return tr("hidden from this role");
        if (s.value.isEmpty())
            return tr("(empty)");
        return s.unit.isEmpty() ? s.value : s.value + QLatin1Char(' ') + s.unit;
    case SourceColumn:
        if (!r.visible)
            return {};
        if (!s.sourceFile.isEmpty())
            return QStringLiteral("%1:%2").arg(s.sourceFile).arg(s.sourceLine);
        return m_sourcesVisible ? s.source : tr("%1 (file hidden from this role)").arg(s.source);
    case ContextColumn:
        return r.visible ? contextText(s.context) : QString();
    case PendingColumn:
        return r.visible && s.pendingRestart ? tr("waits for restart") : QString();
    default:
        return {};
    }
}

QVariant SettingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Setting");
    case ValueColumn:
        return tr("Value");
    case SourceColumn:
        return tr("Set in");
    case ContextColumn:
        return tr("A change takes");
    case PendingColumn:
        return tr("Pending");
    default:
        return {};
    }
}

// --- ChangesModel

void ChangesModel::setChanges(const QList<app::AuditChange> &changes)
{
    beginResetModel();
    m_changes = changes;
    endResetModel();
}

int ChangesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int ChangesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QString sideText(const QString &value, bool visible)
{
    if (!visible)
        return ChangesModel::tr("hidden");
    return value.isEmpty() ? ChangesModel::tr("(empty)") : value;
}

QVariant ChangesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_changes.size())
        return {};
    const app::AuditChange &c = m_changes[index.row()];
    if (role == Qt::FontRole && c.noticedAt == m_changes.first().noticedAt) {
        QFont bold; // changed since the previous audit: what the DBA looks for first
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole)
        return tr("Changed between the audit of %1 and the audit of %2.")
            .arg(localTimeText(c.previousAuditAt), localTimeText(c.noticedAt));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SettingColumn:
        return c.change.name;
    case BeforeColumn:
        return sideText(c.change.oldValue, c.change.oldVisible);
    case AfterColumn:
        return sideText(c.change.newValue, c.change.newVisible);
    case NoticedColumn:
        return localTimeText(c.noticedAt);
    case SetInColumn:
        if (c.sourceFile.isEmpty())
            return c.source;
        if (c.sourceFile.endsWith(QLatin1String("postgresql.auto.conf")))
            return tr("%1:%2 (ALTER SYSTEM)").arg(c.sourceFile).arg(c.sourceLine);
        return QStringLiteral("%1:%2").arg(c.sourceFile).arg(c.sourceLine);
    default:
        return {};
    }
}

QVariant ChangesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SettingColumn:
        return tr("Setting");
    case BeforeColumn:
        return tr("Before");
    case AfterColumn:
        return tr("After");
    case NoticedColumn:
        return tr("Noticed");
    case SetInColumn:
        return tr("Now set in");
    default:
        return {};
    }
}

} // namespace pga::gui
