#pragma once

#include "app/ServerEntry.h"
#include "core/BlunderFinder.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableView;

namespace pga::app {
class AppContext;
}
namespace pga::engine {
struct UndoOptions;
}

namespace pga::gui {

class UndoPlanModel;

// Undo a blunder: where the copies go (the table's schema or another; a dropped table's new name), where the scratch
// copy goes, Check (what will be created, every name checked on the live server), then Undo: the progress of restore
// → replay → copy, and the rows compared (count and md5 of the copy against the scratch instance).
class UndoDialog : public QDialog {
    Q_OBJECT
public:
    UndoDialog(app::AppContext &app, const app::ServerEntry &server, const BlunderEvent &event, QWidget *parent = nullptr);

    QRadioButton *ownSchemaButton() const { return m_ownSchema; }
    QRadioButton *otherSchemaButton() const { return m_otherSchema; }
    QLineEdit *schemaEdit() const { return m_schema; }
    QLineEdit *asEdit() const { return m_as; }
    QLineEdit *scratchEdit() const { return m_scratch; }
    QCheckBox *keepScratchBox() const { return m_keep; }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *undoButton() const { return m_undo; }
    UndoPlanModel *planModel() const { return m_plan; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *commandEdit() const { return m_command; }
    bool finished() const { return m_finished; }
    bool succeeded() const { return m_succeeded; }

signals:
    void undone();                 // the data was copied back
    void runFinished(bool ok);     // a check or an undo ended, either way

private:
    engine::UndoOptions options(bool dryRun) const;
    void optionsChanged();
    void run(bool dryRun);
    void jobChanged(int id);

    app::AppContext &m_app;
    app::ServerEntry m_server;
    BlunderEvent m_event;
    QRadioButton *m_ownSchema, *m_otherSchema;
    QLineEdit *m_schema, *m_as, *m_scratch, *m_command;
    QCheckBox *m_keep;
    QTableView *m_table;
    UndoPlanModel *m_plan;
    QLabel *m_status, *m_phase;
    QProgressBar *m_progress;
    QPushButton *m_check, *m_undo, *m_close;
    int m_jobId = 0;
    bool m_waitingForJob = false, m_running = false, m_finished = false, m_succeeded = false;
};

} // namespace pga::gui
