#pragma once

#include "app/ServerEntry.h"
#include "pg/ServerFacts.h"

#include <QDialog>

#include <functional>
#include <memory>

namespace Ui {
class ServerDialog;
}

namespace pga::app {
class AppContext;
}

namespace pga::gui {

// Add or edit one server. "Test connection" runs as a job; Save checks the input first and keeps
// the dialog open with the reason when something is wrong, so nothing typed is lost.
// On Save the dialog stores the server in the registry and the password in the keychain.
class ServerDialog : public QDialog {
    Q_OBJECT
public:
    ServerDialog(app::AppContext &app, const app::ServerEntry &entry, const QStringList &groups,
                 QWidget *parent = nullptr);
    ~ServerDialog() override;

    app::ServerEntry entry() const;     // what the fields say now
    app::ServerEntry saved() const { return m_saved; }
    bool isTesting() const { return m_testJob != 0 || m_repoJob != 0; }
    QString resultText() const;

    void accept() override;

signals:
    void testFinished(bool ok);
    void repositoryTestFinished(bool ok);
    void passphraseChangeFinished(bool ok);
    void serverSaved(qint64 id);

private:
    void startTest();
    void cancelTest();
    void showResult(bool ok, const QString &text);
    void chooseRepository();
    void updateRepositoryKind();
    void startRepositoryTest();
    void changePassphrase();
    void startRekey(const QString &next);
    // The S3 keys as the keychain holds them ("ID\nSECRET"): typed now, or the stored ones (asynchronously).
    void withS3Keys(const std::function<void(const QString &)> &fn);
    // The encrypted repository's passphrase: typed now, or the stored one (asynchronously); empty when not encrypted.
    void withPassphrase(const std::function<void(const QString &)> &fn);

    app::AppContext &m_app;
    std::unique_ptr<Ui::ServerDialog> m_ui;
    app::ServerEntry m_original;
    app::ServerEntry m_saved;
    bool m_passwordEdited = false;
    bool m_s3KeysEdited = false;
    bool m_passphraseEdited = false;
    int m_testJob = 0;
    int m_repoJob = 0;
    int m_rekeyJob = 0;
};

} // namespace pga::gui
