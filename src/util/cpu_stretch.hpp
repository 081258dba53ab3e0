// How much longer work takes on a machine with CPU pressure p (the share of time some task
// waited for a CPU, /proc/pressure/cpu "some"): a task that waits a share p of the time runs
// 1 / (1 - p) times as long. p is clamped to [0, 0.9]: a machine busier than that says
// nothing more precise about timing, so the stretch is 1 to 10. Pure; thread-safe.
#pragma once

#include <algorithm>

namespace bbx::util {

inline double cpu_stretch(double pressure) { return 1 / (1 - std::clamp(pressure, 0.0, 0.9)); }

}  // namespace bbx::util
