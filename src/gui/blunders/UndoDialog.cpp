#include "UndoDialog.h"

#include "BlunderModels.h"
#include "app/AppContext.h"
#include "jobs/JobProgress.h"
#include "core/TimeText.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>

namespace pga::gui {

UndoDialog::UndoDialog(app::AppContext &app, const app::ServerEntry &server, const BlunderEvent &event, QWidget *parent)
    : QDialog(parent), m_app(app), m_server(server), m_event(event), m_ownSchema(new QRadioButton(tr("In the table's own &schema"), this)),
      m_otherSchema(new QRadioButton(tr("In schema:"), this)), m_schema(new QLineEdit(this)), m_as(new QLineEdit(this)),
      m_scratch(new QLineEdit(this)), m_command(new QLineEdit(this)), m_keep(new QCheckBox(tr("&Keep the scratch copy running afterwards"), this)),
      m_table(new QTableView(this)), m_plan(new UndoPlanModel(this)), m_status(new QLabel(this)), m_phase(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_check(new QPushButton(tr("C&heck"), this)), m_undo(new QPushButton(tr("&Undo"), this)),
      m_close(new QPushButton(tr("Close"), this))
{
    setWindowTitle(tr("Undo transaction %1").arg(event.xid));
    setObjectName(QStringLiteral("undoDialog"));
    auto *what = new QLabel(this);
    what->setWordWrap(true);
    what->setText(tr("<b>%1</b> in database %2, committed %3 by transaction %4.<br>The newest backup before it is restored into a "
                     "scratch copy that stops just before the transaction; what it destroyed is copied from there into the live "
                     "server under new names. Live rows are never overwritten.")
                      .arg(blunderKindText(event.kind).toHtmlEscaped(), event.database.toHtmlEscaped(),
                           timestampText(event.commitTimeUs, QTimeZone::systemTimeZone()))
                      .arg(event.xid));
    m_schema->setPlaceholderText(tr("recovered"));
    m_schema->setToolTip(tr("Created in the live database if it does not exist"));
    m_as->setToolTip(tr("The dropped table is recreated under this name (default: its own)"));
    const bool oneDroppedTable = event.kind == QLatin1String("drop_table") && event.objects.size() == 1;
    m_as->setEnabled(oneDroppedTable);
    if (oneDroppedTable)
        m_as->setPlaceholderText(event.objects.first().named ? event.objects.first().name : QString());
    m_scratch->setText(app::BlunderService::defaultScratchDir(server, event.xid));
    m_scratch->setToolTip(tr("A new directory for the scratch copy; it needs room for the whole restored cluster"));
    m_command->setReadOnly(true);
    m_command->setObjectName(QStringLiteral("undoCommand"));
    m_command->setToolTip(tr("The same undo from a shell"));
    m_table->setModel(m_plan);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("undoStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setVisible(false);
    m_phase->setVisible(false);
    m_undo->setEnabled(false);
    m_check->setToolTip(tr("Say what will be created where, and check every name on the live server, without restoring"));
    m_undo->setToolTip(tr("Restore, replay to just before the transaction, and copy"));

    auto *schemaRow = new QHBoxLayout;
    schemaRow->addWidget(m_otherSchema);
    schemaRow->addWidget(m_schema, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Copies go:"), m_ownSchema);
    form->addRow(QString(), schemaRow);
    form->addRow(tr("Recreate &as:"), m_as);
    form->addRow(tr("Scratch &copy in:"), m_scratch);
    form->addRow(QString(), m_keep);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_check);
    buttons->addWidget(m_undo);
    buttons->addWidget(m_close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_command);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    m_ownSchema->setChecked(true);  // after the layout: both radios share a parent by then
    m_schema->setEnabled(false);

    connect(m_otherSchema, &QRadioButton::toggled, m_schema, &QLineEdit::setEnabled);
    for (QLineEdit *e : {m_schema, m_as, m_scratch})
        connect(e, &QLineEdit::textChanged, this, &UndoDialog::optionsChanged);
    connect(m_otherSchema, &QRadioButton::toggled, this, &UndoDialog::optionsChanged);
    connect(m_keep, &QCheckBox::toggled, this, &UndoDialog::optionsChanged);
    connect(m_check, &QPushButton::clicked, this, [this] { run(true); });
    connect(m_undo, &QPushButton::clicked, this, [this] { run(false); });
    connect(m_close, &QPushButton::clicked, this, [this] {
        if (m_running && m_jobId)
            m_app.jobs().cancel(m_jobId);
        else
            reject();
    });
    connect(&m_app.jobs(), &app::JobRunner::jobAdded, this, [this](int id) {
        if (m_waitingForJob && m_app.jobs().job(id).kind == QLatin1String("undo")) {
            m_waitingForJob = false;
            m_jobId = id;
        }
    });
    connect(&m_app.jobs(), &app::JobRunner::jobChanged, this, &UndoDialog::jobChanged);
    optionsChanged();
    resize(820, 520);
}

engine::UndoOptions UndoDialog::options(bool dryRun) const
{
    engine::UndoOptions o = app::BlunderService::undoOptions(m_server, m_event.xid);
    if (m_otherSchema->isChecked())
        o.intoSchema = m_schema->text().trimmed();
    if (m_as->isEnabled())
        o.asName = m_as->text().trimmed();
    o.scratchDir = m_scratch->text().trimmed();
    o.keepScratch = m_keep->isChecked();
    o.dryRun = dryRun;
    return o;
}

void UndoDialog::optionsChanged()
{
    m_undo->setEnabled(false);  // a changed choice needs a new check
    m_command->setText(app::BlunderService::undoCommand(options(false)));
    m_command->setCursorPosition(0);
    const bool ok = !m_scratch->text().trimmed().isEmpty() && (!m_otherSchema->isChecked() || !m_schema->text().trimmed().isEmpty());
    m_check->setEnabled(ok && !m_running);
}

void UndoDialog::run(bool dryRun)
{
    m_running = true;
    m_check->setEnabled(false);
    m_undo->setEnabled(false);
    m_close->setText(tr("Cancel"));
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_phase->setVisible(!dryRun);
    m_phase->clear();
    m_status->setText(dryRun ? tr("Checking what would be created…") : tr("Undoing transaction %1…").arg(m_event.xid));
    m_waitingForJob = true;
    m_app.blunders().undo(m_server, options(dryRun), this, [this, dryRun](const app::JobInfo &info, const engine::UndoResult &r) {
        m_running = false;
        m_jobId = 0;
        m_progress->setVisible(false);
        m_phase->setVisible(false);
        m_close->setText(tr("Close"));
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        if (ok)
            m_plan->setItems(r.items, !dryRun);
        if (!ok) {
            m_status->setText(info.state == app::JobInfo::State::Cancelled
                                  ? (m_keep->isChecked() ? tr("Cancelled; the scratch copy was kept in %1.").arg(m_scratch->text())
                                                         : tr("Cancelled; the scratch copy was removed."))
                                  : tr("Refused or failed: %1").arg(info.error.toString()));
        } else if (dryRun) {
            m_status->setText(tr("Backup %1 will be restored into %2. Every name above is free on the live server.").arg(r.backupId, r.scratchDir));
        } else {
            m_finished = true;
            m_succeeded = r.allMatch();
            m_status->setText(r.allMatch() ? tr("Done: every copy has the same rows as the scratch copy (count and md5).%1")
                                                 .arg(r.keptScratch ? tr(" The scratch copy keeps running: %1").arg(r.scratchConninfo) : QString())
                                           : tr("Copied, but some copies differ from the scratch copy: see Check."));
            emit undone();
        }
        m_check->setEnabled(!m_finished);
        m_undo->setEnabled(ok && dryRun);
        emit runFinished(ok);
    });
}

void UndoDialog::jobChanged(int id)
{
    if (id != m_jobId)
        return;
    const app::JobInfo j = m_app.jobs().job(id);
    showJobProgress(j, m_progress, m_status);
    // The engine names each step as it enters it (restore, replay, copy); the bar spans all three.
    if (const QString step = lastLogLine(j, u"Step "); !step.isEmpty())
        m_phase->setText(step);
}

} // namespace pga::gui
