#include "RecoveryTimelineWidget.h"

#include "RecoveryTimelineModel.h"
#include "core/TimeText.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>

namespace pga::gui {

namespace {

constexpr int kLaneHeight = 34;
constexpr int kLeft = 44;  // room for the lane labels
constexpr int kAxis = 22;

QString axisLabel(qint64 us, qint64 span)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(us / 1000).toLocalTime();
    return span < qint64(120) * 1000000 ? t.toString(QStringLiteral("HH:mm:ss.zzz"))
           : span < qint64(2) * 86400 * 1000000 ? t.toString(QStringLiteral("HH:mm:ss"))
                                                 : t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

RecoveryTimelineWidget::RecoveryTimelineWidget(RecoveryTimelineModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("recoveryTimeline"));
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
    setAccessibleName(tr("Recovery timeline"));
    setToolTip(tr("Recoverable window per timeline (green), WAL no backup reaches (red), backups (marks), restore points "
                  "(flags). Wheel or +/- to zoom, F to fit, click or Enter to pick a moment."));
    connect(m_model, &QAbstractItemModel::modelReset, this, &RecoveryTimelineWidget::fit);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &RecoveryTimelineWidget::fit);  // a delay window arrives after the archive
    fit();
}

QSize RecoveryTimelineWidget::sizeHint() const { return {640, kAxis + 12 + kLaneHeight * std::max<int>(2, int(m_model->timelines().size()))}; }
QSize RecoveryTimelineWidget::minimumSizeHint() const { return {240, kAxis + 8 + kLaneHeight}; }

void RecoveryTimelineWidget::fit()
{
    qint64 a = m_model->firstUs(), b = m_model->lastUs();
    if (a == 0 && b == 0) {
        b = QDateTime::currentMSecsSinceEpoch() * 1000;
        a = b - qint64(3600) * 1000000;
    }
    const qint64 pad = std::max<qint64>((b - a) / 10, 50000);
    m_fromUs = a - pad;
    m_toUs = b + pad;
    if (m_cursorUs < m_fromUs || m_cursorUs > m_toUs)
        m_cursorUs = b;
    updateGeometry();
    update();
}

void RecoveryTimelineWidget::zoom(double factor, qint64 aroundUs)
{
    const double span = double(m_toUs - m_fromUs) / factor;
    if (span < 1000)  // a millisecond across the widget is enough
        return;
    const double frac = double(aroundUs - m_fromUs) / double(m_toUs - m_fromUs);
    m_fromUs = aroundUs - qint64(span * frac);
    m_toUs = m_fromUs + qint64(span);
    update();
}

QRect RecoveryTimelineWidget::plotRect() const { return rect().adjusted(kLeft, 4, -8, -kAxis); }
int RecoveryTimelineWidget::laneTop(int lane) const { return plotRect().top() + lane * kLaneHeight; }

int RecoveryTimelineWidget::xForUs(qint64 us) const
{
    const QRect r = plotRect();
    return r.left() + int(double(us - m_fromUs) / double(std::max<qint64>(1, m_toUs - m_fromUs)) * r.width());
}

qint64 RecoveryTimelineWidget::usForX(int x) const
{
    const QRect r = plotRect();
    return m_fromUs + qint64(double(x - r.left()) / std::max(1, r.width()) * double(m_toUs - m_fromUs));
}

quint32 RecoveryTimelineWidget::timelineAt(int y) const
{
    const QList<quint32> tls = m_model->timelines();
    const int lane = (y - plotRect().top()) / kLaneHeight;
    return lane >= 0 && lane < tls.size() ? tls[lane] : (tls.isEmpty() ? 0 : tls.last());
}

void RecoveryTimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRect plot = plotRect();
    const QList<quint32> tls = m_model->timelines();
    for (int lane = 0; lane < tls.size(); ++lane) {
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, laneTop(lane), kLeft - 6, kLaneHeight), Qt::AlignRight | Qt::AlignVCenter, tr("TL %1").arg(tls[lane]));
        p.setPen(palette().color(QPalette::Mid));
        p.drawLine(plot.left(), laneTop(lane) + kLaneHeight / 2, plot.right(), laneTop(lane) + kLaneHeight / 2);
    }
    p.setClipRect(plot.adjusted(-8, 0, 8, 0));
    for (const RecoveryTimelineModel::Item &i : m_model->items()) {
        const int lane = int(tls.indexOf(i.timeline));
        if (lane < 0)
            continue;
        const int mid = laneTop(lane) + kLaneHeight / 2;
        const int x0 = xForUs(i.startUs), x1 = std::max(x0 + 2, xForUs(i.endUs));
        switch (i.kind) {
        case RecoveryTimelineModel::Kind::Window:
            p.fillRect(QRect(x0, mid - 7, x1 - x0, 14), QColor(46, 160, 67, 200));
            break;
        case RecoveryTimelineModel::Kind::Unreachable:
            p.fillRect(QRect(x0, mid - 5, x1 - x0, 10), QColor(207, 34, 46, 200));
            break;
        case RecoveryTimelineModel::Kind::DelayWindow:  // above the band: received, not yet applied
            p.fillRect(QRect(x0, mid - 13, x1 - x0, 5), QColor(191, 135, 0, 220));
            break;
        case RecoveryTimelineModel::Kind::Backup: {
            QPainterPath tri;
            tri.moveTo(x0, mid + 8);
            tri.lineTo(x0 - 6, mid + 15);
            tri.lineTo(x0 + 6, mid + 15);
            tri.closeSubpath();
            p.fillPath(tri, QColor(9, 105, 218));
            p.setPen(QColor(9, 105, 218));
            p.drawLine(x0, mid - 9, x0, mid + 9);
            break;
        }
        case RecoveryTimelineModel::Kind::RestorePoint:
            p.setPen(QPen(QColor(130, 80, 223), 1.5));
            p.drawLine(x0, mid + 8, x0, mid - 14);
            p.fillRect(QRect(x0, mid - 14, 8, 6), QColor(130, 80, 223));
            break;
        case RecoveryTimelineModel::Kind::TimelineSwitch:
            p.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
            p.drawLine(x0, laneTop(lane), x0, laneTop(lane) + kLaneHeight);
            break;
        }
    }
    // The cursor (the moment a click or Enter picks).
    p.setPen(QPen(palette().color(QPalette::Highlight), hasFocus() ? 2 : 1));
    p.drawLine(xForUs(m_cursorUs), plot.top(), xForUs(m_cursorUs), plot.bottom());
    p.setClipping(false);
    // Axis: five labels across.
    p.setPen(palette().color(QPalette::Text));
    const qint64 span = m_toUs - m_fromUs;
    for (int k = 0; k <= 4; ++k) {
        const qint64 us = m_fromUs + span * k / 4;
        const int x = xForUs(us);
        p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 4);
        const QString label = axisLabel(us, span);
        const int w = fontMetrics().horizontalAdvance(label);
        p.drawText(std::clamp(x - w / 2, 0, width() - w), plot.bottom() + 4 + fontMetrics().ascent(), label);
    }
}

QString RecoveryTimelineWidget::itemTextAt(const QPoint &pos) const
{
    const quint32 tl = timelineAt(pos.y());
    QStringList lines;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const RecoveryTimelineModel::Item &i = m_model->items()[row];
        if (i.timeline != tl)
            continue;
        const int x0 = xForUs(i.startUs), x1 = xForUs(i.endUs);
        if (pos.x() >= x0 - 5 && pos.x() <= std::max(x0, x1) + 5)
            lines << m_model->index(row).data(Qt::ToolTipRole).toString();
    }
    lines << tr("%1 (timeline %2)").arg(localTimestampText(usForX(pos.x()))).arg(tl);
    return lines.join(QLatin1Char('\n'));
}

bool RecoveryTimelineWidget::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *h = static_cast<QHelpEvent *>(e);
        QToolTip::showText(h->globalPos(), itemTextAt(h->pos()), this);
        return true;
    }
    return QWidget::event(e);
}

void RecoveryTimelineWidget::wheelEvent(QWheelEvent *e)
{
    const double steps = e->angleDelta().y() / 120.0;
    if (steps != 0)
        zoom(std::pow(1.25, steps), usForX(int(e->position().x())));
    e->accept();
}

void RecoveryTimelineWidget::mousePressEvent(QMouseEvent *e)
{
    if (e->button() != Qt::LeftButton || !plotRect().adjusted(0, 0, 0, kAxis).contains(e->pos()))
        return;
    m_cursorUs = usForX(e->pos().x());
    update();
    emit momentPicked(m_cursorUs, timelineAt(e->pos().y()));
}

void RecoveryTimelineWidget::mouseDoubleClickEvent(QMouseEvent *) { fit(); }

void RecoveryTimelineWidget::keyPressEvent(QKeyEvent *e)
{
    const qint64 step = std::max<qint64>(1, (m_toUs - m_fromUs) / 50);
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(1.5, m_cursorUs);
        break;
    case Qt::Key_Minus:
        zoom(1 / 1.5, m_cursorUs);
        break;
    case Qt::Key_F:
        fit();
        break;
    case Qt::Key_Left:
        m_cursorUs -= step;
        update();
        break;
    case Qt::Key_Right:
        m_cursorUs += step;
        update();
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter: {
        const QList<quint32> tls = m_model->timelines();
        emit momentPicked(m_cursorUs, tls.isEmpty() ? 0 : tls.last());
        break;
    }
    default:
        QWidget::keyPressEvent(e);
    }
}

} // namespace pga::gui
