#pragma once

#include "app/RestoreService.h"

#include <QWizard>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTimer;

namespace pga::app {
class AppContext;
}

namespace pga::gui {

class RecoveryTimelineModel;
class RecoveryTimelineWidget;

// Point-in-time recovery in four steps: the target (on the recovery timeline, or exact: time with its zone,
// LSN, transaction, restore point, earliest consistent, end of WAL), the destination (a scratch instance or a
// new data directory; start it and follow replay; the action at the target), a summary (the backup and why,
// bytes, WAL, the RTO and its basis, the same restore as a command line), and the progress of restore and
// replay as one job, with cancel, ending with the moment reached, the connection string and "Add to servers".
class RestoreWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { TargetPageId, DestinationPageId, SummaryPageId, ProgressPageId };

    RestoreWizard(app::AppContext &app, qint64 serverId, const QString &backupId = {}, QWidget *parent = nullptr);

    app::AppContext &appContext() { return m_app; }
    const app::ServerEntry &source() const { return m_source; }
    // What the pages have chosen so far.
    app::RestoreRequest request() const;
    RecoveryTimelineModel *timelineModel() const { return m_timelineModel; }
    // Starts at "a moment in time" with this one (µs since the epoch), shown in local time with its zone.
    void presetTime(qint64 us);
    // Starts at "a transaction" with this xid; exclusive: stop just before it (the blunder view's "Restore to just before").
    void presetXid(quint32 xid, bool exclusive);
    // Starts at "a WAL position" (a DROP DATABASE must be stopped before its first record, not its commit).
    void presetLsn(const QString &lsn, bool exclusive);

    // Filled in by the pages.
    engine::RecoveryTarget target;
    QString backupId;
    QString targetDir;          // empty: scratch
    bool start = true;
    QString owner;
    QList<QPair<QString, QString>> tablespaceMap;
    std::optional<engine::RtoEstimate> estimate;

private:
    app::AppContext &m_app;
    app::ServerEntry m_source;
    RecoveryTimelineModel *m_timelineModel;
};

class TargetPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TargetPage(RestoreWizard *wizard);
    bool isComplete() const override;
    QString verdict() const;
    RecoveryTimelineWidget *timeline() const { return m_timeline; }
    QComboBox *kindBox() const { return m_kind; }
    QComboBox *restorePointBox() const { return m_points; }
    QLineEdit *timeEdit() const { return m_time; }
    QLineEdit *xidEdit() const { return m_xid; }
    QLineEdit *lsnEdit() const { return m_lsn; }
    QCheckBox *exclusiveBox() const { return m_exclusive; }
    void presetTime(qint64 us);
    void presetXid(quint32 xid, bool exclusive);
    void presetLsn(const QString &lsn, bool exclusive);

signals:
    void verdictChanged();

private:
    void load();
    void changed();
    void check();
    RestoreWizard *m_wizard;
    RecoveryTimelineWidget *m_timeline;
    QComboBox *m_kind;
    QLineEdit *m_time;
    QComboBox *m_points;
    QLineEdit *m_xid;
    QLineEdit *m_lsn;
    QCheckBox *m_exclusive;
    QComboBox *m_timelineChoice;
    QLabel *m_verdict;
    QTimer *m_debounce;
    quint64 m_request = 0;
    bool m_ok = false;
};

class DestinationPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DestinationPage(RestoreWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    QString problem() const;
    QRadioButton *scratchButton() const { return m_scratch; }
    QRadioButton *directoryButton() const { return m_directory; }
    QLineEdit *directoryEdit() const { return m_dir; }
    QComboBox *actionBox() const { return m_action; }

private:
    RestoreWizard *m_wizard;
    QRadioButton *m_scratch;
    QRadioButton *m_directory;
    QLineEdit *m_dir;
    QCheckBox *m_start;
    QComboBox *m_action;
    QLabel *m_actionHelp;
    QLineEdit *m_owner;
    QLineEdit *m_tablespaces;
    QLabel *m_problem;
    QString m_scratchPath;  // fixed when the page opens: what is shown is what is used
};

class SummaryPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SummaryPage(RestoreWizard *wizard);
    void initializePage() override;
    QString text() const;
    QString commandLine() const;

private:
    RestoreWizard *m_wizard;
    QLabel *m_text;
    QLineEdit *m_command;
};

class ProgressPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ProgressPage(RestoreWizard *wizard);
    void initializePage() override;
    bool isComplete() const override { return m_finished; }
    bool finished() const { return m_finished; }
    bool succeeded() const { return m_succeeded; }
    QString resultText() const;
    QString conninfo() const;
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *addButton() const { return m_add; }

signals:
    void restoreFinished(bool ok);

private:
    RestoreWizard *m_wizard;
    QProgressBar *m_bar;
    QLabel *m_status;
    QLabel *m_result;
    QLineEdit *m_conninfo;
    QPushButton *m_cancel;
    QPushButton *m_add;
    int m_job = 0;
    bool m_finished = false;
    bool m_succeeded = false;
    app::RestoreOutcome m_outcome;
};

} // namespace pga::gui
