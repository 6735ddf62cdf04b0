#include "ScheduleNotifier.h"

#include "app/Scheduler.h"

#include <QApplication>
#include <QSystemTrayIcon>

namespace pga::gui {

ScheduleNotifier::ScheduleNotifier(app::Scheduler &scheduler, QObject *parent) : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("pgArchivist"));
    }
    connect(&scheduler, &app::Scheduler::taskFinished, this, &ScheduleNotifier::taskFinished);
}

void ScheduleNotifier::taskFinished(qint64 taskId, const app::JobInfo &info)
{
    if (info.state != app::JobInfo::State::Failed)
        return;
    const QString title = tr("Scheduled task failed: %1").arg(info.title);
    m_last = tr("%1 (task %2): %3").arg(title).arg(taskId).arg(info.error.toString());
    if (m_tray) {
        m_tray->show();
        m_tray->showMessage(title, info.error.message, QSystemTrayIcon::Critical, 15000);
    }
    emit notified(title, m_last);
}

} // namespace pga::gui
