#include "CalendarView.h"

#include "CalendarModel.h"
#include "Icons.h"
#include "app/AppContext.h"
#include "app/ScheduleStore.h"
#include "core/CalendarSpec.h"
#include "engine/WalHistory.h"
#include "repo/Repository.h"
#include "repo/WalArchive.h"
#include "restore/RestoreWizard.h"

#include <QCheckBox>
#include <QDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace pga::gui {

namespace {

// Paints a day from the model's roles: the number, a background for recoverability, a red frame for a failure,
// filled dots for backups (red: failed), hollow dots for planned runs, V for verifies, D for drills, a struck
// mark for expiring backups, a zigzag for a WAL gap.
class DayDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        using R = CalendarModel::Role;
        p->save();
        const QRect r = option.rect.adjusted(1, 1, -1, -1);
        const int rec = index.data(R::RecoverableRole).toInt();
        const bool inMonth = index.data(R::InMonthRole).toBool();
        QColor bg = rec == 2 ? QColor(0xdf, 0xf0, 0xd8) : rec == 1 ? QColor(0xf3, 0xf7, 0xe6) : option.palette.base().color();
        if (!inMonth)
            bg = bg.darker(106);
        p->fillRect(r, bg);
        if (option.state & QStyle::State_Selected)
            p->fillRect(r, QColor(0x33, 0x67, 0x91, 60));
        if (index.data(R::FailedRole).toBool()) {
            p->setPen(QPen(QColor(0xc0, 0x1c, 0x28), 2));
            p->drawRect(r.adjusted(1, 1, -1, -1));
        } else if (index.data(R::TodayRole).toBool()) {
            p->setPen(QPen(QColor(0x33, 0x67, 0x91), 2));
            p->drawRect(r.adjusted(1, 1, -1, -1));
        }
        QFont f = option.font;
        f.setBold(index.data(R::TodayRole).toBool());
        p->setFont(f);
        p->setPen(inMonth ? option.palette.text().color() : option.palette.placeholderText().color());
        p->drawText(r.adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignLeft, index.data(Qt::DisplayRole).toString());
        int x = r.left() + 5;
        const int y = r.bottom() - 12;
        const auto dots = [&](int n, const QColor &c, bool hollow) {
            for (int i = 0; i < std::min(n, 4); ++i, x += 11) {
                p->setPen(QPen(c, 1.5));
                p->setBrush(hollow ? Qt::NoBrush : QBrush(c));
                p->drawEllipse(QRect(x, y, 8, 8));
            }
        };
        p->setRenderHint(QPainter::Antialiasing);
        dots(index.data(R::BackupsRole).toInt(), QColor(0x2e, 0x7d, 0x32), false);
        dots(index.data(R::BackupsFailedRole).toInt(), QColor(0xc0, 0x1c, 0x28), false);
        dots(index.data(R::PlannedRole).toInt(), QColor(0x33, 0x67, 0x91), true);
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.8);
        small.setBold(true);
        p->setFont(small);
        QStringList letters;
        if (index.data(R::VerifiesRole).toInt())
            letters << QStringLiteral("V");
        if (index.data(R::DrillsRole).toInt())
            letters << QStringLiteral("D");
        if (index.data(R::ExpiringRole).toInt())
            letters << QStringLiteral("✕");
        if (index.data(R::GapRole).toBool())
            letters << QStringLiteral("⚡");
        p->setPen(option.palette.text().color());
        p->drawText(r.adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignRight, letters.join(QLatin1Char(' ')));
        p->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const override { return {90, 58}; }
};

QString legendText()
{
    return CalendarView::tr("<span style='color:#2e7d32'>●</span> backup &nbsp; <span style='color:#c01c28'>●</span> failed &nbsp; "
                            "<span style='color:#336791'>○</span> planned &nbsp; <b>V</b> verify &nbsp; <b>D</b> drill &nbsp; "
                            "<b>✕</b> expires under the retention &nbsp; <b>⚡</b> WAL gap &nbsp; "
                            "<span style='background:#dff0d8'>&nbsp;green&nbsp;</span> recoverable all day &nbsp; "
                            "<span style='color:#c01c28'>red frame</span>: something failed");
}

struct Gathered {
    QList<engine::BackupListing> backups;
    QHash<QString, QString> backupServer;
    QList<QPair<QDateTime, QDateTime>> windows;
    QList<QDateTime> gapTimes;
};

Gathered gather(const QList<app::ServerEntry> &servers, bool named)
{
    Gathered g;
    for (const app::ServerEntry &e : servers) {
        if (e.repoDir.isEmpty())
            continue;
        const QString name = e.repoServer.isEmpty() ? e.name : e.repoServer;
        auto s = engine::archiveSummary(e.repoDir, name);
        if (s && !s->isEmpty()) {
            for (const engine::BackupListing &b : s->first().backupList + s->first().dumpList) {
                g.backups << b;
                if (named)
                    g.backupServer.insert(b.id, e.name);
            }
            for (const TimelineSummary &t : s->first().timelines)
                if (t.window && t.window->fromTimeUtc.isValid() && t.window->toTimeUtc.isValid())
                    g.windows << qMakePair(t.window->fromTimeUtc, t.window->toTimeUtc);
        }
        if (auto repo = repo::Repository::open(e.repoDir)) {
            CancelToken never;
            if (auto h = engine::readWalHistory(repo::WalArchive(*repo, name), never))
                g.gapTimes << h->gapTimes;
        }
    }
    return g;
}

} // namespace

CalendarView::CalendarView(app::AppContext &app, QWidget *parent)
    : QWidget(parent), m_app(app), m_model(new CalendarModel(this)), m_dayModel(new DayEventsModel(this)), m_grid(new QTableView),
      m_events(new QListView), m_title(new QLabel), m_dayTitle(new QLabel), m_allServers(new QCheckBox(tr("&All servers")))
{
    setObjectName(QStringLiteral("calendarView"));
    m_grid->setObjectName(QStringLiteral("calendarGrid"));
    m_grid->setModel(m_model);
    m_grid->setItemDelegate(new DayDelegate(m_grid));
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->verticalHeader()->hide();
    m_grid->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_grid->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_grid->setAccessibleName(tr("Backup calendar"));
    m_grid->installEventFilter(this);
    m_events->setObjectName(QStringLiteral("dayEvents"));
    m_events->setModel(m_dayModel);
    m_events->setWordWrap(true);
    m_events->setEditTriggers(QAbstractItemView::NoEditTriggers);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.2);
    m_title->setFont(tf);
    m_title->setObjectName(QStringLiteral("monthTitle"));
    m_dayTitle->setObjectName(QStringLiteral("dayTitle"));
    m_dayTitle->setWordWrap(true);

    auto *prev = new QPushButton(tr("◀"));
    prev->setToolTip(tr("Previous month (Page Up)"));
    prev->setAccessibleName(tr("Previous month"));
    auto *next = new QPushButton(tr("▶"));
    next->setToolTip(tr("Next month (Page Down)"));
    next->setAccessibleName(tr("Next month"));
    auto *today = new QPushButton(tr("&Today"));
    today->setToolTip(tr("This month, today selected (Home)"));
    m_allServers->setToolTip(tr("Show every registered server's backups, runs and plans in one calendar"));
    m_log = new QPushButton(tr("Open Job &Log…"));
    m_log->setObjectName(QStringLiteral("openLog"));
    m_restore = new QPushButton(icon(QStringLiteral("restore")), tr("&Restore to This Day…"));
    m_restore->setObjectName(QStringLiteral("restoreToDay"));
    m_restore->setToolTip(tr("Open the restore wizard at the latest recoverable moment of the selected day"));
    connect(prev, &QPushButton::clicked, this, [this] { showMonth(m_model->month().addMonths(-1)); });
    connect(next, &QPushButton::clicked, this, [this] { showMonth(m_model->month().addMonths(1)); });
    connect(today, &QPushButton::clicked, this, [this] {
        showMonth(QDate::currentDate());
        selectDay(QDate::currentDate());
    });
    connect(m_allServers, &QCheckBox::toggled, this, &CalendarView::setAllServers);
    connect(m_log, &QPushButton::clicked, this, &CalendarView::openSelectedJobLog);
    connect(m_restore, &QPushButton::clicked, this, [this] { restoreToSelectedDay(); });
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, &CalendarView::daySelected);
    connect(m_events->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        m_log->setEnabled(m_events->currentIndex().data(DayEventsModel::JobIdRole).toLongLong() > 0);
    });
    connect(m_events, &QListView::doubleClicked, this, &CalendarView::openSelectedJobLog);
    connect(&m_app.scheduler(), &app::Scheduler::taskFinished, this, &CalendarView::reload);
    connect(&m_app.scheduler(), &app::Scheduler::historyChanged, this, [this] {
        if (isVisible())
            reload();
    });

    auto *head = new QHBoxLayout;
    head->addWidget(prev);
    head->addWidget(m_title, 1, Qt::AlignCenter);
    head->addWidget(next);
    head->addWidget(today);
    head->addWidget(m_allServers);
    auto *legend = new QLabel(legendText());
    legend->setObjectName(QStringLiteral("legend"));
    legend->setWordWrap(true);
    auto *left = new QVBoxLayout;
    left->addLayout(head);
    left->addWidget(m_grid, 1);
    left->addWidget(legend);
    auto *dayButtons = new QHBoxLayout;
    dayButtons->addWidget(m_log);
    dayButtons->addWidget(m_restore);
    auto *right = new QVBoxLayout;
    right->addWidget(m_dayTitle);
    right->addWidget(m_events, 1);
    right->addLayout(dayButtons);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(right, 1);
    showMonth(QDate::currentDate());
}

void CalendarView::setServer(const app::ServerEntry &e)
{
    m_server = e;
    if (!m_policyFromWhatIf) {
        m_policy = {};
        for (const app::ScheduledTask &t : app::ScheduleStore(m_app.registry()).tasks(e.id))
            if (t.kind == QLatin1String("expire") && t.enabled)
                m_policy = {t.retainFull > 0 ? t.retainFull : -1, t.retainDays > 0 ? t.retainDays : -1};
    }
    reload();
}

void CalendarView::setAllServers(bool all)
{
    if (m_allServers->isChecked() != all)
        m_allServers->setChecked(all);  // comes back here through toggled
    else if (m_all != all) {
        m_all = all;
        reload();
    }
}

void CalendarView::setRetention(const engine::RetentionPolicy &p)
{
    m_policy = p;
    m_policyFromWhatIf = true;
    applyRetention();
}

void CalendarView::applyRetention()
{
    QList<engine::BackupAge> ages;
    for (const engine::BackupListing &b : m_model->calendarData().backups)
        ages << engine::BackupAge{b.id, b.stopTimeUtc};
    QSet<QString> expiring;
    if (m_policy.isSet() && !m_all) {
        const QSet<QString> kept = engine::keptBackups(ages, m_policy, QDateTime::currentDateTimeUtc());
        for (const engine::BackupAge &a : std::as_const(ages))
            if (!kept.contains(a.id))
                expiring << a.id;
    }
    m_model->setExpiring(expiring);
    daySelected();
}

void CalendarView::reload()
{
    const int generation = ++m_generation;
    const QList<app::ServerEntry> servers = m_all ? m_app.registry().servers()
                                                  : (m_server.id ? QList<app::ServerEntry>{m_server} : QList<app::ServerEntry>());
    const qint64 serverFilter = m_all ? 0 : m_server.id;
    CalendarData base;
    const QDateTime from = m_model->firstDay().startOfDay().toUTC().addDays(-1), to = m_model->lastDay().addDays(2).startOfDay().toUTC();
    if (m_all || m_server.id) {
        app::ScheduleStore store(m_app.registry());
        base.jobs = store.runsBetween(from, to, serverFilter);
        QHash<qint64, QString> names;
        for (const app::ServerEntry &e : servers)
            names.insert(e.id, e.name);
        if (m_all)
            base.serverNames = names;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const app::ScheduledTask &t : store.tasks(serverFilter)) {
            auto spec = CalendarSpec::parse(t.calendar);
            if (!t.enabled || !spec)
                continue;
            // At most 1500 runs a task (a minutely one then shows its next day), so the grid stays quick to fill.
            int runs = 0;
            for (QDateTime n = spec->next(std::max(now, from)); n.isValid() && n < to && runs < 1500; n = spec->next(n), ++runs)
                base.planned << qMakePair(n, m_all ? QStringLiteral("%1: %2").arg(names.value(t.serverId), t.describe()) : t.describe());
        }
    }
    auto *watcher = new QFutureWatcher<Gathered>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, base] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Gathered g = watcher->result();
        CalendarData d = base;
        d.backups = g.backups;
        d.backupServer = g.backupServer;
        d.windows = g.windows;
        d.gapTimes = g.gapTimes;
        QDate selected = selectedDay();
        m_model->setData(d);
        applyRetention();
        // Keep the day the DBA looked at; else today if this month shows it, else the month's first day. Never move
        // to another month from here: the DBA may have just paged to this one.
        if (!selected.isValid() || !m_model->indexOf(selected).isValid())
            selected = m_model->indexOf(QDate::currentDate()).isValid() && QDate::currentDate().month() == m_model->month().month()
                ? QDate::currentDate()
                : m_model->month();
        m_grid->setCurrentIndex(m_model->indexOf(selected));
        daySelected();
        emit loaded();
    });
    watcher->setFuture(QtConcurrent::run(&gather, servers, m_all));
}

void CalendarView::showMonth(const QDate &month)
{
    if (QDate(month.year(), month.month(), 1) != m_model->month())
        m_model->setMonth(month);
    m_title->setText(QLocale().toString(m_model->month(), QStringLiteral("MMMM yyyy")));
    reload();
}

QDate CalendarView::selectedDay() const { return m_model->dateAt(m_grid->currentIndex()); }

void CalendarView::selectDay(const QDate &day)
{
    if (!day.isValid())
        return;
    if (!m_model->indexOf(day).isValid()) {
        showMonth(day);
    }
    m_grid->setCurrentIndex(m_model->indexOf(day));
    daySelected();
}

void CalendarView::daySelected()
{
    const QDate day = selectedDay();
    m_dayModel->setEvents(day.isValid() ? m_model->events(day) : QList<CalendarEvent>());
    const int rec = day.isValid() ? m_model->index(m_grid->currentIndex().row(), m_grid->currentIndex().column()).data(CalendarModel::RecoverableRole).toInt() : 0;
    m_dayTitle->setText(day.isValid() ? tr("%1 (%2): %3").arg(QLocale().toString(day, QLocale::LongFormat), QString::fromUtf8(QTimeZone::systemTimeZoneId()),
                                                             rec == 2 ? tr("recoverable all day") : rec == 1 ? tr("recoverable part of the day")
                                                                                                              : tr("not recoverable"))
                                      : QString());
    m_restore->setEnabled(!m_all && day.isValid() && m_model->latestRecoverable(day).has_value());
    m_log->setEnabled(false);
}

bool CalendarView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_grid && event->type() == QEvent::KeyPress) {
        const auto *k = static_cast<QKeyEvent *>(event);
        const QDate day = selectedDay().isValid() ? selectedDay() : QDate::currentDate();
        if (k->key() == Qt::Key_PageUp || k->key() == Qt::Key_PageDown) {
            const QDate target = day.addMonths(k->key() == Qt::Key_PageUp ? -1 : 1);
            showMonth(target);
            selectDay(target);
            return true;
        }
        if (k->key() == Qt::Key_Home) {
            showMonth(QDate::currentDate());
            selectDay(QDate::currentDate());
            return true;
        }
        if (k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) {
            m_events->setFocus();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

RestoreWizard *CalendarView::restoreToSelectedDay()
{
    const auto us = m_model->latestRecoverable(selectedDay());
    if (!us || m_all || !m_server.id)
        return nullptr;
    auto *wizard = new RestoreWizard(m_app, m_server.id, QString(), this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->presetTime(*us);
    wizard->show();
    return wizard;
}

void CalendarView::openSelectedJobLog()
{
    const qint64 id = m_events->currentIndex().data(DayEventsModel::JobIdRole).toLongLong();
    if (id <= 0)
        return;
    auto found = m_app.registry().jobRecord(id);
    if (!found)
        return;
    const app::JobRecord record = *found;
    auto *d = new QDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setObjectName(QStringLiteral("jobLog"));
    d->setWindowTitle(tr("Job Log: %1").arg(record.title));
    auto *text = new QPlainTextEdit(tr("%1, %2 → %3\n%4\n\n%5").arg(record.state, record.startedAt.toLocalTime().toString(Qt::ISODate),
                                                                      record.finishedAt.toLocalTime().toString(Qt::ISODate), record.message, record.log));
    text->setReadOnly(true);
    auto *close = new QPushButton(tr("&Close"));
    connect(close, &QPushButton::clicked, d, &QDialog::accept);
    auto *l = new QVBoxLayout(d);
    l->addWidget(text);
    l->addWidget(close, 0, Qt::AlignRight);
    d->resize(700, 420);
    d->open();
}

} // namespace pga::gui
