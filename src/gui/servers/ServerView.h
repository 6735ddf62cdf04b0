#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;
class QTabWidget;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class ArchiveStatusWidget;
class ConfigurationView;
class BackupsView;
class CalendarView;
class WalView;
class BlundersView;

// The selected server, in views: Overview, Configuration (the audit), Backups, Calendar and WAL.
class ServerView : public QWidget {
    Q_OBJECT
public:
    explicit ServerView(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(qint64 id);
    qint64 server() const { return m_serverId; }
    QTabWidget *tabs() const { return m_tabs; }
    ArchiveStatusWidget *archiveStatus() const { return m_archive; }
    ConfigurationView *configurationView() const { return m_configuration; }
    BackupsView *backups() const { return m_backups; }
    CalendarView *calendar() const { return m_calendar; }
    WalView *wal() const { return m_wal; }
    BlundersView *blunders() const { return m_blunders; }
    // The Overview's text for one field ("status", "version", ...), for tests and accessibility.
    QString overviewValue(const QString &field) const;

private:
    void refresh();
    void loadVisibleTab();
    QLabel *addField(const QString &key, const QString &label);

    app::AppContext &m_app;
    qint64 m_serverId = 0;
    QTabWidget *m_tabs;
    QLabel *m_title;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_fields;
    ArchiveStatusWidget *m_archive;
    ConfigurationView *m_configuration;
    BackupsView *m_backups;
    CalendarView *m_calendar;
    WalView *m_wal;
    BlundersView *m_blunders;
    qint64 m_calendarFor = -1, m_walFor = -1, m_blundersFor = -1;
};

} // namespace pga::gui
