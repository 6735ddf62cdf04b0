// The restore wizard's first page: the recovery target, on the timeline or typed exactly, checked as it changes.
#include "RestoreWizard.h"

#include "RecoveryTimelineModel.h"
#include "RecoveryTimelineWidget.h"
#include "RestoreWizardText.h"
#include "app/AppContext.h"
#include "core/TimeText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QTimeZone>
#include <QVBoxLayout>

namespace pga::gui {

using Kind = engine::RecoveryTarget::Kind;
using wizardtext::dataSize;
using wizardtext::seconds;

// ---- 1. Target

TargetPage::TargetPage(RestoreWizard *wizard)
    : QWizardPage(wizard), m_wizard(wizard), m_timeline(new RecoveryTimelineWidget(wizard->timelineModel(), this)), m_kind(new QComboBox(this)),
      m_time(new QLineEdit(this)), m_points(new QComboBox(this)), m_xid(new QLineEdit(this)), m_lsn(new QLineEdit(this)),
      m_exclusive(new QCheckBox(tr("Stop just &before the target (exclusive)"), this)), m_timelineChoice(new QComboBox(this)),
      m_verdict(new QLabel(this)), m_debounce(new QTimer(this))
{
    setTitle(tr("Recover to which moment?"));
    setSubTitle(tr("Pick a moment on the timeline, or name the target exactly. The archive is checked as you choose."));
    m_kind->setObjectName(QStringLiteral("targetKind"));
    m_kind->addItem(tr("The end of the archived WAL"), int(Kind::EndOfWal));
    m_kind->addItem(tr("A moment in time"), int(Kind::Time));
    m_kind->addItem(tr("A restore point"), int(Kind::Name));
    m_kind->addItem(tr("A transaction (xid)"), int(Kind::Xid));
    m_kind->addItem(tr("A WAL position (LSN)"), int(Kind::Lsn));
    m_kind->addItem(tr("The earliest consistent moment (end of the backup)"), int(Kind::Immediate));
    m_time->setObjectName(QStringLiteral("targetTime"));
    m_time->setPlaceholderText(QStringLiteral("2026-12-01 09:21:13.253117+01:00"));
    m_time->setToolTip(tr("With its zone, as psql prints it; microseconds are kept. Without a zone: %1.")
                           .arg(QString::fromUtf8(QTimeZone::systemTimeZoneId())));
    m_points->setObjectName(QStringLiteral("targetRestorePoint"));
    m_xid->setObjectName(QStringLiteral("targetXid"));
    m_xid->setPlaceholderText(tr("e.g. 4711, or pg_current_xact_id() with its epoch"));
    m_lsn->setObjectName(QStringLiteral("targetLsn"));
    m_lsn->setPlaceholderText(QStringLiteral("0/3000060"));
    m_timelineChoice->setObjectName(QStringLiteral("targetTimeline"));
    m_timelineChoice->addItem(tr("latest (follow timeline switches)"), QStringLiteral("latest"));
    m_timelineChoice->addItem(tr("current (the backup's timeline)"), QStringLiteral("current"));
    m_verdict->setObjectName(QStringLiteral("targetVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto *form = new QFormLayout;
    form->addRow(tr("Recover &to:"), m_kind);
    form->addRow(tr("T&ime:"), m_time);
    form->addRow(tr("&Restore point:"), m_points);
    form->addRow(tr("Tr&ansaction:"), m_xid);
    form->addRow(tr("&LSN:"), m_lsn);
    form->addRow(QString(), m_exclusive);
    form->addRow(tr("Time&line:"), m_timelineChoice);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_timeline);
    layout->addLayout(form);
    layout->addWidget(m_verdict);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_points, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_timelineChoice, &QComboBox::currentIndexChanged, this, &TargetPage::changed);
    connect(m_exclusive, &QCheckBox::toggled, this, &TargetPage::changed);
    for (QLineEdit *e : {m_time, m_xid, m_lsn})
        connect(e, &QLineEdit::textEdited, this, &TargetPage::changed);
    connect(m_debounce, &QTimer::timeout, this, &TargetPage::check);
    connect(m_timeline, &RecoveryTimelineWidget::momentPicked, this, [this](qint64 us, quint32) { presetTime(us); });
    load();
    changed();
}

void TargetPage::presetTime(qint64 us)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Time)));
    m_time->setText(localTimestampText(us));
    changed();
}

void TargetPage::presetXid(quint32 xid, bool exclusive)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Xid)));
    m_xid->setText(QString::number(xid));
    m_exclusive->setChecked(exclusive);
    changed();
}

void TargetPage::presetLsn(const QString &lsn, bool exclusive)
{
    m_kind->setCurrentIndex(m_kind->findData(int(Kind::Lsn)));
    m_lsn->setText(lsn);
    m_exclusive->setChecked(exclusive);
    changed();
}

void RestoreWizard::presetLsn(const QString &lsn, bool exclusive)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetLsn(lsn, exclusive);
}

void RestoreWizard::presetXid(quint32 xid, bool exclusive)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetXid(xid, exclusive);
}

void RestoreWizard::presetTime(qint64 us)
{
    if (auto *p = qobject_cast<TargetPage *>(page(TargetPageId)))
        p->presetTime(us);
}

void TargetPage::load()
{
    const app::ServerEntry &e = m_wizard->source();
    if (e.repoDir.isEmpty())
        return;
    auto summary = std::make_shared<std::optional<engine::ServerArchiveSummary>>();
    auto points = std::make_shared<QList<engine::ArchivedRestorePoint>>();
    auto both = std::make_shared<int>(0);
    auto show = [this, summary, points, both] {
        if (++*both < 2)
            return;
        if (*summary)
            m_wizard->timelineModel()->setArchive(**summary, *points);
        for (quint32 tl : m_wizard->timelineModel()->timelines())
            if (m_timelineChoice->findData(QString::number(tl)) < 0)
                m_timelineChoice->addItem(tr("timeline %1").arg(tl), QString::number(tl));
    };
    m_wizard->appContext().backups().readCatalog(e, this, [summary, show](const app::BackupService::Catalog &c) {
        if (c && !c->isEmpty())
            *summary = c->first();
        show();
    });
    m_wizard->appContext().restores().readRestorePoints(e, this, [this, points, show](const Result<QList<engine::ArchivedRestorePoint>> &r) {
        if (r) {
            *points = *r;
            for (const engine::ArchivedRestorePoint &p : *r)
                m_points->addItem(QStringLiteral("%1 — %2 (timeline %3)").arg(p.point.name, localTimestampText(p.point.timeUs)).arg(p.timeline),
                                  p.point.name);
        }
        show();
    });
}

void TargetPage::changed()
{
    const auto kind = Kind(m_kind->currentData().toInt());
    m_time->setEnabled(kind == Kind::Time);
    m_points->setEnabled(kind == Kind::Name);
    m_xid->setEnabled(kind == Kind::Xid);
    m_lsn->setEnabled(kind == Kind::Lsn);
    m_exclusive->setEnabled(kind == Kind::Time || kind == Kind::Xid || kind == Kind::Lsn || kind == Kind::Name);
    m_ok = false;
    ++m_request;  // a check under way is for the old choice
    m_verdict->setText(tr("Checking the archive…"));
    emit completeChanged();
    m_debounce->start();
}

void TargetPage::check()
{
    engine::RecoveryTarget t;
    t.kind = Kind(m_kind->currentData().toInt());
    t.exclusive = m_exclusive->isEnabled() && m_exclusive->isChecked();
    t.timeline = m_timelineChoice->currentData().toString();
    QString bad;
    switch (t.kind) {
    case Kind::Time:
        t.time = engine::RecoveryTarget::parseTime(m_time->text(), &t.timeMicros);
        if (!t.time.isValid())
            bad = tr("Type a time with its zone, like %1.").arg(localTimestampText(QDateTime::currentMSecsSinceEpoch() * 1000));
        break;
    case Kind::Name:
        t.text = m_points->currentData().toString();
        if (t.text.isEmpty())
            bad = tr("The archive has no restore point; make one with SELECT pg_create_restore_point('name').");
        break;
    case Kind::Xid:
        t.text = m_xid->text().trimmed();
        if (!engine::parseTargetXid(t.text))
            bad = tr("Type a transaction ID (a number of 3 or more).");
        break;
    case Kind::Lsn:
        if (auto l = Lsn::parse(m_lsn->text().trimmed()))
            t.lsn = *l;
        else
            bad = tr("Type an LSN like 0/3000060.");
        break;
    default:
        break;
    }
    if (!bad.isEmpty()) {
        m_verdict->setText(bad);
        emit verdictChanged();
        return;
    }
    m_wizard->target = t;
    const quint64 request = ++m_request;
    m_wizard->appContext().restores().estimate(m_wizard->request(), this, [this, request](const app::JobInfo &job, const engine::RtoEstimate &e) {
        if (request != m_request)
            return;  // the choice changed meanwhile
        m_ok = job.state == app::JobInfo::State::Succeeded;
        if (m_ok) {
            m_wizard->estimate = e;
            m_verdict->setText(tr("Reachable: from backup %1, %2 to restore and %3 of WAL to replay, about %4.")
                                   .arg(e.backup, dataSize(e.restoreBytes), dataSize(e.replayWalBytes), seconds(e.totalSeconds())));
        } else {
            m_wizard->estimate.reset();
            m_verdict->setText(tr("Cannot recover to this target: %1").arg(job.error.message));
        }
        emit completeChanged();
        emit verdictChanged();
    });
}

bool TargetPage::isComplete() const { return m_ok; }
QString TargetPage::verdict() const { return m_verdict->text(); }

} // namespace pga::gui
