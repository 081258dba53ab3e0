#include "report/merge.hpp"

#include <map>

namespace bbx::report {

ScenarioResult merge_attempts(const std::vector<ScenarioResult>& attempts) {
  const ScenarioResult* first_failure = nullptr;
  int passed = 0;
  for (const auto& a : attempts) {
    if (a.verdict == Verdict::passed) ++passed;
    else if (!first_failure && (a.verdict == Verdict::failed || a.verdict == Verdict::flaky)) first_failure = &a;
  }
  if (passed == 0 || !first_failure) return attempts.back();
  ScenarioResult r = *first_failure;
  r.verdict = Verdict::flaky;
  r.message = "flaky: passed " + std::to_string(passed) + " of " + std::to_string(attempts.size()) +
              " attempts; a failed one: " + first_failure->message;
  return r;
}

RunSummary merge_runs(const std::vector<RunSummary>& runs) {
  RunSummary out;
  std::vector<std::string> order;
  std::map<std::string, std::vector<ScenarioResult>> by_id;
  std::size_t folded = 0;
  for (const auto& run : runs) {
    if (out.run_id.empty()) {
      out.run_id = run.run_id;
      out.run_dir = run.run_dir;
    }
    out.duration_ns += run.duration_ns;
    out.interrupted = out.interrupted || run.interrupted;
    folded += run.runs ? run.runs : run.results.size();
    for (const auto& r : run.results) {
      auto& attempts = by_id[r.id];
      if (attempts.empty()) order.push_back(r.id);
      attempts.push_back(r);
    }
  }
  for (const auto& id : order) out.results.push_back(merge_attempts(by_id[id]));
  if (folded != out.results.size()) out.runs = folded;
  return out;
}

}  // namespace bbx::report
