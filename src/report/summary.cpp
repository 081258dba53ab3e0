#include "report/summary.hpp"

#include <sys/utsname.h>

#include <fstream>
#include <set>

#include "report/plain_text.hpp"

namespace bbx::report {

nlohmann::json summary_json(const RunSummary& s) {
  nlohmann::json counts = {{"total", s.results.size()}, {"passed", 0}, {"failed", 0}, {"error", 0}, {"interrupted", 0}};
  nlohmann::json scenarios = nlohmann::json::array();
  std::set<std::string> modes;
  for (const auto& r : s.results) {
    counts[to_string(r.verdict)] = counts[to_string(r.verdict)].get<int>() + 1;
    scenarios.push_back(to_json(plain_result(r)));
    if (!r.isolation.empty()) modes.insert(r.isolation);
  }
  utsname uts{};
  ::uname(&uts);
  return {{"run_id", s.run_id},
          {"run_dir", s.run_dir},
          {"duration_ms", double(s.duration_ns) / 1e6},
          {"interrupted", s.interrupted},
          {"counts", counts},
          {"isolation", std::vector<std::string>(modes.begin(), modes.end())},
          {"versions", {{"bbx", BBX_VERSION}, {"kernel", uts.release}}},
          {"scenarios", scenarios}};
}

void write_summary_json(const std::filesystem::path& path, const RunSummary& s) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp);
    out << summary_json(s).dump(2) << "\n";
    if (!out) fail_harness("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace bbx::report
