#pragma once

#include <QMessageBox>

#include <functional>

namespace pga::gui {

// Asks a question without a nested event loop (the answer arrives in `then`). Tests script the
// next answer instead of clicking, as KeePassXC's MessageBox::setNextAnswer does.
void ask(QWidget *parent, const QString &title, const QString &text, QMessageBox::StandardButtons buttons,
         QMessageBox::StandardButton defaultButton, std::function<void(QMessageBox::StandardButton)> then,
         QMessageBox::Icon icon = QMessageBox::Question);

// Test seam: answer the next question with `answer` instead of showing it.
void setNextAnswer(QMessageBox::StandardButton answer);
// The text of the last question asked (shown or scripted), for tests.
QString lastQuestion();

} // namespace pga::gui
