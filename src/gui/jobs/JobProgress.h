#pragma once

#include "app/JobRunner.h"

#include <QLabel>
#include <QProgressBar>

namespace pga::gui {

// A job's progress on a dialog's bar (in thousandths; busy while the total is unknown) and its last step in a label.
inline void showJobProgress(const app::JobInfo &j, QProgressBar *bar, QLabel *status = nullptr)
{
    bar->setRange(0, j.total > 0 ? 1000 : 0);
    bar->setValue(j.total > 0 ? int(double(std::min(j.done, j.total)) * 1000.0 / double(j.total)) : 0);
    if (status && !j.currentStep.isEmpty())
        status->setText(j.currentStep);
}

// The newest log line that contains `marker` (without its time and level), e.g. a job's "Step 2 of 3: …"; empty if none.
inline QString lastLogLine(const app::JobInfo &j, QStringView marker)
{
    for (auto it = j.log.crbegin(); it != j.log.crend(); ++it)
        if (const qsizetype at = it->indexOf(marker); at >= 0)
            return it->mid(at);
    return {};
}

} // namespace pga::gui
