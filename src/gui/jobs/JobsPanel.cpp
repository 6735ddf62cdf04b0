#include "JobsPanel.h"

#include "Icons.h"
#include "JobsModel.h"
#include "app/JobRunner.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace pga::gui {

namespace {

// Paints a progress bar in the Progress column; a busy bar when the total is not known yet.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() != JobsModel::ProgressColumn) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        const int percent = index.data(JobsModel::ProgressRole).toInt();
        const bool finished = index.data(JobsModel::FinishedRole).toBool();
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = percent < 0 && !finished ? 0 : 100;
        bar.progress = percent < 0 ? 0 : percent;
        bar.text = index.data().toString();
        bar.textVisible = percent >= 0;
        bar.state = option.state | QStyle::State_Horizontal;
        const QWidget *w = option.widget;
        (w ? w->style() : QApplication::style())->drawControl(QStyle::CE_ProgressBar, &bar, painter, w);
    }
};

} // namespace

JobsPanel::JobsPanel(app::JobRunner *runner, QWidget *parent)
    : QWidget(parent), m_runner(runner), m_model(new JobsModel(runner, this)), m_view(new QTreeView(this)),
      m_log(new QPlainTextEdit(this)), m_cancel(new QPushButton(icon(QStringLiteral("cancel")), tr("&Cancel Job"), this)),
      m_clear(new QPushButton(tr("C&lear Finished"), this))
{
    setObjectName(QStringLiteral("jobsPanel"));
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setItemDelegate(new ProgressDelegate(m_view));
    m_view->header()->setSectionResizeMode(JobsModel::TitleColumn, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Jobs"));
    m_log->setReadOnly(true);
    m_log->setObjectName(QStringLiteral("jobLog"));
    m_log->setPlaceholderText(tr("Select a job to see its log."));
    m_log->setMaximumBlockCount(20000);
    m_cancel->setToolTip(tr("Stop the selected job. Work already made durable is kept; nothing half-written becomes visible."));
    m_clear->setToolTip(tr("Remove finished jobs from this list (they stay in the history)."));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_clear);
    buttons->addStretch();
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
    layout->addLayout(buttons);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (int id = selectedJob())
            m_runner->cancel(id);
    });
    connect(m_clear, &QPushButton::clicked, m_runner, &app::JobRunner::clearFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        showLog();
    });
    connect(m_runner, &app::JobRunner::jobChanged, this, [this](int id) {
        if (id == selectedJob()) {
            updateButtons();
            showLog();
        }
    });
    connect(m_runner, &app::JobRunner::jobAdded, this, [this](int id) {
        if (!selectedJob())
            selectJob(id);
    });
    updateButtons();
}

int JobsPanel::selectedJob() const { return m_model->jobId(m_view->currentIndex()); }

void JobsPanel::selectJob(int id)
{
    m_view->setCurrentIndex(m_model->indexOfJob(id));
}

void JobsPanel::updateButtons()
{
    const int id = selectedJob();
    m_cancel->setEnabled(id && !m_runner->job(id).isFinished());
}

void JobsPanel::showLog()
{
    const int id = selectedJob();
    const QString text = id ? m_runner->job(id).log.join(QLatin1Char('\n')) : QString();
    if (m_log->toPlainText() != text) {
        m_log->setPlainText(text);
        m_log->moveCursor(QTextCursor::End);
    }
}

} // namespace pga::gui
