#include "ServerDialog.h"

#include "Icons.h"
#include "app/AppContext.h"
#include "app/ConnectionTest.h"
#include "ui_ServerDialog.h"

#include <QFileDialog>
#include <QPushButton>
#include <QUuid>

namespace pga::gui {

ServerDialog::ServerDialog(app::AppContext &app, const app::ServerEntry &entry, const QStringList &groups,
                           QWidget *parent)
    : QDialog(parent), m_app(app), m_ui(std::make_unique<Ui::ServerDialog>()), m_original(entry)
{
    m_ui->setupUi(this);
    setWindowTitle(entry.id ? tr("Edit Server — %1").arg(entry.name) : tr("Add Server"));
    m_ui->groupCombo->addItem(QString());
    m_ui->groupCombo->addItems(groups);
    m_ui->nameEdit->setText(entry.name);
    m_ui->groupCombo->setCurrentText(entry.group);
    m_ui->conninfoEdit->setText(entry.conninfo);
    m_ui->repoEdit->setText(entry.repoDir);
    if (entry.id)
        m_ui->passwordEdit->setPlaceholderText(tr("unchanged"));
    m_ui->testButton->setIcon(icon(QStringLiteral("test-connection")));
    m_ui->testProgress->hide();
    m_ui->resultLabel->hide();
    connect(m_ui->passwordEdit, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_ui->testButton, &QPushButton::clicked, this, [this] { isTesting() ? cancelTest() : startTest(); });
    connect(m_ui->repoBrowse, &QToolButton::clicked, this, &ServerDialog::chooseRepository);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ServerDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ServerDialog::reject);
    connect(this, &QDialog::finished, this, [this] { cancelTest(); });
}

ServerDialog::~ServerDialog() = default;

app::ServerEntry ServerDialog::entry() const
{
    app::ServerEntry e = m_original;
    e.name = m_ui->nameEdit->text().trimmed();
    e.group = m_ui->groupCombo->currentText().trimmed();
    e.conninfo = m_ui->conninfoEdit->text().trimmed();
    e.repoDir = m_ui->repoEdit->text().trimmed();
    return e;
}

QString ServerDialog::resultText() const { return m_ui->resultLabel->isVisible() ? m_ui->resultLabel->text() : QString(); }

void ServerDialog::showResult(bool ok, const QString &text)
{
    m_ui->resultLabel->setText(text);
    m_ui->resultLabel->setStyleSheet(ok ? QStringLiteral("color: #1b7a2f;") : QStringLiteral("color: #b3261e;"));
    m_ui->resultLabel->setAccessibleName(ok ? tr("Success") : tr("Problem"));
    m_ui->resultLabel->show();
}

void ServerDialog::startTest()
{
    const app::ServerEntry e = entry();
    if (e.conninfo.isEmpty()) {
        showResult(false, tr("Enter how to connect first."));
        m_ui->conninfoEdit->setFocus();
        return;
    }
    auto run = [this, e](const QString &password) {
        pg::ConnectOptions options;
        options.conninfo = e.conninfo;
        options.password = password;
        auto facts = std::make_shared<pg::ServerFacts>();
        m_ui->testButton->setText(tr("Cancel &test"));
        m_ui->testButton->setIcon(icon(QStringLiteral("cancel")));
        m_ui->testProgress->show();
        showResult(true, tr("Connecting…"));
        m_testJob = m_app.jobs().start(
            {QStringLiteral("connection-test"), tr("Test connection to %1").arg(e.name.isEmpty() ? e.conninfo : e.name),
             e.id},
            app::connectionTestWork(options, facts), this, [this, facts](const app::JobInfo &info) {
                m_testJob = 0;
                m_ui->testButton->setText(tr("&Test connection"));
                m_ui->testButton->setIcon(icon(QStringLiteral("test-connection")));
                m_ui->testProgress->hide();
                const bool ok = info.state == app::JobInfo::State::Succeeded;
                if (ok)
                    showResult(true, tr("Connected: %1").arg(app::describeFacts(*facts)));
                else if (info.state == app::JobInfo::State::Cancelled)
                    showResult(false, tr("Test cancelled."));
                else
                    showResult(false, info.error.message + (info.error.detail.isEmpty()
                                                               ? QString()
                                                               : QStringLiteral("\n") + info.error.detail));
                emit testFinished(ok);
            });
    };
    if (m_passwordEdited || !e.id) {
        run(m_ui->passwordEdit->text());
        return;
    }
    // Editing without touching the password: test with the one in the keychain.
    m_app.secrets().readPassword(e.secretKey, this, [run](Result<QString> pw) { run(pw.valueOr(QString())); });
}

void ServerDialog::cancelTest()
{
    if (m_testJob)
        m_app.jobs().cancel(m_testJob);
}

void ServerDialog::chooseRepository()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Repository Folder"), m_ui->repoEdit->text());
    if (!dir.isEmpty())
        m_ui->repoEdit->setText(dir);
}

void ServerDialog::accept()
{
    app::ServerEntry e = entry();
    if (Status valid = m_app.registry().validate(e); !valid) {
        showResult(false, valid.error().message);
        if (e.name.isEmpty() || valid.error().code == Error::Code::Conflict)
            m_ui->nameEdit->setFocus();
        else
            m_ui->conninfoEdit->setFocus();
        return;  // stay open: nothing the user typed is lost
    }
    if (e.secretKey.isEmpty())
        e.secretKey = QStringLiteral("server/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The password first: the store has it at once, so the status check the save triggers can use it.
    if (m_passwordEdited || (!m_original.id && !m_ui->passwordEdit->text().isEmpty()))
        m_app.secrets().writePassword(e.secretKey, m_ui->passwordEdit->text(), &m_app, [](Status) {});
    auto saved = m_app.registry().save(e);
    if (!saved) {
        showResult(false, saved.error().message);
        return;
    }
    m_saved = *saved;
    emit serverSaved(m_saved.id);
    QDialog::accept();
}

} // namespace pga::gui
