#pragma once

#include "app/AuditService.h"
#include "core/Audit.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

// The Configuration view's models: findings (with a sort/filter proxy), the archive-related settings
// of the latest audit, and the setting changes between stored audits.
namespace pga::gui {

QString severityText(audit::Severity s);
QIcon severityIcon(audit::Severity s);
QString needsText(audit::Needs n);
// A time as the user reads it: local, with its zone ("2026-11-25 16:05:01 CET").
QString localTimeText(const QDateTime &t);

class FindingsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeverityColumn, IdColumn, TitleColumn, CurrentColumn, RecommendedColumn, NeedsColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, FindingIdRole, SearchTextRole };

    explicit FindingsModel(QObject *parent = nullptr) : QAbstractTableModel(parent) { }

    void setFindings(const QList<audit::Finding> &findings);
    const QList<audit::Finding> &findings() const { return m_findings; }
    const audit::Finding *finding(int row) const;
    int rowOf(const QString &id, const QString &setting = {}) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<audit::Finding> m_findings;
};

// Findings at or above a severity whose text contains a string; sorts severity by rank, not by name.
class FindingsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit FindingsFilterModel(QObject *parent = nullptr);

    void setMinimumSeverity(audit::Severity s);
    audit::Severity minimumSeverity() const { return m_minimum; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    audit::Severity m_minimum = audit::Severity::Info;
    QString m_search;
};

// archiveRelatedSettings() of one snapshot: name, value, where it is set, what a change takes.
class SettingsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, SourceColumn, ContextColumn, PendingColumn, ColumnCount };

    explicit SettingsModel(QObject *parent = nullptr) : QAbstractTableModel(parent) { }

    void setSnapshot(const audit::AuditSnapshot &snapshot);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name;
        bool visible = false;
        audit::Setting setting;
    };
    QList<Row> m_rows;
    bool m_sourcesVisible = true;
};

// Archive-setting changes between consecutive audits, newest first; those the latest audit noticed in bold.
class ChangesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SettingColumn, BeforeColumn, AfterColumn, NoticedColumn, SetInColumn, ColumnCount };

    explicit ChangesModel(QObject *parent = nullptr) : QAbstractTableModel(parent) { }

    void setChanges(const QList<app::AuditChange> &changes);
    const QList<app::AuditChange> &changes() const { return m_changes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<app::AuditChange> m_changes;
};

} // namespace pga::gui
