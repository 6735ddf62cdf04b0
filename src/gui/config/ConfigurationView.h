#pragma once

#include "core/Audit.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTabWidget;
class QTextBrowser;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class ChangesModel;
class FindingsFilterModel;
class FindingsModel;
class SettingsModel;

// The Configuration tab: the latest audit's findings (filter, sort, details with the fix), Apply fix
// (asks first, runs as a job, audits again, says when a restart is still needed), Copy SQL, the
// archive-related settings with where they are set, and what changed between stored audits.
class ConfigurationView : public QWidget {
    Q_OBJECT
public:
    explicit ConfigurationView(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(qint64 id);
    qint64 server() const { return m_serverId; }

    void runAudit();
    void applyFix();
    void copySql();
    // Selects the finding with this id (and subject, when given); false when it is not shown.
    bool selectFinding(const QString &id, const QString &setting = {});
    const audit::Finding *currentFinding() const;

    FindingsModel *findingsModel() const { return m_findings; }
    FindingsFilterModel *findingsProxy() const { return m_proxy; }
    SettingsModel *settingsModel() const { return m_settings; }
    ChangesModel *changesModel() const { return m_changes; }
    QTableView *findingsView() const { return m_findingsView; }
    QAction *runAuditAction() const { return m_runAction; }
    QAction *applyFixAction() const { return m_applyAction; }
    QAction *copySqlAction() const { return m_copyAction; }
    QString statusText() const;
    QString detailsText() const;
    QString fixResultText() const;

private:
    void createActions();
    void reload();
    void maybeAuditOnFirstSight();
    void updateDetails();
    void updateActions();
    void setStatus(const QString &text);
    void showFixResult(const QString &text, bool problem);

    app::AppContext &m_app;
    qint64 m_serverId = 0;
    FindingsModel *m_findings;
    FindingsFilterModel *m_proxy;
    SettingsModel *m_settings;
    ChangesModel *m_changes;
    QLabel *m_status;
    QLabel *m_fixResult;
    QComboBox *m_severityFilter;
    QLineEdit *m_search;
    QTableView *m_findingsView;
    QTextBrowser *m_details;
    QTabWidget *m_lower;
    QTableView *m_settingsView;
    QTableView *m_changesView;
    QAction *m_runAction = nullptr;
    QAction *m_applyAction = nullptr;
    QAction *m_copyAction = nullptr;
};

} // namespace pga::gui
