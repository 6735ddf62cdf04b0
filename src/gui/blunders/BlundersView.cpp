#include "BlundersView.h"

#include "BlunderModels.h"
#include "UndoDialog.h"
#include "app/AppContext.h"
#include "core/TimeText.h"
#include "gui/restore/RestoreWizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace pga::gui {

BlundersView::BlundersView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_model(new BlundersModel(this)), m_proxy(new BlunderFilterProxy(this)), m_table(new QTableView(this)),
      m_kind(new QComboBox(this)), m_minRows(new QSpinBox(this)), m_range(new QCheckBox(tr("&Between"), this)),
      m_since(new QDateTimeEdit(this)), m_until(new QDateTimeEdit(this)), m_scan(new QPushButton(tr("&Scan WAL"), this)),
      m_restore(new QPushButton(tr("&Restore to Just Before…"), this)), m_undo(new QPushButton(tr("&Undo…"), this)),
      m_details(new QTextBrowser(this)), m_status(new QLabel(this)), m_rescan(new QTimer(this))
{
    m_rescan->setSingleShot(true);
    m_rescan->setInterval(600);
    connect(m_rescan, &QTimer::timeout, this, &BlundersView::scan);
    setObjectName(QStringLiteral("blundersTab"));
    m_kind->addItem(tr("All kinds"), QString());
    for (const char *k : {"drop_table", "truncate", "drop_database", "delete", "update"})
        m_kind->addItem(blunderKindText(QString::fromLatin1(k)), QString::fromLatin1(k));
    m_kind->setToolTip(tr("Show one kind of blunder"));
    m_minRows->setRange(1, 1000000000);
    m_minRows->setValue(100);
    m_minRows->setPrefix(tr("DELETE/UPDATE from "));
    m_minRows->setSuffix(tr(" rows"));
    m_minRows->setToolTip(tr("A DELETE or UPDATE counts as a blunder from this many rows in one transaction"));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss t");  // with the zone: times are where recovery goes wrong
    for (QDateTimeEdit *e : {m_since, m_until}) {
        e->setDisplayFormat(format);
        e->setTimeSpec(Qt::LocalTime);
        e->setCalendarPopup(true);
        e->setEnabled(false);
    }
    m_since->setDateTime(QDateTime::currentDateTime().addDays(-7));
    m_until->setDateTime(QDateTime::currentDateTime().addDays(1));
    m_range->setToolTip(tr("Only blunders committed in this range (local time, zone shown)"));
    m_scan->setToolTip(tr("Read the archived WAL again (new segments only; the rest comes from the scan cache)"));
    m_restore->setToolTip(tr("Open the restore wizard at this transaction, stopping just before it"));
    m_undo->setToolTip(tr("Bring back what this transaction destroyed, into new tables of the live server"));
    m_restore->setEnabled(false);
    m_undo->setEnabled(false);

    m_proxy->setSourceModel(m_model);
    m_proxy->setMinRows(100);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(BlundersModel::ObjectsColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setObjectName(QStringLiteral("blundersTable"));
    m_details->setObjectName(QStringLiteral("blunderDetails"));
    m_details->setPlaceholderText(tr("Select a blunder to see what its transaction did."));
    m_status->setWordWrap(true);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_kind);
    filters->addWidget(m_minRows);
    filters->addWidget(m_range);
    filters->addWidget(m_since);
    filters->addWidget(new QLabel(tr("and"), this));
    filters->addWidget(m_until);
    filters->addStretch();
    filters->addWidget(m_scan);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_status, 1);
    actions->addWidget(m_restore);
    actions->addWidget(m_undo);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    layout->addLayout(actions);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &BlundersView::filterChanged);
    connect(m_minRows, &QSpinBox::valueChanged, this, &BlundersView::filterChanged);
    connect(m_range, &QCheckBox::toggled, this, [this](bool on) {
        m_since->setEnabled(on);
        m_until->setEnabled(on);
        filterChanged();
    });
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, &BlundersView::filterChanged);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &BlundersView::filterChanged);
    connect(m_scan, &QPushButton::clicked, this, &BlundersView::scan);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BlundersView::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &BlundersView::selectionChanged);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        const BlunderEvent *e = selected();
        if (!e)
            return;
        auto *w = new RestoreWizard(m_app, m_server.id, QString(), this);
        w->setAttribute(Qt::WA_DeleteOnClose);
        if (e->stopBefore.isValid())
            w->presetLsn(e->stopBefore.toString(), true);  // DROP DATABASE: before its first record, not its commit
        else
            w->presetXid(e->xid, true);
        w->open();
    });
    connect(m_undo, &QPushButton::clicked, this, [this] {
        if (UndoDialog *d = openUndo())
            d->open();
    });
}

void BlundersView::setServer(const app::ServerEntry &e)
{
    m_server = e;
    m_model->setEvents({});
    scan();
}

void BlundersView::scan()
{
    if (m_server.id == 0 || m_scanning)
        return;
    if (m_server.repoDir.isEmpty()) {
        m_status->setText(tr("%1 archives into no repository: there is no WAL to read.").arg(m_server.name));
        return;
    }
    m_scanning = true;
    m_scan->setEnabled(false);
    m_status->setText(tr("Reading the archived WAL of %1…").arg(m_server.name));
    BlunderFilter f;
    f.minRows = m_minRows->value();
    m_scannedMinRows = f.minRows;
    const qint64 id = m_server.id;
    m_app.blunders().scan(m_server, f, this, [this, id](const app::JobInfo &info, const engine::BlunderScan &r) {
        m_scanning = false;
        m_scan->setEnabled(true);
        if (id != m_server.id)
            return;
        if (info.state != app::JobInfo::State::Succeeded) {
            m_status->setText(tr("The WAL could not be read: %1").arg(info.error.toString()));
            emit scanned();
            return;
        }
        m_model->setEvents(r.events);
        m_status->setText(tr("%n blunder(s) in %1 WAL files (%2 from the scan cache); names from %3 catalog snapshots%4.", nullptr,
                             int(r.events.size()))
                              .arg(r.segments)
                              .arg(r.fromCache)
                              .arg(r.snapshots)
                              .arg(r.newestSnapshotUtc.isValid() ? tr(", the newest %1").arg(timestampText(r.newestSnapshotUtc.toLocalTime()))
                                                                 : QString()));
        emit scanned();
    });
}

void BlundersView::filterChanged()
{
    m_proxy->setKind(m_kind->currentData().toString());
    m_proxy->setMinRows(m_minRows->value());
    if (m_range->isChecked())
        m_proxy->setRange(m_since->dateTime().toMSecsSinceEpoch() * 1000, m_until->dateTime().toMSecsSinceEpoch() * 1000 + 999999);
    else
        m_proxy->setRange(std::nullopt, std::nullopt);
    if (m_minRows->value() < m_scannedMinRows)
        m_rescan->start();  // smaller ones were not asked for: read them (from the cache), once typing stops
}

const BlunderEvent *BlundersView::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_model->event(m_proxy->mapToSource(rows.first()).row());
}

void BlundersView::selectionChanged()
{
    const BlunderEvent *e = selected();
    m_restore->setEnabled(e);
    m_undo->setEnabled(e);
    if (!e) {
        m_details->clear();
        return;
    }
    QString html = tr("<p><b>%1</b> by transaction %2, committed %3 (LSN %4, timeline %5) in database <b>%6</b>.</p>")
                       .arg(blunderKindText(e->kind).toHtmlEscaped())
                       .arg(e->xid)
                       .arg(timestampText(e->commitTimeUs, QTimeZone::systemTimeZone()), e->commitLsn.toString())
                       .arg(e->timeline)
                       .arg(e->database.toHtmlEscaped());
    if (!e->objects.isEmpty()) {
        html += QStringLiteral("<ul>");
        for (const BlunderObject &o : e->objects)
            html += QStringLiteral("<li>%1%2</li>")
                        .arg((o.named ? o.schema + QLatin1Char('.') + o.name : o.name).toHtmlEscaped(),
                             o.rows ? tr(": %1 rows%2").arg(QLocale().toString(*o.rows), o.rowsEstimated ? tr(" (estimated)") : QString()) : QString());
        html += QStringLiteral("</ul>");
    }
    html += tr("<p>The statements themselves are not in the WAL; this is what the transaction changed:</p>");
    if (e->changes.isEmpty()) {
        html += tr("<p>No other rows.</p>");
    } else {
        html += QStringLiteral("<table cellspacing=4><tr><th align=left>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                    .arg(tr("Table"), tr("Inserted"), tr("Deleted"), tr("Updated"));
        for (const BlunderChange &c : e->changes)
            html += QStringLiteral("<tr><td>%1%2</td><td align=right>%3</td><td align=right>%4</td><td align=right>%5</td></tr>")
                        .arg((c.named ? c.schema + QLatin1Char('.') + c.name : c.name).toHtmlEscaped(),
                             c.created ? tr(" (new file)") : c.removed ? tr(" (file removed)") : QString())
                        .arg(c.inserted)
                        .arg(c.deleted)
                        .arg(c.updated);
        html += QStringLiteral("</table>");
    }
    m_details->setHtml(html);
}

UndoDialog *BlundersView::openUndo()
{
    const BlunderEvent *e = selected();
    if (!e)
        return nullptr;
    auto *d = new UndoDialog(m_app, m_server, *e, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &UndoDialog::undone, this, &BlundersView::scan);
    return d;
}

} // namespace pga::gui
