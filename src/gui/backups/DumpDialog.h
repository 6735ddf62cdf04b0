#pragma once

#include "app/ServerEntry.h"
#include "engine/Dump.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class DatabaseListModel;

// "Dump…": the server's databases as a checklist with their sizes (all user databases and the roles by default),
// format, jobs, schema and table filters, and the equivalent command line. Dump starts the job (progress and
// Cancel in the Jobs panel) and closes the dialog.
class DumpDialog : public QDialog {
    Q_OBJECT
public:
    DumpDialog(app::AppContext &app, const app::ServerEntry &server, QWidget *parent = nullptr);

    DatabaseListModel *databases() const { return m_dbs; }
    engine::DumpOptions options() const;
    QString commandLine() const;
    QString statusText() const;
    bool databasesLoaded() const { return m_loaded; }

signals:
    void databasesShown();
    // The dump job ended (the dialog may be gone by then: the view listens too).
    void dumpStarted();

private:
    void updatePreview();
    void start();

    app::AppContext &m_app;
    app::ServerEntry m_server;
    DatabaseListModel *m_dbs;
    QTableView *m_table;
    QComboBox *m_format;
    QSpinBox *m_jobs;
    QCheckBox *m_globals;
    QLineEdit *m_schemas, *m_tables, *m_exclude, *m_label;
    QLineEdit *m_command;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    bool m_loaded = false;
};

} // namespace pga::gui
