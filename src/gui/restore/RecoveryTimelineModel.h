#pragma once

#include "app/RestoreService.h"
#include "engine/RepoInfo.h"

#include <QAbstractListModel>

namespace pga::gui {

// What the recovery timeline shows, one row per item, so it can be tested without pixels: per timeline the
// recoverable window (a band), WAL after a gap that no backup reaches (red), base backups (marks) and
// restore points (flags), and timeline switches. Times are microseconds since 1970 (UTC).
class RecoveryTimelineModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum class Kind { Window, Unreachable, Backup, RestorePoint, TimelineSwitch, DelayWindow };
    Q_ENUM(Kind)
    enum Role { KindRole = Qt::UserRole + 1, TimelineRole, StartRole, EndRole, LsnRole, NameRole };

    struct Item {
        Kind kind = Kind::Window;
        quint32 timeline = 0;
        qint64 startUs = 0;
        qint64 endUs = 0;   // == startUs for marks
        QString lsn;
        QString name;       // backup id, restore point name
    };

    explicit RecoveryTimelineModel(QObject *parent = nullptr);

    void setArchive(const engine::ServerArchiveSummary &summary, const QList<engine::ArchivedRestorePoint> &restorePoints);
    void clear();
    // A delayed replica's window: commits it has received but not yet applied (from `fromUs` to now), the ones a
    // "Stop before…" can still keep from it. Replaces the previous one; setArchive() keeps it.
    void setDelayWindow(quint32 timeline, qint64 fromUs, qint64 toUs, const QString &delay);
    void clearDelayWindow();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<Item> &items() const { return m_items; }
    QList<quint32> timelines() const;
    // The span of everything shown, for "fit".
    qint64 firstUs() const;
    qint64 lastUs() const;
    // Whether a moment is inside a recoverable window of that timeline (0: any).
    bool isRecoverable(qint64 us, quint32 timeline = 0) const;

private:
    QList<Item> m_items;
};

} // namespace pga::gui
