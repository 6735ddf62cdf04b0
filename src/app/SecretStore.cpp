#include "SecretStore.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

Q_LOGGING_CATEGORY(lcSecrets, "pgarchivist.app.secrets")

namespace pga::app {

namespace {

// Runs `finish` exactly once: when the job finishes or when the timeout fires, whichever is first.
template <typename Job, typename Finish>
void startWithTimeout(Job *job, QObject *owner, int timeoutMs, Finish finish)
{
    auto once = std::make_shared<bool>(false);
    auto *timer = new QTimer(owner);
    timer->setSingleShot(true);
    QObject::connect(job, &QKeychain::Job::finished, owner, [once, timer, finish](QKeychain::Job *j) {
        timer->deleteLater();
        if (std::exchange(*once, true))
            return;
        finish(j->error(), j);
    });
    QObject::connect(timer, &QTimer::timeout, owner, [once, timer, finish] {
        timer->deleteLater();
        if (std::exchange(*once, true))
            return;
        finish(QKeychain::OtherError, nullptr);
    });
    timer->start(timeoutMs);
    job->start();
}

QString describe(QKeychain::Error e, QKeychain::Job *job, int timeoutMs)
{
    if (!job)
        return SecretStore::tr("the system keychain did not answer within %1 s").arg(timeoutMs / 1000.0);
    if (e == QKeychain::NoBackendAvailable)
        return SecretStore::tr("no system keychain is available (%1)").arg(job->errorString());
    if (e == QKeychain::AccessDenied || e == QKeychain::AccessDeniedByUser)
        return SecretStore::tr("the system keychain refused access (%1)").arg(job->errorString());
    return SecretStore::tr("the system keychain failed (%1)").arg(job->errorString());
}

template <typename T>
void deliver(QObject *context, std::function<void(T)> done, T value)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(
        context ? context : qApp, [ctx, hadCtx = context != nullptr, done = std::move(done), value]() mutable {
            if (hadCtx && !ctx)
                return;
            if (done)
                done(std::move(value));
        },
        Qt::QueuedConnection);
}

} // namespace

SecretStore::SecretStore(QObject *parent) : QObject(parent) {}

void SecretStore::activateFallback(const QString &reason)
{
    if (fallbackActive())
        return;
    m_fallbackReason = reason;
    qCWarning(lcSecrets) << "keychain unavailable, passwords kept in memory:" << reason;
    emit fallbackActivated(reason);
}

void SecretStore::readPassword(const QString &key, QObject *context, std::function<void(Result<QString>)> done)
{
    if (m_cache.contains(key) || fallbackActive()) {
        deliver<Result<QString>>(context, std::move(done), m_cache.value(key));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    const int timeoutMs = m_timeoutMs;
    startWithTimeout(job, this, timeoutMs, [this, key, context, done, timeoutMs](QKeychain::Error e, QKeychain::Job *j) {
        if (e == QKeychain::NoError) {
            const QString pw = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
            m_cache.insert(key, pw);
            deliver<Result<QString>>(context, done, pw);
        } else if (e == QKeychain::EntryNotFound) {
            m_cache.insert(key, QString());  // no password: do not ask the keychain again every status check
            deliver<Result<QString>>(context, done, QString());
        } else {
            const QString why = describe(e, j, timeoutMs);
            activateFallback(why);
            deliver<Result<QString>>(context, done,
                                     Error(Error::Code::Keychain,
                                           tr("Could not read the password: %1. Enter it again; it will be kept "
                                              "in memory until pgArchivist quits.").arg(why)));
        }
    });
}

void SecretStore::writePassword(const QString &key, const QString &password, QObject *context,
                                std::function<void(Status)> done)
{
    if (password.isEmpty()) {
        deletePassword(key, context, std::move(done));
        return;
    }
    m_cache.insert(key, password);  // from now on this session has it, whatever the keychain says
    if (fallbackActive()) {
        m_memoryOnly.insert(key);
        deliver<Status>(context, std::move(done), Status());
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(password);
    const int timeoutMs = m_timeoutMs;
    startWithTimeout(job, this, timeoutMs, [this, key, context, done, timeoutMs](QKeychain::Error e, QKeychain::Job *j) {
        if (e == QKeychain::NoError) {
            m_memoryOnly.remove(key);
        } else {
            m_memoryOnly.insert(key);
            activateFallback(describe(e, j, timeoutMs));
        }
        deliver<Status>(context, done, Status());
    });
}

void SecretStore::deletePassword(const QString &key, QObject *context, std::function<void(Status)> done)
{
    m_cache.remove(key);
    m_memoryOnly.remove(key);
    if (fallbackActive()) {
        deliver<Status>(context, std::move(done), Status());
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    const int timeoutMs = m_timeoutMs;
    startWithTimeout(job, this, timeoutMs, [this, context, done, timeoutMs](QKeychain::Error e, QKeychain::Job *j) {
        if (e == QKeychain::NoError || e == QKeychain::EntryNotFound) {
            deliver<Status>(context, done, Status());
            return;
        }
        const QString why = describe(e, j, timeoutMs);
        activateFallback(why);
        deliver<Status>(context, done,
                        Error(Error::Code::Keychain, tr("Could not remove the password from the keychain: %1.").arg(why)));
    });
}

} // namespace pga::app
