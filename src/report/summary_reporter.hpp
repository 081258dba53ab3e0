// The summary.json reporter: at run_done, writes <run-dir>/summary.json (summary.hpp: the
// whole run, written atomically), so the file exists only for a run whose summary is
// complete. Throws bbx::Error (harness) from run_done when it cannot be written.
#pragma once

#include "report/reporter.hpp"

namespace bbx::report {

class SummaryReporter final : public Reporter {
 public:
  void run_done(const RunSummary& summary) override;
};

}  // namespace bbx::report
