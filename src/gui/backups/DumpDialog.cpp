#include "DumpDialog.h"

#include "DumpModels.h"
#include "app/AppContext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace pga::gui {

namespace {
QStringList words(const QLineEdit *e)
{
    QStringList out;
    for (const QString &w : e->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!w.trimmed().isEmpty())
            out << w.trimmed();
    return out;
}
} // namespace

DumpDialog::DumpDialog(app::AppContext &app, const app::ServerEntry &server, QWidget *parent)
    : QDialog(parent), m_app(app), m_server(server), m_dbs(new DatabaseListModel(this)), m_table(new QTableView(this)),
      m_format(new QComboBox(this)), m_jobs(new QSpinBox(this)), m_globals(new QCheckBox(tr("Roles and &tablespaces (pg_dumpall --globals-only)"), this)),
      m_schemas(new QLineEdit(this)), m_tables(new QLineEdit(this)), m_exclude(new QLineEdit(this)), m_label(new QLineEdit(this)),
      m_command(new QLineEdit(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("dumpDialog"));
    setWindowTitle(tr("Dump %1").arg(server.name));
    m_table->setObjectName(QStringLiteral("databaseList"));
    m_table->setModel(m_dbs);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAccessibleName(tr("Databases to dump"));
    m_table->setToolTip(tr("Space toggles the selected database"));
    m_format->setObjectName(QStringLiteral("format"));
    m_format->addItem(tr("Custom (pg_restore picks objects; recommended)"), QStringLiteral("custom"));
    m_format->addItem(tr("Directory (parallel dump and restore)"), QStringLiteral("directory"));
    m_format->addItem(tr("Plain SQL script (psql)"), QStringLiteral("plain"));
    m_format->setToolTip(tr("pg_dump writes uncompressed; pgArchivist compresses with zstd as it streams into the repository"));
    m_jobs->setRange(1, 16);
    m_jobs->setToolTip(tr("Parallel pg_dump workers (directory format only)"));
    m_globals->setChecked(true);
    m_schemas->setPlaceholderText(tr("all; or schema names, comma-separated"));
    m_tables->setPlaceholderText(tr("all; or tables (patterns like sales.*), comma-separated"));
    m_exclude->setPlaceholderText(tr("none"));
    m_label->setPlaceholderText(tr("pgarchivist dump ID"));
    m_command->setReadOnly(true);
    m_command->setObjectName(QStringLiteral("commandLine"));
    m_command->setToolTip(tr("The same dump from a shell or cron (the password comes from PGPASSWORD or ~/.pgpass there)"));
    m_status->setWordWrap(true);
    m_status->setText(tr("Reading the server's databases…"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Dump"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto *selectAll = new QPushButton(tr("Select &all"), this);
    auto *selectNone = new QPushButton(tr("Select n&one"), this);
    connect(selectAll, &QPushButton::clicked, this, [this] { m_dbs->setAllChecked(true); });
    connect(selectNone, &QPushButton::clicked, this, [this] { m_dbs->setAllChecked(false); });
    auto *sel = new QHBoxLayout;
    sel->addWidget(selectAll);
    sel->addWidget(selectNone);
    sel->addStretch();

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Jobs:"), m_jobs);
    form->addRow(QString(), m_globals);
    form->addRow(tr("Only &schemas:"), m_schemas);
    form->addRow(tr("Only t&ables:"), m_tables);
    form->addRow(tr("E&xclude tables:"), m_exclude);
    form->addRow(tr("&Label:"), m_label);
    form->addRow(tr("Command line:"), m_command);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Databases of %1:").arg(server.name)));
    layout->addWidget(m_table, 1);
    layout->addLayout(sel);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_dbs, &DatabaseListModel::selectionChanged, this, &DumpDialog::updatePreview);
    for (QLineEdit *e : {m_schemas, m_tables, m_exclude, m_label})
        connect(e, &QLineEdit::textChanged, this, &DumpDialog::updatePreview);
    connect(m_format, &QComboBox::currentIndexChanged, this, &DumpDialog::updatePreview);
    connect(m_jobs, &QSpinBox::valueChanged, this, &DumpDialog::updatePreview);
    connect(m_globals, &QCheckBox::toggled, this, &DumpDialog::updatePreview);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DumpDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DumpDialog::reject);
    updatePreview();

    m_app.dumps().listDatabases(server, this, [this](const Result<QList<engine::DatabaseSize>> &r) {
        m_loaded = true;
        if (!r) {
            m_status->setText(tr("Could not list the databases: %1").arg(r.error().toString()));
        } else {
            m_dbs->setDatabases(*r);
            m_table->resizeColumnsToContents();
            qint64 total = 0;
            for (const engine::DatabaseSize &d : *r)
                total += d.bytes;
            m_status->setText(tr("%n database(s), %1 in all. The dump goes into the repository, published only when complete.", nullptr, int(r->size()))
                                  .arg(QLocale().formattedDataSize(total, 1, QLocale::DataSizeTraditionalFormat)));
            m_table->setFocus();
            if (m_dbs->rowCount())
                m_table->setCurrentIndex(m_dbs->index(0, 0));
        }
        updatePreview();
        emit databasesShown();
    });
}

engine::DumpOptions DumpDialog::options() const
{
    engine::DumpOptions o = app::DumpService::dumpOptions(m_server);
    const QStringList picked = m_dbs->checkedNames();
    o.all = m_loaded && m_dbs->allChecked() && m_dbs->rowCount() > 0;
    if (!o.all)
        o.databases = picked;
    o.format = m_format->currentData().toString();
    o.jobs = o.format == QLatin1String("directory") ? m_jobs->value() : 1;
    o.globals = m_globals->isChecked();
    o.schemas = words(m_schemas);
    o.tables = words(m_tables);
    o.excludeTables = words(m_exclude);
    o.label = m_label->text().trimmed();
    return o;
}

QString DumpDialog::commandLine() const { return m_command->text(); }
QString DumpDialog::statusText() const { return m_status->text(); }

void DumpDialog::updatePreview()
{
    m_jobs->setEnabled(m_format->currentData().toString() == QLatin1String("directory"));
    const engine::DumpOptions o = options();
    m_command->setText(app::DumpService::dumpCommand(o));
    const bool any = o.all || !o.databases.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_loaded && any);
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(any ? QString() : tr("Check at least one database"));
}

void DumpDialog::start()
{
    const engine::DumpOptions o = options();
    if (!o.all && o.databases.isEmpty())
        return;
    emit dumpStarted();
    accept();
}

} // namespace pga::gui
