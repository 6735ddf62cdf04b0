#include "ServerDialog.h"

#include "Icons.h"
#include "app/AppContext.h"
#include "app/ConnectionTest.h"
#include "ui_ServerDialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
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
    m_ui->s3EndpointEdit->setText(entry.s3.endpoint);
    m_ui->s3RegionEdit->setText(entry.s3.region);
    m_ui->s3PathStyleCheck->setChecked(entry.s3.pathStyle);
    m_ui->s3VerifyTlsCheck->setChecked(entry.s3.verifyTls);
    m_ui->s3CaEdit->setText(entry.s3.caFile);
    if (entry.id && entry.repoOnObjectStorage()) {
        m_ui->s3KeyEdit->setPlaceholderText(tr("unchanged"));
        m_ui->s3SecretEdit->setPlaceholderText(tr("unchanged"));
    }
    m_ui->encryptCheck->setChecked(entry.encryption.encrypted);
    m_ui->passphraseFileEdit->setText(entry.encryption.passphraseFile);
    if (entry.id && entry.encryption.encrypted)
        m_ui->passphraseEdit->setPlaceholderText(tr("unchanged"));
    updateRepositoryKind();
    if (entry.id)
        m_ui->passwordEdit->setPlaceholderText(tr("unchanged"));
    m_ui->testButton->setIcon(icon(QStringLiteral("test-connection")));
    m_ui->testProgress->hide();
    m_ui->resultLabel->hide();
    connect(m_ui->passwordEdit, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_ui->testButton, &QPushButton::clicked, this, [this] { isTesting() ? cancelTest() : startTest(); });
    connect(m_ui->repoBrowse, &QToolButton::clicked, this, &ServerDialog::chooseRepository);
    connect(m_ui->repoEdit, &QLineEdit::textChanged, this, &ServerDialog::updateRepositoryKind);
    connect(m_ui->s3KeyEdit, &QLineEdit::textEdited, this, [this] { m_s3KeysEdited = true; });
    connect(m_ui->s3SecretEdit, &QLineEdit::textEdited, this, [this] { m_s3KeysEdited = true; });
    connect(m_ui->passphraseEdit, &QLineEdit::textEdited, this, [this] { m_passphraseEdited = true; });
    connect(m_ui->encryptCheck, &QCheckBox::toggled, this, &ServerDialog::updateRepositoryKind);
    connect(m_ui->changePassphraseButton, &QPushButton::clicked, this, &ServerDialog::changePassphrase);
    connect(m_ui->testRepoButton, &QPushButton::clicked, this, [this] {
        if (m_repoJob)
            m_app.jobs().cancel(m_repoJob);
        else
            startRepositoryTest();
    });
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
    e.s3.endpoint = m_ui->s3EndpointEdit->text().trimmed();
    e.s3.region = m_ui->s3RegionEdit->text().trimmed();
    e.s3.pathStyle = m_ui->s3PathStyleCheck->isChecked();
    e.s3.verifyTls = m_ui->s3VerifyTlsCheck->isChecked();
    e.s3.caFile = m_ui->s3CaEdit->text().trimmed();
    e.encryption.encrypted = m_ui->encryptCheck->isChecked();
    e.encryption.passphraseFile = e.encryption.encrypted ? m_ui->passphraseFileEdit->text().trimmed() : QString();
    return e;
}

void ServerDialog::updateRepositoryKind()
{
    const bool s3 = m_ui->repoEdit->text().trimmed().startsWith(QLatin1String("s3://"));
    m_ui->s3Group->setVisible(s3);
    m_ui->repoBrowse->setEnabled(!s3);
    m_ui->testRepoButton->setEnabled(!m_ui->repoEdit->text().trimmed().isEmpty());
    const bool encrypted = m_ui->encryptCheck->isChecked();
    for (QWidget *w : {static_cast<QWidget *>(m_ui->passphraseEdit), static_cast<QWidget *>(m_ui->passphraseFileEdit),
                       static_cast<QWidget *>(m_ui->passphraseLabel), static_cast<QWidget *>(m_ui->passphraseFileLabel)})
        w->setEnabled(encrypted);
    // Only a saved encrypted repository has a passphrase to change.
    m_ui->changePassphraseButton->setVisible(m_original.id && m_original.encryption.encrypted);
    m_ui->changePassphraseButton->setEnabled(encrypted && m_rekeyJob == 0);
}

void ServerDialog::changePassphrase()
{
    auto *ask = new QDialog(this);
    ask->setObjectName(QStringLiteral("changePassphraseDialog"));
    ask->setWindowTitle(tr("Change Passphrase — %1").arg(m_original.name));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    auto *form = new QFormLayout(ask);
    auto *next = new QLineEdit(ask);
    auto *again = new QLineEdit(ask);
    next->setObjectName(QStringLiteral("newPassphraseEdit"));
    again->setObjectName(QStringLiteral("confirmPassphraseEdit"));
    for (QLineEdit *e : {next, again})
        e->setEchoMode(QLineEdit::Password);
    auto *problem = new QLabel(ask);
    problem->setStyleSheet(QStringLiteral("color: #b3261e;"));
    problem->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, ask);
    form->addRow(tr("&New passphrase:"), next);
    form->addRow(tr("Con&firm:"), again);
    form->addRow(problem);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, ask, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, ask, [this, ask, next, again, problem] {
        if (next->text().isEmpty() || next->text() != again->text()) {
            problem->setText(next->text().isEmpty() ? tr("Enter the new passphrase.") : tr("The two entries differ."));
            problem->show();
            return;  // stay open: nothing typed is lost
        }
        startRekey(next->text());
        ask->accept();
    });
    ask->open();
}

void ServerDialog::startRekey(const QString &next)
{
    withPassphrase([this, next](const QString &current) {
        const app::ServerEntry e = entry();
        m_ui->testProgress->show();
        showResult(true, tr("Changing the passphrase of %1…").arg(e.repoDir));
        m_rekeyJob = m_app.jobs().start({QStringLiteral("repository-rekey"), tr("Change the passphrase of %1").arg(e.repoDir), e.id, false},
                                        app::RepositoryService::rekeyWork(e, current, next), this, [this, e, next](const app::JobInfo &info) {
                                            m_rekeyJob = 0;
                                            m_ui->testProgress->setVisible(m_testJob != 0 || m_repoJob != 0);
                                            updateRepositoryKind();
                                            const bool ok = info.state == app::JobInfo::State::Succeeded;
                                            if (ok) {
                                                // The keychain follows the repository at once, whether or not the dialog is saved.
                                                m_app.secrets().writePassword(e.repoPassphraseKey(), next, &m_app, [](Status) {});
                                                m_ui->passphraseEdit->clear();
                                                m_ui->passphraseEdit->setPlaceholderText(tr("unchanged"));
                                                m_passphraseEdited = false;
                                                showResult(true, e.encryption.passphraseFile.isEmpty()
                                                                     ? tr("The passphrase was changed. Update the database host's copy.")
                                                                     : tr("The passphrase was changed. Update %1 on the database host.").arg(e.encryption.passphraseFile));
                                            } else {
                                                showResult(false, info.error.message);
                                            }
                                            emit passphraseChangeFinished(ok);
                                        });
        updateRepositoryKind();
    });
}

void ServerDialog::withPassphrase(const std::function<void(const QString &)> &fn)
{
    if (!m_ui->encryptCheck->isChecked()) {
        fn(QString());
        return;
    }
    if (m_passphraseEdited || !m_original.id || !m_original.encryption.encrypted) {
        fn(m_ui->passphraseEdit->text());
        return;
    }
    m_app.secrets().readPassword(m_original.repoPassphraseKey(), this, [fn](Result<QString> p) { fn(p.valueOr(QString())); });
}

void ServerDialog::withS3Keys(const std::function<void(const QString &)> &fn)
{
    const app::ServerEntry e = entry();
    if (!e.repoOnObjectStorage()) {
        fn(QString());
        return;
    }
    if (m_s3KeysEdited || !m_original.id) {
        fn(m_ui->s3KeyEdit->text().trimmed() + QLatin1Char('\n') + m_ui->s3SecretEdit->text());
        return;
    }
    m_app.secrets().readPassword(m_original.s3SecretKey(), this, [fn](Result<QString> keys) { fn(keys.valueOr(QString())); });
}

void ServerDialog::startRepositoryTest()
{
    const app::ServerEntry e = entry();
    if (e.repoOnObjectStorage())
        if (Status valid = m_app.registry().validate(e); !valid && valid.error().code == Error::Code::InvalidArgument && e.repoDir.size() > 5) {
            showResult(false, valid.error().message);
            return;
        }
    withS3Keys([this, e](const QString &keys) { withPassphrase([this, e, keys](const QString &passphrase) {
        auto check = std::make_shared<app::RepositoryCheck>();
        m_ui->testRepoButton->setText(tr("Cancel &repository test"));
        m_ui->testProgress->show();
        showResult(true, tr("Checking %1…").arg(e.repoDir));
        m_repoJob = m_app.jobs().start({QStringLiteral("repository-test"), tr("Test repository %1").arg(e.repoDir), e.id, false},
                                       app::RepositoryService::testWork(e, keys, passphrase, check), this, [this, check](const app::JobInfo &info) {
                                           m_repoJob = 0;
                                           m_ui->testRepoButton->setText(tr("Test &repository"));
                                           m_ui->testProgress->setVisible(m_testJob != 0);
                                           const bool ok = info.state == app::JobInfo::State::Succeeded;
                                           if (ok)
                                               showResult(true, app::RepositoryService::describe(*check));
                                           else if (info.state == app::JobInfo::State::Cancelled)
                                               showResult(false, tr("Test cancelled."));
                                           else
                                               showResult(false, info.error.message + (info.error.detail.isEmpty() ? QString()
                                                                                                                    : QStringLiteral("\n") + info.error.detail));
                                           emit repositoryTestFinished(ok);
                                       });
    }); });
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
    if (m_repoJob)
        m_app.jobs().cancel(m_repoJob);
    // A rekey is not cancelled: it replaces one file, and stopping half-way would only leave the old passphrase.
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
    const bool newPassphrase = e.encryption.encrypted && (m_passphraseEdited || !m_original.encryption.encrypted);
    if (newPassphrase && m_ui->passphraseEdit->text().isEmpty()) {
        showResult(false, tr("Enter the repository's passphrase: without it the app cannot read or write the encrypted repository."));
        m_ui->passphraseEdit->setFocus();
        return;
    }
    if (e.secretKey.isEmpty())
        e.secretKey = QStringLiteral("server/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (newPassphrase) {
        (void)app::RepositoryService::providePassphrase(e, m_ui->passphraseEdit->text());  // usable at once
        m_app.secrets().writePassword(e.repoPassphraseKey(), m_ui->passphraseEdit->text(), &m_app, [](Status) {});
    }
    // The password first: the store has it at once, so the status check the save triggers can use it.
    if (m_passwordEdited || (!m_original.id && !m_ui->passwordEdit->text().isEmpty()))
        m_app.secrets().writePassword(e.secretKey, m_ui->passwordEdit->text(), &m_app, [](Status) {});
    if (e.repoOnObjectStorage() && m_s3KeysEdited) {
        const QString keys = m_ui->s3KeyEdit->text().trimmed() + QLatin1Char('\n') + m_ui->s3SecretEdit->text();
        (void)app::RepositoryService::configure(e, keys);  // usable at once, before the keychain has answered
        m_app.secrets().writePassword(e.s3SecretKey(), keys, &m_app, [](Status) {});
    }
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
