#pragma once

#include "app/ServerEntry.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QTextBrowser;
class QTimer;

namespace pga {
struct BlunderEvent;
}
namespace pga::app {
class AppContext;
}

namespace pga::gui {

class BlunderFilterProxy;
class BlundersModel;
class UndoDialog;

// A server's blunders (DROP TABLE, TRUNCATE, DROP DATABASE, mass DELETE/UPDATE) found in its archived WAL: a table of
// events with a filter (kind, time range, rows), the details of one (the transaction's other changes), and from there
// "Restore to just before…" (the restore wizard at that transaction, exclusive) and "Undo…".
class BlundersView : public QWidget {
    Q_OBJECT
public:
    explicit BlundersView(app::AppContext &app, QWidget *parent = nullptr);
    void setServer(const app::ServerEntry &e);  // and scans
    void scan();

    BlundersModel *model() const { return m_model; }
    BlunderFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QComboBox *kindBox() const { return m_kind; }
    QSpinBox *minRowsBox() const { return m_minRows; }
    QCheckBox *rangeBox() const { return m_range; }
    QDateTimeEdit *sinceEdit() const { return m_since; }
    QDateTimeEdit *untilEdit() const { return m_until; }
    QPushButton *scanButton() const { return m_scan; }
    QPushButton *restoreButton() const { return m_restore; }
    QPushButton *undoButton() const { return m_undo; }
    QTextBrowser *details() const { return m_details; }
    QLabel *statusLabel() const { return m_status; }
    UndoDialog *openUndo();  // for the selected event

signals:
    void scanned();

private:
    void filterChanged();
    void selectionChanged();
    const BlunderEvent *selected() const;

    app::AppContext &m_app;
    app::ServerEntry m_server;
    BlundersModel *m_model;
    BlunderFilterProxy *m_proxy;
    QTableView *m_table;
    QComboBox *m_kind;
    QSpinBox *m_minRows;
    QCheckBox *m_range;
    QDateTimeEdit *m_since, *m_until;
    QPushButton *m_scan, *m_restore, *m_undo;
    QTextBrowser *m_details;
    QLabel *m_status;
    QTimer *m_rescan;
    qint64 m_scannedMinRows = 0;
    bool m_scanning = false;
};

} // namespace pga::gui
