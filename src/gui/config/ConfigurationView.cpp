#include "ConfigurationView.h"

#include "AuditModels.h"
#include "Confirm.h"
#include "Icons.h"
#include "app/AppContext.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace pga::gui {

using audit::Finding;
using audit::Severity;

namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, const QString &accessible)
{
    auto *v = new QTableView;
    v->setObjectName(name);
    v->setAccessibleName(accessible);
    v->setModel(model);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->verticalHeader()->hide();
    v->horizontalHeader()->setStretchLastSection(true);
    v->setWordWrap(false);
    return v;
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

} // namespace

ConfigurationView::ConfigurationView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_findings(new FindingsModel(this)), m_proxy(new FindingsFilterModel(this)),
      m_settings(new SettingsModel(this)), m_changes(new ChangesModel(this)), m_status(new QLabel),
      m_fixResult(new QLabel), m_severityFilter(new QComboBox), m_search(new QLineEdit), m_details(new QTextBrowser),
      m_lower(new QTabWidget)
{
    m_proxy->setSourceModel(m_findings);
    m_proxy->setSortRole(Qt::DisplayRole);
    m_findingsView = makeTable(m_proxy, QStringLiteral("findingsView"), tr("Findings"));
    m_findingsView->setSortingEnabled(true);
    m_findingsView->sortByColumn(FindingsModel::SeverityColumn, Qt::DescendingOrder);
    m_settingsView = makeTable(m_settings, QStringLiteral("settingsView"), tr("Archive-related settings"));
    m_changesView = makeTable(m_changes, QStringLiteral("changesView"), tr("Setting changes between audits"));

    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fixResult->setObjectName(QStringLiteral("fixResult"));
    m_fixResult->setWordWrap(true);
    m_fixResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fixResult->hide();
    m_details->setObjectName(QStringLiteral("findingDetails"));
    m_details->setAccessibleName(tr("Finding details"));
    m_details->setOpenExternalLinks(false);

    m_severityFilter->setObjectName(QStringLiteral("severityFilter"));
    m_severityFilter->setToolTip(tr("Show only findings of this severity or worse"));
    m_severityFilter->addItem(tr("All findings"), int(Severity::Info));
    m_severityFilter->addItem(tr("Warnings and critical"), int(Severity::Warning));
    m_severityFilter->addItem(tr("Critical only"), int(Severity::Critical));
    m_search->setObjectName(QStringLiteral("findingSearch"));
    m_search->setPlaceholderText(tr("Filter findings (id, title, value, SQL)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Show only findings whose id, title, values or SQL contain this text"));
    connect(m_severityFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setMinimumSeverity(Severity(m_severityFilter->currentData().toInt())); });
    connect(m_search, &QLineEdit::textChanged, m_proxy, &FindingsFilterModel::setSearchText);

    createActions();
    auto *toolbar = new QToolBar;
    toolbar->setObjectName(QStringLiteral("configurationToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_runAction, m_applyAction, m_copyAction});
    toolbar->addSeparator();
    toolbar->addWidget(m_severityFilter);
    toolbar->addWidget(m_search);

    auto *upper = new QSplitter(Qt::Horizontal);
    upper->addWidget(m_findingsView);
    upper->addWidget(m_details);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    m_lower->addTab(m_settingsView, tr("Archive settings"));
    m_lower->addTab(m_changesView, tr("Changes between audits"));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(upper);
    split->addWidget(m_lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_status);
    layout->addWidget(m_fixResult);
    layout->addWidget(split, 1);

    connect(m_findingsView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_findingsView, &QTableView::doubleClicked, this, [this] { m_details->setFocus(); });

    auto &audits = m_app.audits();
    connect(&audits, &app::AuditService::auditStarted, this, [this](qint64 id) {
        if (id == m_serverId) {
            setStatus(tr("Auditing the configuration…"));
            updateActions();
        }
    });
    connect(&audits, &app::AuditService::auditFinished, this, [this](qint64 id) {
        if (id == m_serverId)
            reload();
    });
    connect(&audits, &app::AuditService::auditFailed, this, [this](qint64 id, const QString &why) {
        if (id != m_serverId)
            return;
        reload();
        setStatus(tr("The audit failed: %1").arg(why));
    });
    connect(&audits, &app::AuditService::fixApplied, this, [this](qint64 id, const QString &findingId) {
        if (id != m_serverId)
            return;
        const engine::FixOutcome o = m_app.audits().lastFixOutcome(id);
        if (o.restartNeeded)
            showFixResult(o.pendingRestart.isEmpty()
                              ? tr("Applied the fix for %1. PostgreSQL must still be restarted for it to take effect.")
                                    .arg(findingId)
                              : tr("Applied the fix for %1. PostgreSQL must still be restarted for it to take effect; "
                                   "waiting for a restart: %2.")
                                    .arg(findingId, o.pendingRestart.join(QStringLiteral(", "))),
                          true);
        else if (o.reloaded)
            showFixResult(tr("Applied the fix for %1; the server reloaded its configuration.").arg(findingId), false);
        else
            showFixResult(tr("Applied the fix for %1.").arg(findingId), false);
    });
    connect(&audits, &app::AuditService::fixFailed, this,
            [this](qint64 id, const QString &findingId, const QString &why) {
                if (id == m_serverId) {
                    showFixResult(tr("The fix for %1 was not applied: %2").arg(findingId, why), true);
                    updateActions();
                }
            });
    connect(&m_app.status(), &app::ServerStatusService::statusChanged, this, [this](qint64 id) {
        if (id == m_serverId)
            maybeAuditOnFirstSight();
    });
    setServer(0);
}

void ConfigurationView::createActions()
{
    auto make = [this](const QString &text, const QString &iconName, const QKeySequence &key, const QString &tip) {
        auto *a = new QAction(icon(iconName), text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut); // only while the Configuration tab has focus
        a->setToolTip(tip + QStringLiteral(" (") + key.toString(QKeySequence::NativeText) + QLatin1Char(')'));
        a->setStatusTip(tip);
        addAction(a);
        return a;
    };
    m_runAction = make(tr("&Run Audit"), QStringLiteral("refresh"), QKeySequence(Qt::CTRL | Qt::Key_R),
                       tr("Audit the server's archive configuration now, as a job"));
    m_applyAction = make(tr("&Apply Fix…"), QStringLiteral("edit"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                         tr("Run the selected finding's SQL on the server, after showing it and asking"));
    m_copyAction = make(tr("&Copy SQL"), QStringLiteral("import"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                        tr("Copy the selected finding's fix SQL to the clipboard"));
    m_runAction->setObjectName(QStringLiteral("runAuditAction"));
    m_applyAction->setObjectName(QStringLiteral("applyFixAction"));
    m_copyAction->setObjectName(QStringLiteral("copySqlAction"));
    m_applyAction->setProperty("defaultToolTip", m_applyAction->toolTip());
    connect(m_runAction, &QAction::triggered, this, &ConfigurationView::runAudit);
    connect(m_applyAction, &QAction::triggered, this, &ConfigurationView::applyFix);
    connect(m_copyAction, &QAction::triggered, this, &ConfigurationView::copySql);
}

void ConfigurationView::setServer(qint64 id)
{
    m_serverId = id;
    m_fixResult->hide();
    m_fixResult->clear();
    reload();
    maybeAuditOnFirstSight();
}

void ConfigurationView::maybeAuditOnFirstSight()
{
    if (!m_serverId || m_app.audits().auditedThisSession(m_serverId) || m_app.audits().isBusy(m_serverId)
        || !m_app.audits().lastError(m_serverId).isEmpty())
        return;
    if (m_app.status().status(m_serverId).state == app::ServerStatus::State::Online)
        runAudit();
}

void ConfigurationView::runAudit()
{
    if (m_serverId)
        m_app.audits().runAudit(m_serverId);
}

void ConfigurationView::reload()
{
    const Finding *current = currentFinding();
    const QString keepId = current ? current->id : QString();
    const QString keepSetting = current ? current->setting : QString();
    const auto latest = m_serverId ? m_app.audits().latest(m_serverId) : std::nullopt;
    if (latest) {
        m_findings->setFindings(latest->record.findings);
        m_settings->setSnapshot(latest->record.snapshot);
        const auto changes = m_app.audits().changes(m_serverId);
        m_changes->setChanges(changes);
        const int changedNow = int(std::count_if(changes.cbegin(), changes.cend(), [&](const app::AuditChange &c) {
            return c.noticedAt == latest->takenAt;
        }));
        int critical = 0, warnings = 0;
        for (const Finding &f : latest->record.findings) {
            critical += f.severity == Severity::Critical;
            warnings += f.severity == Severity::Warning;
        }
        const int n = int(latest->record.findings.size());
        setStatus(tr("Last audit %1: %n finding(s)", nullptr, n).arg(localTimeText(latest->takenAt))
                  + (n ? tr(" (%1 critical, %2 warnings)").arg(critical).arg(warnings) : QString())
                  + (changedNow ? tr("; %n archive setting(s) changed since the previous audit", nullptr, changedNow)
                                : QString()));
        if (!keepId.isEmpty())
            selectFinding(keepId, keepSetting);
    } else {
        m_findings->setFindings({});
        m_settings->clear();
        m_changes->setChanges({});
        setStatus(m_serverId ? tr("Not audited yet. Run Audit (Ctrl+R) reads the archive settings; it changes nothing.")
                             : QString());
    }
    m_findingsView->resizeColumnsToContents();
    m_settingsView->resizeColumnsToContents();
    m_changesView->resizeColumnsToContents();
    updateDetails();
    updateActions();
}

bool ConfigurationView::selectFinding(const QString &id, const QString &setting)
{
    const int row = m_findings->rowOf(id, setting);
    if (row < 0)
        return false;
    const QModelIndex i = m_proxy->mapFromSource(m_findings->index(row, FindingsModel::IdColumn));
    if (!i.isValid())
        return false;
    m_findingsView->setCurrentIndex(i);
    m_findingsView->selectionModel()->select(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

const Finding *ConfigurationView::currentFinding() const
{
    const QModelIndex i = m_findingsView->currentIndex();
    if (!i.isValid())
        return nullptr;
    return m_findings->finding(m_proxy->mapToSource(i).row());
}

void ConfigurationView::updateDetails()
{
    const Finding *f = currentFinding();
    if (!f) {
        m_details->setHtml(m_findings->rowCount()
                               ? tr("<p>Select a finding to see why it matters and how to fix it.</p>")
                               : QString());
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3><p><b>%2</b> · <code>%3</code></p><p>%4</p>")
                       .arg(esc(f->title), esc(severityText(f->severity)), esc(f->id), esc(f->detail));
    html += QStringLiteral("<table>");
    const auto row = [&html](const QString &k, const QString &v) {
        if (!v.isEmpty())
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), esc(v));
    };
    row(tr("Current:"), f->current);
    row(tr("Recommended:"), f->recommended);
    row(tr("About:"), f->setting);
    if (!f->fixSql.isEmpty())
        row(tr("Takes effect after:"), needsText(f->needs));
    html += QStringLiteral("</table>");
    if (f->fixSql.isEmpty()) {
        html += tr("<p>No SQL fixes this; the text above says what to do.</p>");
    } else {
        html += tr("<p><b>Fix:</b></p>") + QStringLiteral("<pre>%1</pre>").arg(esc(f->fixSql));
        if (audit::fixNeedsInput(*f))
            html += tr("<p>Fill in the placeholders (such as &lt;repo&gt;) before running it: copy the SQL, or set "
                       "the server's repository (Edit Server) and audit again.</p>");
    }
    m_details->setHtml(html);
}

void ConfigurationView::updateActions()
{
    const bool busy = m_serverId && m_app.audits().isBusy(m_serverId);
    m_runAction->setEnabled(m_serverId && !busy);
    const Finding *f = currentFinding();
    m_copyAction->setEnabled(f && !f->fixSql.isEmpty());
    QString why;
    if (!f)
        why = tr("Select a finding first.");
    else if (f->fixSql.isEmpty())
        why = tr("This finding has no SQL fix; its details say what to do.");
    else if (audit::fixNeedsInput(*f))
        why = tr("The fix has placeholders such as <repo> to fill in: copy the SQL and complete it, or set the "
                 "server's repository in Edit Server and audit again.");
    else if (busy)
        why = tr("An audit or a fix is running for this server.");
    m_applyAction->setEnabled(why.isEmpty());
    m_applyAction->setToolTip(why.isEmpty() ? m_applyAction->property("defaultToolTip").toString() : why);
}

void ConfigurationView::applyFix()
{
    const Finding *current = currentFinding();
    if (!current || !m_applyAction->isEnabled())
        return;
    const Finding f = *current;
    const qint64 serverId = m_serverId;
    auto entry = m_app.registry().server(serverId);
    if (!entry)
        return;
    QString text = tr("Run this on %1?\n\n%2\n\n").arg(entry->name, f.fixSql);
    text += f.needs == audit::Needs::Restart
        ? tr("pgArchivist then reloads the configuration and audits again. This setting takes effect only after "
             "PostgreSQL is restarted, which pgArchivist leaves to you.")
        : tr("pgArchivist then reloads the configuration and audits again.");
    ask(this, tr("Apply Fix"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
        [this, f, serverId](QMessageBox::StandardButton b) {
            if (b != QMessageBox::Yes || serverId != m_serverId)
                return;
            if (m_app.audits().applyFix(serverId, f))
                showFixResult(tr("Applying the fix for %1…").arg(f.id), false);
            updateActions();
        });
}

void ConfigurationView::copySql()
{
    if (const Finding *f = currentFinding(); f && !f->fixSql.isEmpty()) {
        QGuiApplication::clipboard()->setText(f->fixSql);
        showFixResult(tr("Copied the SQL for %1.").arg(f->id), false);
    }
}

void ConfigurationView::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ConfigurationView::showFixResult(const QString &text, bool problem)
{
    m_fixResult->setText(text);
    m_fixResult->setStyleSheet(problem ? QStringLiteral("background: #fff4ce; color: #3a2e00; padding: 4px;")
                                       : QStringLiteral("padding: 4px;"));
    m_fixResult->show();
}

QString ConfigurationView::statusText() const
{
    return m_status->text();
}
QString ConfigurationView::detailsText() const
{
    return m_details->toPlainText();
}
QString ConfigurationView::fixResultText() const
{
    return m_fixResult->text();
}

} // namespace pga::gui
