#include "Confirm.h"

#include <QPointer>
#include <QTimer>

namespace pga::gui {

namespace {
QMessageBox::StandardButton g_nextAnswer = QMessageBox::NoButton;
QString g_lastQuestion;
} // namespace

void setNextAnswer(QMessageBox::StandardButton answer) { g_nextAnswer = answer; }
QString lastQuestion() { return g_lastQuestion; }

void ask(QWidget *parent, const QString &title, const QString &text, QMessageBox::StandardButtons buttons,
         QMessageBox::StandardButton defaultButton, std::function<void(QMessageBox::StandardButton)> then,
         QMessageBox::Icon icon)
{
    g_lastQuestion = text;
    if (g_nextAnswer != QMessageBox::NoButton) {
        const auto answer = std::exchange(g_nextAnswer, QMessageBox::NoButton);
        QTimer::singleShot(0, parent, [then, answer] { then(answer); });
        return;
    }
    auto *box = new QMessageBox(icon, title, text, buttons, parent);
    box->setDefaultButton(defaultButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box, [box, then](int) {
        then(box->standardButton(box->clickedButton()));
    });
    box->open();
}

} // namespace pga::gui
