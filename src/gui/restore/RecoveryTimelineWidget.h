#pragma once

#include <QWidget>

namespace pga::gui {

class RecoveryTimelineModel;

// The recovery timeline, painted from a RecoveryTimelineModel: one lane per PostgreSQL timeline, the
// recoverable window as a green band, unreachable WAL in red, backups as marks, restore points as flags.
// Wheel or +/- zooms around the pointer, F or a double click fits everything, the tooltip names what is under
// the pointer, and a click (or Enter on the keyboard cursor, moved with Left/Right) picks a moment.
class RecoveryTimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit RecoveryTimelineWidget(RecoveryTimelineModel *model, QWidget *parent = nullptr);

    void fit();
    void zoom(double factor, qint64 aroundUs);
    qint64 viewStartUs() const { return m_fromUs; }
    qint64 viewEndUs() const { return m_toUs; }
    qint64 cursorUs() const { return m_cursorUs; }
    // Where a moment is drawn, and which moment a position stands for (for tests and tooltips).
    int xForUs(qint64 us) const;
    qint64 usForX(int x) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void momentPicked(qint64 us, quint32 timeline);

protected:
    void paintEvent(QPaintEvent *) override;
    void wheelEvent(QWheelEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseDoubleClickEvent(QMouseEvent *) override;
    void keyPressEvent(QKeyEvent *) override;
    bool event(QEvent *) override;

private:
    QRect plotRect() const;
    int laneTop(int lane) const;
    quint32 timelineAt(int y) const;
    QString itemTextAt(const QPoint &p) const;

    RecoveryTimelineModel *m_model;
    qint64 m_fromUs = 0;
    qint64 m_toUs = 1;
    qint64 m_cursorUs = 0;
};

} // namespace pga::gui
