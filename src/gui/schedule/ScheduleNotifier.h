#pragma once

#include "app/JobRunner.h"

#include <QObject>

class QSystemTrayIcon;

namespace pga::app {
class Scheduler;
}

namespace pga::gui {

// Tells the DBA when a scheduled task fails: a desktop notification (the tray's message, where there is a tray),
// and the text for the window's status bar (notified). The tree's badge and the calendar's red day come from the
// job history itself.
class ScheduleNotifier : public QObject {
    Q_OBJECT
public:
    ScheduleNotifier(app::Scheduler &scheduler, QObject *parent = nullptr);
    QString lastMessage() const { return m_last; }

signals:
    void notified(const QString &title, const QString &text);

private:
    void taskFinished(qint64 taskId, const app::JobInfo &info);

    QSystemTrayIcon *m_tray = nullptr;
    QString m_last;
};

} // namespace pga::gui
