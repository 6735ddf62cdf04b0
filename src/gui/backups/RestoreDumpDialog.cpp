#include "RestoreDumpDialog.h"

#include "DumpModels.h"
#include "app/AppContext.h"
#include "jobs/JobProgress.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTreeView>
#include <QVBoxLayout>

namespace pga::gui {

RestoreDumpDialog::RestoreDumpDialog(app::AppContext &app, const app::ServerEntry &server, const QString &dumpId, QWidget *parent)
    : QDialog(parent), m_app(app), m_server(server), m_dumpId(dumpId), m_toc(new TocTreeModel(this)), m_tree(new QTreeView(this)),
      m_database(new QComboBox(this)), m_conninfo(new QLineEdit(server.conninfo, this)),
      m_intoNew(new QRadioButton(tr("Into a &new database:"), this)), m_intoConn(new QRadioButton(tr("Into the connection's &database"), this)),
      m_create(new QRadioButton(tr("&Recreate it under its own name (--create)"), this)), m_newDb(new QLineEdit(this)),
      m_clean(new QCheckBox(tr("Drop the objects first (--c&lean)"), this)), m_everything(new QRadioButton(tr("Definitions and &data"), this)),
      m_dataOnly(new QRadioButton(tr("Data &only"), this)), m_schemaOnly(new QRadioButton(tr("Definitions onl&y"), this)),
      m_jobs(new QSpinBox(this)), m_command(new QLineEdit(this)), m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_warnings(new QListWidget(this)), m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("restoreDumpDialog"));
    setWindowTitle(tr("Restore Dump %1").arg(dumpId));
    m_tree->setObjectName(QStringLiteral("tocTree"));
    m_tree->setModel(m_toc);
    m_tree->setAccessibleName(tr("Contents of the dump"));
    m_tree->setToolTip(tr("Uncheck what not to restore; Space toggles the selected entry"));
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(TocTreeModel::NameColumn, QHeaderView::Stretch);
    m_database->setObjectName(QStringLiteral("database"));
    m_conninfo->setObjectName(QStringLiteral("targetConninfo"));
    m_conninfo->setToolTip(tr("The server to restore into (the source by default; any server PostgreSQL %1 or newer)").arg(15));
    m_newDb->setObjectName(QStringLiteral("newDatabase"));
    auto *target = new QButtonGroup(this);
    target->addButton(m_intoNew);
    target->addButton(m_intoConn);
    target->addButton(m_create);
    auto *what = new QButtonGroup(this);
    what->addButton(m_everything);
    what->addButton(m_dataOnly);
    what->addButton(m_schemaOnly);
    m_jobs->setRange(1, 16);
    m_jobs->setToolTip(tr("Parallel pg_restore workers (not for plain dumps)"));
    m_command->setReadOnly(true);
    m_command->setObjectName(QStringLiteral("commandLine"));
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("status"));
    m_progress->setVisible(false);
    m_warnings->setObjectName(QStringLiteral("warnings"));
    m_warnings->setVisible(false);
    m_warnings->setAccessibleName(tr("Warnings"));
    m_restore = m_buttons->addButton(tr("&Restore"), QDialogButtonBox::AcceptRole);
    m_restore->setObjectName(QStringLiteral("restoreButton"));
    m_cancel = m_buttons->addButton(tr("Ca&ncel Restore"), QDialogButtonBox::ActionRole);
    m_cancel->setVisible(false);
    m_restore->setEnabled(false);

    auto *all = new QPushButton(tr("Select &all"), this);
    auto *none = new QPushButton(tr("Select non&e"), this);
    connect(all, &QPushButton::clicked, this, [this] { m_toc->setAllChecked(true); });
    connect(none, &QPushButton::clicked, this, [this] { m_toc->setAllChecked(false); });
    auto *sel = new QHBoxLayout;
    sel->addWidget(new QLabel(tr("Database in the dump:")));
    sel->addWidget(m_database, 1);
    sel->addWidget(all);
    sel->addWidget(none);

    auto *targetBox = new QGroupBox(tr("Where"), this);
    auto *tl = new QFormLayout(targetBox);
    tl->addRow(tr("&Server:"), m_conninfo);
    auto *newRow = new QHBoxLayout;
    newRow->addWidget(m_intoNew);
    newRow->addWidget(m_newDb, 1);
    tl->addRow(newRow);
    tl->addRow(m_intoConn);
    tl->addRow(m_create);
    auto *whatBox = new QGroupBox(tr("What"), this);
    auto *wl = new QHBoxLayout(whatBox);
    wl->addWidget(m_everything);
    wl->addWidget(m_dataOnly);
    wl->addWidget(m_schemaOnly);
    wl->addWidget(m_clean);
    wl->addWidget(new QLabel(tr("Jobs:")));
    wl->addWidget(m_jobs);
    auto *form = new QFormLayout;
    form->addRow(tr("Command line:"), m_command);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(sel);
    layout->addWidget(m_tree, 1);
    layout->addWidget(targetBox);
    layout->addWidget(whatBox);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_warnings);
    layout->addWidget(m_buttons);
    resize(720, 640);
    // Only now: before the layouts gave them their group boxes, all six radios shared one parent and excluded each other.
    m_intoNew->setChecked(true);
    m_everything->setChecked(true);

    connect(m_toc, &TocTreeModel::selectionChanged, this, &RestoreDumpDialog::updatePreview);
    for (QLineEdit *e : {m_conninfo, m_newDb})
        connect(e, &QLineEdit::textChanged, this, &RestoreDumpDialog::updatePreview);
    for (QAbstractButton *b : {static_cast<QAbstractButton *>(m_intoNew), static_cast<QAbstractButton *>(m_intoConn),
                               static_cast<QAbstractButton *>(m_create), static_cast<QAbstractButton *>(m_clean),
                               static_cast<QAbstractButton *>(m_everything), static_cast<QAbstractButton *>(m_dataOnly),
                               static_cast<QAbstractButton *>(m_schemaOnly)})
        connect(b, &QAbstractButton::toggled, this, &RestoreDumpDialog::updatePreview);
    connect(m_jobs, &QSpinBox::valueChanged, this, &RestoreDumpDialog::updatePreview);
    connect(m_database, &QComboBox::currentIndexChanged, this, &RestoreDumpDialog::loadToc);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RestoreDumpDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RestoreDumpDialog::reject);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_jobId)
            m_app.jobs().cancel(m_jobId);
    });
    connect(&m_app.jobs(), &app::JobRunner::jobAdded, this, [this](int id) {
        if (m_waitingForJob && m_app.jobs().job(id).kind == QLatin1String("restore-dump")) {
            m_waitingForJob = false;
            m_jobId = id;
        }
    });
    connect(&m_app.jobs(), &app::JobRunner::jobChanged, this, &RestoreDumpDialog::jobChanged);

    m_status->setText(tr("Reading dump %1…").arg(dumpId));
    m_app.dumps().readDump(server, dumpId, this, [this](const Result<repo::DumpManifest> &m) {
        if (!m) {
            m_status->setText(tr("The dump cannot be read: %1").arg(m.error().toString()));
            emit tocShown();
            return;
        }
        m_manifest = *m;
        m_plain = m->format == QLatin1String("plain");
        const QSignalBlocker block(m_database);
        for (const repo::DumpDatabase &d : m->databases)
            m_database->addItem(d.name, d.name);
        if (m->databases.size() > 1)
            m_database->addItem(tr("All databases, with the roles (each recreated under its own name)"), QString());
        // The one with the most tables first: "postgres" is seldom what a DBA came for.
        int best = 0;
        for (int i = 1; i < m->databases.size(); ++i)
            if (m->databases[i].tables.size() > m->databases[best].tables.size())
                best = i;
        m_database->setCurrentIndex(best);
        loadToc();
    });
}

void RestoreDumpDialog::loadToc()
{
    const QString db = m_database->currentData().toString();
    m_newDb->setText(db.isEmpty() ? QString() : db + QStringLiteral("_restored"));
    m_intoNew->setEnabled(!db.isEmpty());
    m_newDb->setEnabled(!db.isEmpty());
    m_intoConn->setEnabled(!db.isEmpty());
    if (db.isEmpty())
        m_create->setChecked(true);
    m_jobs->setEnabled(!m_plain);
    if (m_plain || db.isEmpty()) {
        m_toc->setEntries({});
        m_tree->setEnabled(false);
        m_status->setText(m_plain ? tr("A plain SQL dump has no table of contents: it restores whole, with psql.")
                                  : tr("Every database of the dump is restored whole, with the roles and tablespaces first."));
        m_restore->setEnabled(true);
        updatePreview();
        emit tocShown();
        return;
    }
    m_tree->setEnabled(true);
    engine::RestoreDumpOptions o = app::DumpService::restoreOptions(m_server, m_dumpId);
    o.database = db;
    const quint64 request = ++m_tocRequest;
    m_status->setText(tr("Reading the table of contents of %1…").arg(db));
    m_app.dumps().readToc(o, this, [this, request, db](const Result<QList<TocEntry>> &toc) {
        if (request != m_tocRequest)
            return;
        if (!toc) {
            m_status->setText(tr("The table of contents cannot be read: %1").arg(toc.error().toString()));
            m_toc->setEntries({});
        } else {
            QHash<QString, qint64> sizes;
            if (const repo::DumpDatabase *d = m_manifest.database(db))
                for (const repo::DumpTable &t : d->tables)
                    sizes.insert(t.schema + QLatin1Char('.') + t.name, t.bytes);
            m_toc->setEntries(*toc, sizes);
            m_tree->expandAll();
            m_tree->setCurrentIndex(m_toc->index(0, 0));
            m_status->setText(tr("%n entries in the table of contents; all are restored unless unchecked.", nullptr, int(toc->size())));
            m_restore->setEnabled(true);
        }
        updatePreview();
        emit tocShown();
    });
}

engine::RestoreDumpOptions RestoreDumpDialog::options() const
{
    engine::RestoreDumpOptions o = app::DumpService::restoreOptions(m_server, m_dumpId);
    o.conninfo = m_conninfo->text().trimmed();
    o.database = m_database->currentData().toString();
    if (!o.database.isEmpty()) {
        if (m_intoNew->isChecked())
            o.into = m_newDb->text().trimmed();
        o.create = m_create->isChecked();
    }
    o.clean = m_clean->isChecked();
    o.dataOnly = m_dataOnly->isChecked();
    o.schemaOnly = m_schemaOnly->isChecked();
    o.jobs = m_plain ? 1 : m_jobs->value();
    if (!m_plain && !o.database.isEmpty() && !m_toc->entries().isEmpty() && !m_toc->allChecked())
        o.useList = restoreListFor(m_toc->entries(), m_toc->checkedIds());
    return o;
}

QString RestoreDumpDialog::commandLine() const { return m_command->text(); }
QString RestoreDumpDialog::statusText() const { return m_status->text(); }

QStringList RestoreDumpDialog::warnings() const
{
    QStringList out;
    for (int i = 0; i < m_warnings->count(); ++i)
        out << m_warnings->item(i)->text();
    return out;
}

void RestoreDumpDialog::updatePreview()
{
    engine::RestoreDumpOptions o = options();
    QString cmd = app::DumpService::restoreCommand(o);
    if (!o.useList.isEmpty())
        cmd += QStringLiteral(" --use-list LIST  # %1 of %2 entries").arg(m_toc->checkedIds().size()).arg(m_toc->entries().size());
    m_command->setText(cmd);
    QString why;
    if (o.conninfo.isEmpty())
        why = tr("Name the server to restore into");
    else if (!o.database.isEmpty() && m_intoNew->isChecked() && o.into.isEmpty())
        why = tr("Name the new database");
    else if (!o.database.isEmpty() && !m_plain && m_toc->checkedIds().isEmpty() && !m_toc->entries().isEmpty())
        why = tr("Check at least one object");
    const bool running = m_jobId != 0 || m_waitingForJob;
    m_restore->setEnabled(why.isEmpty() && !running && (m_plain || m_database->count() > 0));
    m_restore->setToolTip(why);
}

void RestoreDumpDialog::start()
{
    updatePreview();
    if (!m_restore->isEnabled())
        return;
    const engine::RestoreDumpOptions o = options();
    m_warnings->clear();
    m_warnings->setVisible(false);
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_cancel->setVisible(true);
    m_waitingForJob = true;
    m_jobId = 0;
    m_status->setText(tr("Restoring… (checking the dump's files first)"));
    updatePreview();
    m_app.dumps().restore(m_server, o, this, [this](const app::JobInfo &info, const engine::RestoreDumpResult &r) {
        m_jobId = 0;
        m_waitingForJob = false;
        m_cancel->setVisible(false);
        m_progress->setVisible(false);
        const bool ok = info.state == app::JobInfo::State::Succeeded;
        for (const QString &w : r.warnings)
            m_warnings->addItem(w);
        m_warnings->setVisible(!r.warnings.isEmpty());
        if (ok)
            m_status->setText(r.warnings.isEmpty()
                                  ? tr("Restored into %1 in %2 s.").arg(r.databases.join(QStringLiteral(", "))).arg(r.seconds, 0, 'f', 1)
                                  : tr("Restored into %1 in %2 s, with %n warning(s): errors pg_restore ran past, listed below with their statements.",
                                       nullptr, int(r.warnings.size()))
                                        .arg(r.databases.join(QStringLiteral(", ")))
                                        .arg(r.seconds, 0, 'f', 1));
        else if (info.state == app::JobInfo::State::Cancelled)
            m_status->setText(tr("The restore was cancelled; what it already created stays in the target."));
        else
            m_status->setText(tr("The restore failed: %1").arg(info.error.toString()));
        updatePreview();
        emit restoreFinished(ok);
    });
}

void RestoreDumpDialog::jobChanged(int id)
{
    if (id != m_jobId)
        return;
    const app::JobInfo j = m_app.jobs().job(id);
    if (j.total > 0)
        showJobProgress(j, m_progress, m_status);
    else if (!j.currentStep.isEmpty())
        m_status->setText(j.currentStep);
}

} // namespace pga::gui
