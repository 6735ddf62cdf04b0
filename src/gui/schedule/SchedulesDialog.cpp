#include "SchedulesDialog.h"

#include "Confirm.h"
#include "Icons.h"
#include "ScheduleModel.h"
#include "app/AppContext.h"
#include "app/TimerUnits.h"
#include "core/CalendarSpec.h"
#include "core/TimeText.h"

#include <pwd.h>
#include <unistd.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pga::gui {

namespace {

QStringList runLines(const QString &calendar, int count)
{
    auto spec = CalendarSpec::parse(calendar);
    if (!spec)
        return {};
    QStringList out;
    for (const QDateTime &t : spec->nextRuns(QDateTime::currentDateTimeUtc(), count))
        out << SchedulesDialog::tr("%1  (local: %2)").arg(runTimeText(t, spec->zone()), runTimeText(t, QTimeZone::systemTimeZone()));
    return out;
}

} // namespace

TaskEditor::TaskEditor(const app::ScheduledTask &task, QWidget *parent)
    : QDialog(parent), m_task(task), m_kind(new QComboBox), m_calendar(new QLineEdit), m_retainFull(new QSpinBox),
      m_retainDays(new QSpinBox), m_backup(new QLineEdit), m_preview(new QLabel)
{
    setWindowTitle(task.id ? tr("Edit Scheduled Task") : tr("Add Scheduled Task"));
    for (const QString &k : app::ScheduledTask::kinds())
        m_kind->addItem(ScheduleModel::kindText(k), k);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(task.kind)));
    m_kind->setObjectName(QStringLiteral("kind"));
    m_calendar->setObjectName(QStringLiteral("calendar"));
    m_calendar->setText(task.calendar.isEmpty() ? QStringLiteral("*-*-* 01:00 ") + QString::fromUtf8(QTimeZone::systemTimeZoneId()) : task.calendar);
    m_calendar->setPlaceholderText(QStringLiteral("Sun *-*-* 01:00 Europe/Berlin"));
    m_calendar->setToolTip(tr("A systemd calendar expression with its zone (systemd.time(7)), e.g. \"daily Europe/Berlin\", "
                              "\"Mon..Fri *-*-* 02:30 UTC\". The same text works in a systemd timer."));
    m_retainFull->setObjectName(QStringLiteral("retainFull"));
    m_retainFull->setRange(0, 10000);
    m_retainFull->setSpecialValueText(tr("not by count"));
    m_retainFull->setValue(task.retainFull);
    m_retainDays->setObjectName(QStringLiteral("retainDays"));
    m_retainDays->setRange(0, 10000);
    m_retainDays->setSpecialValueText(tr("not by age"));
    m_retainDays->setSuffix(tr(" days"));
    m_retainDays->setValue(task.retainDays);
    m_backup->setObjectName(QStringLiteral("backup"));
    m_backup->setText(task.backupId);
    m_backup->setPlaceholderText(tr("all / the newest"));
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("&Task:"), m_kind);
    form->addRow(tr("&When:"), m_calendar);
    form->addRow(tr("Keep the newest &N backups:"), m_retainFull);
    form->addRow(tr("Keep what the last &D days need:"), m_retainDays);
    form->addRow(tr("Only &backup:"), m_backup);
    form->addRow(tr("Next runs:"), m_preview);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &TaskEditor::update);
    connect(m_calendar, &QLineEdit::textChanged, this, &TaskEditor::update);
    connect(m_retainFull, &QSpinBox::valueChanged, this, &TaskEditor::update);
    connect(m_retainDays, &QSpinBox::valueChanged, this, &TaskEditor::update);
    update();
}

app::ScheduledTask TaskEditor::task() const
{
    app::ScheduledTask t = m_task;
    t.kind = m_kind->currentData().toString();
    t.calendar = m_calendar->text().trimmed();
    const bool expire = t.kind == QLatin1String("expire");
    t.retainFull = expire ? m_retainFull->value() : 0;
    t.retainDays = expire ? m_retainDays->value() : 0;
    t.backupId = expire || t.kind == QLatin1String("backup") ? QString() : m_backup->text().trimmed();
    return t;
}

QString TaskEditor::preview() const { return m_preview->text(); }

void TaskEditor::update()
{
    const app::ScheduledTask t = task();
    const bool expire = t.kind == QLatin1String("expire");
    m_retainFull->setEnabled(expire);
    m_retainDays->setEnabled(expire);
    m_backup->setEnabled(t.kind == QLatin1String("verify") || t.kind == QLatin1String("drill"));
    const Status s = app::ScheduleStore::validate(t);
    m_ok->setEnabled(s.ok());
    m_preview->setText(s ? runLines(t.calendar, 5).join(QLatin1Char('\n')) : s.error().message);
}

SchedulesDialog::SchedulesDialog(app::AppContext &app, const app::ServerEntry &server, QWidget *parent)
    : QDialog(parent), m_app(app), m_server(server), m_model(new ScheduleModel(app.registry(), server.id, this)), m_table(new QTableView),
      m_runs(new QStringListModel(this)), m_runsView(new QListView), m_status(new QLabel)
{
    setWindowTitle(tr("Schedules of %1").arg(server.name));
    setObjectName(QStringLiteral("schedulesDialog"));
    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("schedules"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_runsView->setModel(m_runs);
    m_runsView->setObjectName(QStringLiteral("nextRuns"));
    m_runsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runsView->setMaximumHeight(110);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *add = new QPushButton(icon(QStringLiteral("add")), tr("&Add…"));
    m_edit = new QPushButton(icon(QStringLiteral("edit")), tr("&Edit…"));
    m_remove = new QPushButton(icon(QStringLiteral("remove")), tr("&Remove"));
    auto *timer = new QPushButton(icon(QStringLiteral("schedule")), tr("Install as systemd &timer…"));
    timer->setToolTip(tr("Run these tasks while pgArchivist is closed: a systemd user timer calls "
                         "'pgarchivist-cli schedule run-due' every minute"));
    auto *close = new QPushButton(tr("&Close"));
    connect(add, &QPushButton::clicked, this, &SchedulesDialog::addTask);
    connect(m_edit, &QPushButton::clicked, this, &SchedulesDialog::editTask);
    connect(m_remove, &QPushButton::clicked, this, &SchedulesDialog::removeTask);
    connect(timer, &QPushButton::clicked, this, &SchedulesDialog::installTimer);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_table, &QTableView::doubleClicked, this, &SchedulesDialog::editTask);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SchedulesDialog::updateSelection);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchedulesDialog::updateSelection);
    connect(m_model, &ScheduleModel::errorOccurred, this, &SchedulesDialog::setStatus);
    connect(&m_app.scheduler(), &app::Scheduler::taskFinished, this, [this] { m_model->reload(); });
    connect(&m_app.scheduler(), &app::Scheduler::historyChanged, this, [this] {  // a timer's run: keep the selection
        const qint64 selected = selectedId();
        m_model->reload();
        if (const int row = m_model->rowOf(selected); row >= 0)
            m_table->selectRow(row);
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(timer);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(new QLabel(tr("Next five runs of the selected task:")));
    layout->addWidget(m_runsView);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    resize(900, 420);
    updateSelection();
}

qint64 SchedulesDialog::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(ScheduleModel::TaskIdRole).toLongLong();
}

void SchedulesDialog::updateSelection()
{
    const int row = m_model->rowOf(selectedId());
    m_edit->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_runs->setStringList(row >= 0 ? runLines(m_model->task(row).calendar, 5) : QStringList());
}

QStringList SchedulesDialog::nextRuns() const { return m_runs->stringList(); }
QString SchedulesDialog::statusText() const { return m_status->text(); }
void SchedulesDialog::setStatus(const QString &text) { m_status->setText(text); }

void SchedulesDialog::addTask()
{
    app::ScheduledTask t;
    t.serverId = m_server.id;
    t.kind = QStringLiteral("backup");
    auto *editor = new TaskEditor(t, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &QDialog::accepted, this, [this, editor] {
        auto added = app::ScheduleStore(m_app.registry()).add(editor->task());
        if (!added) {
            setStatus(added.error().toString());
            return;
        }
        m_model->reload();
        m_table->selectRow(m_model->rowOf(added->id));
        setStatus(tr("Added: %1.").arg(ScheduleModel::taskText(*added)));
    });
    editor->open();
}

void SchedulesDialog::editTask()
{
    const int row = m_model->rowOf(selectedId());
    if (row < 0)
        return;
    auto *editor = new TaskEditor(m_model->task(row), this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &QDialog::accepted, this, [this, editor] {
        const app::ScheduledTask t = editor->task();
        if (Status s = app::ScheduleStore(m_app.registry()).update(t); !s) {
            setStatus(s.error().toString());
            return;
        }
        m_model->reload();
        m_table->selectRow(m_model->rowOf(t.id));
        setStatus(tr("Changed: %1.").arg(ScheduleModel::taskText(t)));
    });
    editor->open();
}

void SchedulesDialog::removeTask()
{
    const int row = m_model->rowOf(selectedId());
    if (row < 0)
        return;
    const app::ScheduledTask t = m_model->task(row);
    ask(this, tr("Remove Scheduled Task"),
        tr("Remove \"%1\" at %2? Its past runs stay in the job history.").arg(ScheduleModel::taskText(t), t.calendar),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel, [this, t](QMessageBox::StandardButton answer) {
            if (answer != QMessageBox::Yes)
                return;
            if (Status s = app::ScheduleStore(m_app.registry()).remove(t.id); !s)
                setStatus(s.error().toString());
            else
                setStatus(tr("Removed: %1.").arg(ScheduleModel::taskText(t)));
            m_model->reload();
        });
}

void SchedulesDialog::installTimer()
{
    const passwd *pw = ::getpwuid(::geteuid());
    const app::TimerUnits units = app::TimerUnits::make(app::findCliProgram(), true, pw ? QString::fromLocal8Bit(pw->pw_name) : QString(), QDir::homePath());
    auto *d = new QDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setObjectName(QStringLiteral("timerDialog"));
    d->setWindowTitle(tr("Install as systemd Timer"));
    auto *text = new QPlainTextEdit(QStringLiteral("# %1/%2.service\n%3\n# %1/%2.timer\n%4")
                                        .arg(units.directory, QLatin1String(app::TimerUnits::kName), units.service, units.timer));
    text->setReadOnly(true);
    text->setObjectName(QStringLiteral("units"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    QPushButton *install = buttons->addButton(tr("&Install for Me"), QDialogButtonBox::AcceptRole);
    install->setObjectName(QStringLiteral("install"));
    connect(buttons, &QDialogButtonBox::rejected, d, &QDialog::reject);
    connect(install, &QPushButton::clicked, d, [this, d, units] {
        if (Status s = units.install(); !s)
            setStatus(s.error().toString());
        else
            setStatus(tr("Written to %1. Turn it on with: %2").arg(units.directory, units.enableCommand(true)));
        d->accept();
    });
    auto *layout = new QVBoxLayout(d);
    layout->addWidget(new QLabel(tr("These units run 'pgarchivist-cli schedule run-due' every minute as you, so the tasks run while "
                                    "pgArchivist is closed. The app and the timer never run the same task twice.")));
    layout->addWidget(text);
    layout->addWidget(buttons);
    d->resize(640, 480);
    d->open();
}

} // namespace pga::gui
