#pragma once

#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace pga::app {
class JobRunner;
}

namespace pga::gui {

class JobsModel;

// The jobs of this session with progress bars, Cancel, and the selected job's log.
class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(app::JobRunner *runner, QWidget *parent = nullptr);

    JobsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    void selectJob(int id);

private:
    int selectedJob() const;
    void updateButtons();
    void showLog();

    app::JobRunner *m_runner;
    JobsModel *m_model;
    QTreeView *m_view;
    QPlainTextEdit *m_log;
    QPushButton *m_cancel;
    QPushButton *m_clear;
};

} // namespace pga::gui
