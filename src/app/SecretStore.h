#pragma once

#include "core/Result.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace pga::app {

// Passwords in the system keychain (QtKeychain: Secret Service, KWallet, macOS Keychain, Windows
// Credential Store). Asynchronous, on the GUI thread, as QtKeychain expects; answers arrive through
// the callback, delivered while `context` lives. When the keychain is missing, refuses or does not
// answer within timeout(), passwords are kept in memory for this session and fallbackActive() says
// why, so nothing the user typed is lost and the GUI can tell them.
class SecretStore : public QObject {
    Q_OBJECT
public:
    explicit SecretStore(QObject *parent = nullptr);

    void setServiceName(const QString &service) { m_service = service; }
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }

    // The password, or an empty string when none is stored.
    void readPassword(const QString &key, QObject *context, std::function<void(Result<QString>)> done);
    // An empty password deletes the entry.
    void writePassword(const QString &key, const QString &password, QObject *context,
                       std::function<void(Status)> done);
    void deletePassword(const QString &key, QObject *context, std::function<void(Status)> done);

    bool fallbackActive() const { return !m_fallbackReason.isEmpty(); }
    QString fallbackReason() const { return m_fallbackReason; }
    // Whether this session's copy of the password is only in memory.
    bool isMemoryOnly(const QString &key) const { return m_memoryOnly.contains(key); }

signals:
    void fallbackActivated(const QString &reason);

private:
    void activateFallback(const QString &reason);

    QString m_service = QStringLiteral("pgarchivist");
    int m_timeoutMs = 8000;
    QHash<QString, QString> m_cache;      // passwords read or written this session
    QSet<QString> m_memoryOnly;           // keys the keychain did not take
    QString m_fallbackReason;
};

} // namespace pga::app
