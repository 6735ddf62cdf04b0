#include "Icons.h"

#include <QHash>

// A static library's resources are linked only when referenced; Q_INIT_RESOURCE must be outside namespaces.
static void initGuiResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(pgarchivist);
        return true;
    }();
    (void)done;
}

namespace pga::gui {

QIcon icon(const QString &name)
{
    initGuiResources();
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
    return *it;
}

QIcon statusIcon(app::ServerStatus::State state)
{
    using S = app::ServerStatus::State;
    switch (state) {
    case S::Online: return icon(QStringLiteral("status-online"));
    case S::Unreachable: return icon(QStringLiteral("status-unreachable"));
    case S::Checking: return icon(QStringLiteral("status-checking"));
    case S::Unknown: break;
    }
    return icon(QStringLiteral("status-unknown"));
}

QIcon appIcon()
{
    initGuiResources();
    return QIcon(QStringLiteral(":/pgarchivist.svg"));
}

} // namespace pga::gui
