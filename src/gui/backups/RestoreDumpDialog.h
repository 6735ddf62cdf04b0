#pragma once

#include "app/JobRunner.h"
#include "app/ServerEntry.h"
#include "engine/RestoreDump.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTreeView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class TocTreeModel;

// "Restore Dump…": the dump's table of contents as a tree with checkboxes (schema → tables, functions, …), where it
// goes (a new database, the connection's database, or recreated under its own name), clean/create and data/schema
// only, a preview of the command, then one job with progress and Cancel; the warnings are listed at the end.
class RestoreDumpDialog : public QDialog {
    Q_OBJECT
public:
    RestoreDumpDialog(app::AppContext &app, const app::ServerEntry &server, const QString &dumpId, QWidget *parent = nullptr);

    TocTreeModel *toc() const { return m_toc; }
    QTreeView *tree() const { return m_tree; }
    engine::RestoreDumpOptions options() const;
    QString commandLine() const;
    QString statusText() const;
    QStringList warnings() const;
    QLineEdit *newDatabaseEdit() const { return m_newDb; }
    QLineEdit *conninfoEdit() const { return m_conninfo; }

signals:
    void tocShown();
    void restoreFinished(bool ok);

private:
    void loadToc();
    void updatePreview();
    void start();
    void jobChanged(int id);

    app::AppContext &m_app;
    app::ServerEntry m_server;
    QString m_dumpId;
    repo::DumpManifest m_manifest;
    TocTreeModel *m_toc;
    QTreeView *m_tree;
    QComboBox *m_database;
    QLineEdit *m_conninfo;
    QRadioButton *m_intoNew, *m_intoConn, *m_create;
    QLineEdit *m_newDb;
    QCheckBox *m_clean;
    QRadioButton *m_everything, *m_dataOnly, *m_schemaOnly;
    QSpinBox *m_jobs;
    QLineEdit *m_command;
    QLabel *m_status;
    QProgressBar *m_progress;
    QListWidget *m_warnings;
    QDialogButtonBox *m_buttons;
    QPushButton *m_restore;
    QPushButton *m_cancel;
    quint64 m_tocRequest = 0;
    bool m_waitingForJob = false;
    int m_jobId = 0;
    bool m_plain = false;
};

} // namespace pga::gui
