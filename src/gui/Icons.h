#pragma once

#include "app/ServerStatusService.h"

#include <QIcon>

namespace pga::gui {

// Icons from the resource file, by name ("add" → :/icons/add.svg).
QIcon icon(const QString &name);
QIcon statusIcon(app::ServerStatus::State state);
QIcon appIcon();

} // namespace pga::gui
