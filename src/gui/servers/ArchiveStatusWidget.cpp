#include "ArchiveStatusWidget.h"
#include "core/TimeText.h"

#include "Confirm.h"
#include "app/AppContext.h"
#include "restore/RecoveryTimelineModel.h"
#include "restore/RecoveryTimelineWidget.h"
#include "restore/RestoreWizard.h"
#include "standby/StopBeforeDialog.h"

#include <QHBoxLayout>

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace pga::gui {

namespace {

QString localTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")) : QString();
}

QString ago(const QDateTime &t)
{
    const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 90)
        return ArchiveStatusWidget::tr("%n second(s) ago", nullptr, int(std::max<qint64>(0, s)));
    if (s < 90 * 60)
        return ArchiveStatusWidget::tr("%n minute(s) ago", nullptr, int(s / 60));
    if (s < 48 * 3600)
        return ArchiveStatusWidget::tr("%n hour(s) ago", nullptr, int(s / 3600));
    return ArchiveStatusWidget::tr("%n day(s) ago", nullptr, int(s / 86400));
}

QString bytes(qint64 b)
{
    return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat);
}

// recovery_min_apply_delay as the server shows it ("30s", "10min", "1h", "2d", "500ms") in µs; 0 when not delayed.
qint64 delayUs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+)\\s*(ms|s|min|h|d)?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return 0;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 ms = unit == QLatin1String("s") ? n * 1000 : unit == QLatin1String("min") ? n * 60000 : unit == QLatin1String("h") ? n * 3600000
                      : unit == QLatin1String("d")                                             ? n * 86400000
                                                                                               : n;
    return ms * 1000;
}

} // namespace

ArchiveStatusWidget::ArchiveStatusWidget(app::AppContext &app, QWidget *parent)
    : QGroupBox(tr("WAL archive"), parent), m_app(app), m_form(new QFormLayout),
      m_configure(new QPushButton(tr("Configure &Archiving…"))), m_recover(new QPushButton(tr("&Recover to a Moment…"))),
      m_stopBefore(new QPushButton(tr("Stop &Before…"))),
      m_timelineModel(new RecoveryTimelineModel(this))
{
    setObjectName(QStringLiteral("archiveStatus"));
    addField(QStringLiteral("repository"), tr("Repository:"));
    addField(QStringLiteral("last"), tr("Last archived:"));
    addField(QStringLiteral("lag"), tr("Archive lag:"));
    addField(QStringLiteral("gaps"), tr("Gaps:"));
    addField(QStringLiteral("window"), tr("Recoverable window:"));
    addField(QStringLiteral("receiver"), tr("WAL receiver:"))
        ->setToolTip(tr("pgarchivist-cli wal-receive streaming into this repository: the archive then lags the server by seconds"));
    addField(QStringLiteral("replication"), tr("Replication:"))->setToolTip(tr("This server's standbys and receivers (pg_stat_replication), or its primary"));
    addField(QStringLiteral("rpo"), tr("RPO:"))->setToolTip(tr("What a loss of the server now would lose: the age of the newest archived WAL"));
    addField(QStringLiteral("rto"), tr("RTO to the end of WAL:"))
        ->setToolTip(tr("How long a restore from the newest backup to the end of the archived WAL takes, at this host's measured speeds"));
    m_timeline = new RecoveryTimelineWidget(m_timelineModel, this);
    m_timeline->setMinimumHeight(64);
    m_form->addRow(tr("Timeline:"), m_timeline);
    m_configure->setToolTip(tr("Set archive_command so this server archives its WAL into its repository "
                               "(ALTER SYSTEM and a reload; shows the exact SQL and asks first)"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_configure);
    buttons->addWidget(m_recover);
    buttons->addWidget(m_stopBefore);
    buttons->addStretch();
    m_stopBefore->setObjectName(QStringLiteral("stopBeforeButton"));
    m_stopBefore->setToolTip(tr("This delayed replica has received commits it has not applied yet (the amber band on the timeline): "
                                "promote it just before a blunder among them"));
    m_stopBefore->setVisible(false);
    connect(m_stopBefore, &QPushButton::clicked, this, &ArchiveStatusWidget::openStopBefore);
    layout->addLayout(buttons);
    m_recover->setObjectName(QStringLiteral("recoverButton"));
    m_recover->setToolTip(tr("Point-in-time recovery into a new directory or a scratch instance: pick the moment on the recovery "
                             "timeline (a wizard)"));
    connect(m_configure, &QPushButton::clicked, this, &ArchiveStatusWidget::configureArchiving);
    connect(m_recover, &QPushButton::clicked, this, [this] {
        auto *wizard = new RestoreWizard(m_app, m_serverId, {}, this);
        wizard->setAttribute(Qt::WA_DeleteOnClose);
        wizard->show();
    });
    connect(&m_app.status(), &app::ServerStatusService::statusChanged, this, [this](qint64 id) {
        if (id == m_serverId)
            refresh();
    });
}

QLabel *ArchiveStatusWidget::addField(const QString &key, const QString &label)
{
    auto *value = new QLabel;
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    m_form->addRow(label, value);
    m_fields.insert(key, value);
    return value;
}

QString ArchiveStatusWidget::value(const QString &field) const
{
    const QLabel *l = m_fields.value(field);
    return l ? l->text() : QString();
}

QString ArchiveStatusWidget::repoServerName(const app::ServerEntry &entry) { return app::BackupService::repoServerName(entry); }

void ArchiveStatusWidget::setServer(qint64 id)
{
    m_serverId = id;
    refresh();
}

void ArchiveStatusWidget::refresh()
{
    const quint64 request = ++m_request;
    for (QLabel *l : std::as_const(m_fields))
        l->clear();
    auto entry = m_serverId ? m_app.registry().server(m_serverId) : Result<app::ServerEntry>(Error());
    if (!m_serverId || !entry) {
        m_configure->setEnabled(false);
        m_recover->setEnabled(false);
        return;
    }
    m_configure->setEnabled(!entry->repoDir.isEmpty());
    m_recover->setEnabled(!entry->repoDir.isEmpty());
    if (entry->repoDir.isEmpty()) {
        m_fields[QStringLiteral("repository")]->setText(
            tr("none — set a repository in the server's settings (Server → Edit Server) to archive into it"));
        return;
    }
    m_fields[QStringLiteral("repository")]->setText(
        QStringLiteral("%1 (%2)").arg(entry->repoDir, repoServerName(*entry)));
    m_fields[QStringLiteral("last")]->setText(tr("reading…"));
    m_app.backups().readCatalog(*entry, this, [this, request](const app::BackupService::Catalog &summary) {
        if (request == m_request)  // a newer read started meanwhile: drop this one
            show(summary);
    });
}

void ArchiveStatusWidget::show(const Result<QList<engine::ServerArchiveSummary>> &summary)
{
    if (!summary || summary->isEmpty()) {
        const bool none = !summary && summary.error().code == Error::Code::NotFound;
        m_fields[QStringLiteral("last")]->setText(
            none ? tr("nothing archived yet") : tr("cannot read the repository: %1").arg(summary.error().toString()));
        emit summaryShown();
        return;
    }
    const engine::ServerArchiveSummary &s = summary->first();
    m_timelineModel->setArchive(s, s.restorePoints);
    m_app.restores().readHostRates(this, [this, s, request = m_request](const engine::HostRates &rates) {
        if (request != m_request)
            return;
        const auto rto = app::RestoreService::rtoToEndOfWal(s, rates);
        m_fields[QStringLiteral("rto")]->setText(
            rto ? tr("about %1 (%2 to restore from backup %3, %4 of WAL to replay; %5)")
                      .arg(rto->totalSeconds() < 90 ? tr("%1 s").arg(rto->totalSeconds(), 0, 'f', 0) : tr("%1 min").arg(rto->totalSeconds() / 60, 0, 'f', 1),
                           bytes(rto->restoreBytes), rto->backup, bytes(rto->replayWalBytes), rto->basis)
                : tr("not measured yet: a restore on this host (the restore wizard, or restore --start) measures it"));
    });
    const TimelineSummary *latest = nullptr;
    int gaps = 0;
    QStringList gapNames;
    for (const TimelineSummary &t : s.timelines) {
        if (!latest || t.timeline > latest->timeline)
            latest = &t;
        for (const SegmentGap &g : t.gaps) {
            gaps += int(g.count());
            gapNames << (g.count() == 1 ? g.firstName : QStringLiteral("%1 … %2").arg(g.firstName, g.lastName));
        }
    }
    if (!latest) {
        m_fields[QStringLiteral("last")]->setText(tr("nothing archived yet"));
        emit summaryShown();
        return;
    }
    m_fields[QStringLiteral("last")]->setText(QStringLiteral("%1, %2 (%3)").arg(
        latest->lastArrivedSegment, localTime(latest->lastArrivalUtc), ago(latest->lastArrivalUtc)));
    const bool streaming = s.receiver && s.receiverRunning && s.receiver->connected;
    if (streaming)
        m_fields[QStringLiteral("rpo")]->setText(tr("%1 s: WAL is streamed into the repository (%2 behind the server)")
                                                     .arg(s.receiver->lagSeconds, 0, 'f', 1)
                                                     .arg(bytes(s.receiver->lagBytes())));
    else
        m_fields[QStringLiteral("rpo")]->setText(tr("%1: the newest archived WAL arrived %2").arg(ago(latest->lastArrivalUtc), localTime(latest->lastArrivalUtc)));
    if (!s.receiver)
        m_fields[QStringLiteral("receiver")]->setText(tr("none — 'pgarchivist-cli wal-receive' streams WAL here for an RPO of seconds"));
    else if (streaming)
        m_fields[QStringLiteral("receiver")]->setText(tr("streaming from %1%2, durable to %3 (%4 behind, %5 s)")
                                                          .arg(s.receiver->source,
                                                               s.receiver->slot.isEmpty() ? tr(" without a slot") : tr(", slot %1").arg(s.receiver->slot),
                                                               s.receiver->flushLsn.toString(), bytes(s.receiver->lagBytes()))
                                                          .arg(s.receiver->lagSeconds, 0, 'f', 1));
    else
        m_fields[QStringLiteral("receiver")]->setText(tr("%1 since %2, durable to %3%4")
                                                          .arg(s.receiverRunning ? tr("reconnecting") : tr("stopped"), localTime(s.receiver->updatedUtc),
                                                               s.receiver->flushLsn.toString(),
                                                               s.receiver->lastError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.receiver->lastError)));
    const app::ServerStatus st = m_app.status().status(m_serverId);
    const qint64 delay = st.state == app::ServerStatus::State::Online && st.facts.inRecovery ? delayUs(st.facts.applyDelay) : 0;
    m_stopBefore->setVisible(delay > 0);
    if (delay > 0) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000;
        m_timelineModel->setDelayWindow(latest->timeline, now - delay, now, st.facts.applyDelay);
    } else {
        m_timelineModel->clearDelayWindow();
    }
    if (st.state == app::ServerStatus::State::Online) {
        QStringList parts;
        if (st.facts.inRecovery) {
            QString lag;
            if (st.facts.replayBehindBytes == 0)
                lag = tr(", replay caught up");
            else if (st.facts.replayBehindBytes > 0)
                lag = tr(", replay %1 behind%2")
                          .arg(bytes(st.facts.replayBehindBytes),
                               st.facts.replayBehindSeconds >= 0 ? tr(" (last replayed commit %1 s ago)").arg(st.facts.replayBehindSeconds, 0, 'f', 1) : QString());
            parts << (st.facts.upstream.isEmpty() ? tr("a standby fed from the archive") : tr("a standby of %1").arg(st.facts.upstream))
                         + (st.facts.applyDelay.isEmpty() || st.facts.applyDelay == QLatin1String("0") ? QString() : tr(", delayed by %1").arg(st.facts.applyDelay))
                         + lag;
        }
        for (const pg::ReplicaState &r : st.facts.replicas) {
            const qint64 behind = st.facts.currentLsn > r.replayLsn && r.replayLsn.isValid() ? qint64(st.facts.currentLsn.value() - r.replayLsn.value()) : 0;
            parts << tr("%1 from %2: %3, %4, replay %5 behind%6")
                         .arg(r.applicationName.isEmpty() ? tr("(unnamed)") : r.applicationName, r.client, r.state, r.syncState, bytes(behind),
                              r.replayLagSeconds >= 0 ? tr(" (%1 s)").arg(r.replayLagSeconds, 0, 'f', 1) : QString());
        }
        m_fields[QStringLiteral("replication")]->setText(parts.isEmpty() ? tr("no standbys") : parts.join(QStringLiteral("; ")));
    }
    if (st.state == app::ServerStatus::State::Online && st.facts.currentLsn.isValid() && latest->lastLsn.isValid()) {
        const qint64 behind = qint64(st.facts.currentLsn.value()) - qint64(latest->lastLsn.value());
        m_fields[QStringLiteral("lag")]->setText(
            behind > 0 ? tr("%1 of WAL not yet archived (server at %2, archive up to %3)")
                             .arg(bytes(behind), st.facts.currentLsn.toString(), latest->lastLsn.toString())
                       : tr("none: the archive holds everything up to the server's current WAL position"));
    }
    m_fields[QStringLiteral("gaps")]->setText(gaps == 0 ? tr("none")
                                                        : tr("%n missing segment(s): %1", nullptr, gaps)
                                                              .arg(gapNames.join(QStringLiteral(", "))));
    if (latest->window)
        m_fields[QStringLiteral("window")]->setText(tr("from %1 to %2 (LSN %3 to %4)")
                                                        .arg(timestampText(latest->window->fromTimeUtc.toLocalTime()),
                                                             // to the µs: typed back as a target, it keeps the last commit
                                                             latest->window->toTimeUs ? localTimestampText(*latest->window->toTimeUs)
                                                                                      : timestampText(latest->window->toTimeUtc.toLocalTime()),
                                                             latest->window->fromLsn.toString(),
                                                             latest->window->toLsn.toString()));
    else
        m_fields[QStringLiteral("window")]->setText(tr("none yet: take a base backup to start one"));
    emit summaryShown();
}

StopBeforeDialog *ArchiveStatusWidget::openStopBefore()
{
    auto entry = m_app.registry().server(m_serverId);
    if (!entry)
        return nullptr;
    // The moment proposed: where the cursor is when it lies in the delay window, else the window's middle.
    qint64 at = m_timeline->cursorUs();
    for (const RecoveryTimelineModel::Item &i : m_timelineModel->items())
        if (i.kind == RecoveryTimelineModel::Kind::DelayWindow && (at < i.startUs || at > i.endUs))
            at = (i.startUs + i.endUs) / 2;
    auto *d = new StopBeforeDialog(m_app, *entry, at, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &StopBeforeDialog::runFinished, this, [this, id = entry->id] { m_app.status().refresh(id); });
    d->open();
    return d;
}

void ArchiveStatusWidget::configureArchiving()
{
    auto entry = m_app.registry().server(m_serverId);
    if (!entry || entry->repoDir.isEmpty())
        return;
    // Step 1, a job: read the settings and work out the exact SQL. Step 2: ask. Step 3, a job: apply it.
    m_app.archiving().plan(*entry, this, [this, e = *entry](const app::JobInfo &info, const engine::ArchivingPlan &plan) {
        if (info.state != app::JobInfo::State::Succeeded)
            return;
        if (plan.statements.isEmpty()) {
            emit archivingConfigured(false);
            return;
        }
        QString text = tr("Run this on %1?\n\n%2;\nSELECT pg_reload_conf();").arg(e.name, plan.statements.join(QStringLiteral(";\n")));
        if (plan.needsRestart)
            text += QStringLiteral("\n\n") + tr("wal_level and archive_mode take effect only after a restart of the server.");
        ask(this, tr("Configure Archiving"), text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
            [this, e, plan](QMessageBox::StandardButton b) {
                if (b != QMessageBox::Yes)
                    return;
                m_app.archiving().apply(e, plan, this, [this](const app::JobInfo &done, const engine::ArchivingOutcome &outcome) {
                    if (done.state == app::JobInfo::State::Succeeded)
                        emit archivingConfigured(outcome.restartNeeded);
                    refresh();
                });
            });
    });
}

} // namespace pga::gui
