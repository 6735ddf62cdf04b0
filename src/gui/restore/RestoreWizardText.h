#pragma once

// What the restore wizard's pages say about sizes and durations, alike on every page.
#include "RestoreWizard.h"

#include <QLocale>

namespace pga::gui::wizardtext {

inline QString dataSize(qint64 b) { return QLocale().formattedDataSize(b, 1, QLocale::DataSizeTraditionalFormat); }
inline QString seconds(double s)
{
    return s < 90 ? RestoreWizard::tr("%1 s").arg(s, 0, 'f', 1) : RestoreWizard::tr("%1 min").arg(s / 60, 0, 'f', 1);
}

} // namespace pga::gui::wizardtext
