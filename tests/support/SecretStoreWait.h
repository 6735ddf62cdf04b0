#pragma once

#include "app/SecretStore.h"

#include <QtTest>

#include <optional>

namespace pga::test {

// SecretStore answers asynchronously; tests wait for the answer with the event loop turning.
inline Result<QString> readPassword(app::SecretStore &s, const QString &key, int timeoutMs = 20000)
{
    std::optional<Result<QString>> got;
    QObject ctx;
    s.readPassword(key, &ctx, [&](Result<QString> r) { got = std::move(r); });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, timeoutMs))
        return Error(Error::Code::Timeout, QStringLiteral("no answer from SecretStore"));
    return *got;
}

inline Status writePassword(app::SecretStore &s, const QString &key, const QString &pw, int timeoutMs = 20000)
{
    std::optional<Status> got;
    QObject ctx;
    s.writePassword(key, pw, &ctx, [&](Status r) { got = std::move(r); });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, timeoutMs))
        return Error(Error::Code::Timeout, QStringLiteral("no answer from SecretStore"));
    return *got;
}

} // namespace pga::test
