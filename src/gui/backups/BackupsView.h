#pragma once

#include <QWidget>

class QComboBox;
class QSortFilterProxyModel;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QToolButton;

namespace pga::app {
class AppContext;
struct ServerEntry;
}

namespace pga::gui {

class BackupsModel;
class ColdBackupDialog;
class DumpDialog;
class RestoreDumpDialog;
class RestoreWizard;
class SchedulesDialog;

// The server's Backups view: the catalog, "Back Up Now" (a job with progress and cancel), verify,
// expire with a preview first, and the equivalent command line for scripting each action.
class BackupsView : public QWidget {
    Q_OBJECT
public:
    explicit BackupsView(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(qint64 id);
    void refresh();
    void backUpNow();
    void verify();
    void drill();
    void expire();
    // Opens the restore wizard (for the selected backup when one is); it deletes itself when closed.
    RestoreWizard *openRestoreWizard();
    SchedulesDialog *openSchedules();
    // Dump…, Restore Dump… (of the selected dump) and Cold Backup… (local clusters only); each deletes itself when closed.
    DumpDialog *openDump();
    RestoreDumpDialog *openRestoreDump();
    ColdBackupDialog *openColdBackup();
    // "", "base", "cold" or "dump": which kinds the table shows.
    void setKindFilter(const QString &kind);

    BackupsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QComboBox *kindFilter() const { return m_kind; }
    QString commandLine() const;
    QString statusText() const;
    void setRetention(int retainFull, int retainDays);

signals:
    void catalogShown();
    void actionFinished(const QString &kind, bool ok);

private:
    void showCommand(const QString &command);
    void setStatus(const QString &text);
    QString selectedBackup() const;
    QString selectedKind() const;
    void updateActions();
    bool currentEntry(app::ServerEntry *out);

    app::AppContext &m_app;
    qint64 m_serverId = 0;
    quint64 m_request = 0;
    BackupsModel *m_model;
    QTableView *m_table;
    QLineEdit *m_command;
    QLabel *m_status;
    QSpinBox *m_retainFull;
    QSpinBox *m_retainDays;
    QToolButton *m_backup;
    QToolButton *m_verify;
    QToolButton *m_expire;
    QToolButton *m_restore = nullptr;
    QToolButton *m_schedules = nullptr;
    QToolButton *m_dump = nullptr;
    QToolButton *m_restoreDump = nullptr;
    QToolButton *m_cold = nullptr;
    QComboBox *m_kind = nullptr;
    bool m_haveRepository = false;
    QSortFilterProxyModel *m_proxy = nullptr;
};

} // namespace pga::gui
