#include "ServerView.h"

#include "ArchiveStatusWidget.h"
#include "backups/BackupsView.h"
#include "Icons.h"
#include "app/AppContext.h"
#include "calendar/CalendarView.h"
#include "config/ConfigurationView.h"
#include "wal/WalView.h"
#include "blunders/BlundersView.h"

#include <QFormLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pga::gui {

using app::ServerStatus;

ServerView::ServerView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_tabs(new QTabWidget(this)), m_title(new QLabel(this)), m_form(new QFormLayout),
      m_archive(new ArchiveStatusWidget(app)), m_configuration(new ConfigurationView(app)),
      m_backups(new BackupsView(app)), m_calendar(new CalendarView(app)), m_wal(new WalView(app)), m_blunders(new BlundersView(app))
{
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    m_title->setFont(f);

    auto *overview = new QWidget;
    overview->setObjectName(QStringLiteral("overviewTab"));
    auto *ol = new QVBoxLayout(overview);
    ol->addLayout(m_form);
    ol->addWidget(m_archive);
    ol->addStretch();
    addField(QStringLiteral("status"), tr("Status:"));
    addField(QStringLiteral("version"), tr("PostgreSQL:"));
    addField(QStringLiteral("role"), tr("Role:"));
    addField(QStringLiteral("sysid"), tr("System identifier:"));
    addField(QStringLiteral("timeline"), tr("Timeline:"));
    addField(QStringLiteral("lsn"), tr("Current WAL position:"));
    addField(QStringLiteral("checksums"), tr("Data checksums:"));
    addField(QStringLiteral("conninfo"), tr("Connection:"));
    addField(QStringLiteral("repository"), tr("Repository:"));
    addField(QStringLiteral("checked"), tr("Last checked:"));

    m_tabs->addTab(overview, tr("&Overview"));
    m_configuration->setObjectName(QStringLiteral("configurationTab"));
    m_tabs->addTab(m_configuration, tr("&Configuration"));
    m_tabs->addTab(m_backups, tr("&Backups"));
    m_tabs->addTab(m_calendar, icon(QStringLiteral("schedule")), tr("C&alendar"));
    m_tabs->addTab(m_wal, icon(QStringLiteral("chart")), tr("&WAL"));
    m_tabs->addTab(m_blunders, tr("Bl&unders"));
    m_tabs->setTabToolTip(m_tabs->indexOf(m_blunders), tr("DROP, TRUNCATE and mass DELETE/UPDATE found in the archived WAL, and their undo"));
    // The calendar and the charts read the repository: only when shown, and again when the server changes.
    connect(m_tabs, &QTabWidget::currentChanged, this, &ServerView::loadVisibleTab);
    connect(m_wal, &WalView::whatIfChanged, m_calendar, &CalendarView::setRetention);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs);

    connect(&m_app.status(), &app::ServerStatusService::statusChanged, this, [this](qint64 id) {
        if (id == m_serverId)
            refresh();
    });
    connect(&m_app.registry(), &app::ServerRegistry::serverChanged, this, [this](qint64 id) {
        if (id == m_serverId)
            refresh();
    });
    setServer(0);
}

QLabel *ServerView::addField(const QString &key, const QString &label)
{
    auto *value = new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    value->setObjectName(key + QStringLiteral("Value"));
    m_form->addRow(label, value);
    m_fields.insert(key, value);
    return value;
}

QString ServerView::overviewValue(const QString &field) const
{
    const QLabel *l = m_fields.value(field);
    return l ? l->text() : QString();
}

void ServerView::setServer(qint64 id)
{
    m_serverId = id;
    m_archive->setServer(id);
    m_configuration->setServer(id);
    m_backups->setServer(id);
    m_calendarFor = m_walFor = m_blundersFor = -1;
    refresh();
    loadVisibleTab();
}

void ServerView::loadVisibleTab()
{
    auto entry = m_serverId ? m_app.registry().server(m_serverId) : Result<app::ServerEntry>(Error());
    if (!entry)
        return;
    if (m_tabs->currentWidget() == m_calendar && m_calendarFor != m_serverId) {
        m_calendarFor = m_serverId;
        m_calendar->setServer(*entry);
    } else if (m_tabs->currentWidget() == m_wal && m_walFor != m_serverId) {
        m_walFor = m_serverId;
        m_wal->setServer(*entry);
    } else if (m_tabs->currentWidget() == m_blunders && m_blundersFor != m_serverId) {
        m_blundersFor = m_serverId;
        m_blunders->setServer(*entry);
    }
}

void ServerView::refresh()
{
    auto entry = m_serverId ? m_app.registry().server(m_serverId) : Result<app::ServerEntry>(Error());
    const bool have = m_serverId && entry.ok();
    m_tabs->setEnabled(have);
    for (QLabel *l : std::as_const(m_fields)) {
        l->clear();
        l->setToolTip(QString());
    }
    if (!have) {
        m_title->setText(tr("Select a server, or add one with Server → Add Server (Ctrl+N)."));
        return;
    }
    m_title->setText(entry->name);
    const ServerStatus st = m_app.status().status(m_serverId);
    const auto &f = st.facts;
    switch (st.state) {
    case ServerStatus::State::Online: m_fields[QStringLiteral("status")]->setText(tr("online")); break;
    case ServerStatus::State::Unreachable:
        m_fields[QStringLiteral("status")]->setText(tr("unreachable: %1").arg(st.reason));
        break;
    case ServerStatus::State::Checking: m_fields[QStringLiteral("status")]->setText(tr("checking…")); break;
    case ServerStatus::State::Unknown: m_fields[QStringLiteral("status")]->setText(tr("not checked yet")); break;
    }
    m_fields[QStringLiteral("conninfo")]->setText(entry->conninfo);
    m_fields[QStringLiteral("repository")]->setText(entry->repoDir.isEmpty() ? tr("none yet") : entry->repoDir);
    if (st.checkedAt.isValid())
        m_fields[QStringLiteral("checked")]->setText(st.checkedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")));
    if (st.state != ServerStatus::State::Online)
        return;
    // "PostgreSQL 15.4 (Debian 15.4-1) on x86_64-pc-linux-gnu, compiled by ..." — the build details go to the tooltip.
    m_fields[QStringLiteral("version")]->setText(f.versionString.section(QStringLiteral(" on "), 0, 0));
    m_fields[QStringLiteral("version")]->setToolTip(f.versionString);
    m_fields[QStringLiteral("role")]->setText(f.inRecovery ? tr("standby (in recovery)") : tr("primary"));
    m_fields[QStringLiteral("sysid")]->setText(QString::number(f.systemIdentifier));
    m_fields[QStringLiteral("timeline")]->setText(QString::number(f.timeline));
    m_fields[QStringLiteral("lsn")]->setText(f.currentLsn.toString());
    m_fields[QStringLiteral("checksums")]->setText(f.dataChecksums ? tr("on") : tr("off"));
}

} // namespace pga::gui
