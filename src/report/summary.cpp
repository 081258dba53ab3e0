#include "report/summary.hpp"

#include <sys/utsname.h>

#include <fstream>
#include <stdexcept>
#include <set>

#include "report/plain_text.hpp"

namespace bbx::report {

nlohmann::json summary_json(const RunSummary& s) {
  nlohmann::json counts = {{"total", s.results.size()}, {"passed", 0}, {"failed", 0}, {"error", 0}, {"interrupted", 0}, {"flaky", 0}};
  nlohmann::json scenarios = nlohmann::json::array();
  std::set<std::string> modes;
  for (const auto& r : s.results) {
    counts[to_string(r.verdict)] = counts[to_string(r.verdict)].get<int>() + 1;
    scenarios.push_back(to_json(plain_result(r)));
    if (!r.isolation.empty()) modes.insert(r.isolation);
  }
  utsname uts{};
  ::uname(&uts);
  return {{"format", "bbx-report"},
          {"format_version", kReportFormatVersion},
          {"run_id", s.run_id},
          {"run_dir", s.run_dir},
          {"duration_ms", double(s.duration_ns) / 1e6},
          {"interrupted", s.interrupted},
          {"counts", counts},
          {"isolation", std::vector<std::string>(modes.begin(), modes.end())},
          {"versions", {{"bbx", BBX_VERSION}, {"kernel", uts.release}}},
          {"scenarios", scenarios}};
}

RunSummary summary_from_json(const nlohmann::json& j) {
  if (j.value("format", std::string("bbx-report")) != "bbx-report")
    throw std::invalid_argument("not a bbx report (format '" + j.value("format", std::string()) + "')");
  if (auto v = j.value("format_version", 1); v > kReportFormatVersion)
    throw std::invalid_argument("report format version " + std::to_string(v) + " is newer than this bbx reads (" +
                                std::to_string(kReportFormatVersion) + ")");
  RunSummary s;
  s.run_id = j.at("run_id");
  s.run_dir = j.at("run_dir");
  s.duration_ns = static_cast<std::int64_t>(j.at("duration_ms").get<double>() * 1e6);
  s.interrupted = j.at("interrupted");
  for (const auto& r : j.at("scenarios")) s.results.push_back(scenario_result_from_json(r));
  return s;
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
