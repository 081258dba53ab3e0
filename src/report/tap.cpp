#include "report/tap.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "report/plain_text.hpp"

namespace bbx::report {

namespace {

// A test point's description: no newline, and '#' escaped (it would start a directive).
std::string description(const std::string& id) {
  std::string out;
  for (char c : id) {
    if (c == '#') out += "\\#";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

// A YAML scalar that is safe whatever the text holds: a JSON string is valid YAML.
std::string yaml_string(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const char* severity(Verdict v) {
  switch (v) {
    case Verdict::passed: return "pass";
    case Verdict::failed: return "fail";
    case Verdict::error: return "error";
    case Verdict::interrupted: return "interrupted";
    case Verdict::flaky: return "flaky";
  }
  return "?";
}

}  // namespace

std::string tap_text(const RunSummary& summary) {
  std::string out = "TAP version 14\n1.." + std::to_string(summary.results.size()) + "\n";
  for (std::size_t i = 0; i < summary.results.size(); ++i) {
    const ScenarioResult r = plain_result(summary.results[i]);
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.0f", double(r.duration_ns) / 1e6);
    bool ok = r.verdict == Verdict::passed;
    out += std::string(ok ? "ok " : "not ok ") + std::to_string(i + 1) + " - " + description(r.id) + " # time=" + ms + "ms\n";
    if (ok) continue;
    out += "  ---\n";
    out += "  message: " + yaml_string(r.message) + "\n";
    out += "  severity: " + std::string(severity(r.verdict)) + "\n";
    out += "  file: " + yaml_string(r.file) + "\n";
    for (const auto& c : r.checks) {
      if (c.passed || c.where.path.empty()) continue;
      out += "  at: " + yaml_string(c.where.to_string()) + "\n";
      break;
    }
    out += "  duration_ms: " + std::string(ms) + "\n";
    out += "  dir: " + yaml_string(r.dir) + "\n";
    out += "  ...\n";
  }
  return out;
}

}  // namespace bbx::report
