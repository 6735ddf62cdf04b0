#pragma once

#include "engine/RepoInfo.h"

#include <QGroupBox>
#include <QHash>

class QFormLayout;
class QLabel;
class QPushButton;

namespace pga::app {
class AppContext;
struct ServerEntry;
}

namespace pga::gui {

class RecoveryTimelineModel;
class StopBeforeDialog;
class RecoveryTimelineWidget;

// The Overview's archive section: where the server's WAL goes, the last archived segment and when it
// arrived, how far the archive lags, gaps, and the recoverable window. Offers to point archive_command
// at the server's repository. The repository is read on a worker thread; the GUI never waits on disk.
class ArchiveStatusWidget : public QGroupBox {
    Q_OBJECT
public:
    explicit ArchiveStatusWidget(app::AppContext &app, QWidget *parent = nullptr);

    void setServer(qint64 id);
    void refresh();
    QString value(const QString &field) const;
    QPushButton *configureButton() const { return m_configure; }
    QPushButton *stopBeforeButton() const { return m_stopBefore; }
    RecoveryTimelineModel *timelineModel() const { return m_timelineModel; }
    // "Stop Before…" for a delayed replica (the button's action); nullptr when the server is none.
    StopBeforeDialog *openStopBefore();

    // The name the server has inside its repository (the registry's, unless set apart).
    static QString repoServerName(const app::ServerEntry &entry);

signals:
    void summaryShown();
    void archivingConfigured(bool restartNeeded);

private:
    void show(const Result<QList<engine::ServerArchiveSummary>> &summary);
    void configureArchiving();
    QLabel *addField(const QString &key, const QString &label);

    app::AppContext &m_app;
    qint64 m_serverId = 0;
    quint64 m_request = 0;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_fields;
    QPushButton *m_configure;
    QPushButton *m_recover;
    QPushButton *m_stopBefore;
    RecoveryTimelineModel *m_timelineModel;
    RecoveryTimelineWidget *m_timeline = nullptr;
};

} // namespace pga::gui
