#include "report/summary_reporter.hpp"

#include "report/summary.hpp"

namespace bbx::report {

void SummaryReporter::run_done(const RunSummary& summary) {
  write_summary_json(std::filesystem::path(summary.run_dir) / "summary.json", summary);
}

}  // namespace bbx::report
