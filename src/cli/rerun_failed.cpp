#include "cli/rerun_failed.hpp"

#include <ostream>
#include <set>

#include "bbx/error.hpp"
#include "cli/read_report.hpp"
#include "util/text.hpp"

namespace bbx::cli {

std::vector<Scenario> rerun_failed(std::vector<Scenario> selected, const std::filesystem::path& runs_dir,
                                   std::ostream& note) {
  std::error_code ec;
  if (!std::filesystem::exists(runs_dir / "latest" / "summary.json", ec))
    fail_input({}, "--rerun-failed: no earlier run in " + runs_dir.string() + " (no latest/summary.json)");
  auto last = read_run(runs_dir.string());
  std::set<std::string> failed;
  for (const auto& r : last.results)
    if (r.verdict != Verdict::passed) failed.insert(r.id);
  if (failed.empty()) return {};
  std::vector<Scenario> out;
  std::set<std::string> found;
  for (auto& s : selected)
    if (failed.count(s.id)) {
      found.insert(s.id);
      out.push_back(std::move(s));
    }
  std::vector<std::string> missing;
  for (const auto& id : failed)
    if (!found.count(id)) missing.push_back("'" + id + "'");
  if (out.empty())
    fail_input({}, "--rerun-failed: none of the " + std::to_string(failed.size()) + " scenarios that did not pass in run " +
                       last.run_id + " is in this selection: " + util::join(missing, ", "));
  if (!missing.empty())
    note << "bbx: --rerun-failed: not in this selection (renamed, removed or filtered out): " << util::join(missing, ", ")
         << "\n";
  return out;
}

}  // namespace bbx::cli
