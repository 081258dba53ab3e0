#include "report/console.hpp"

#include <cstdio>

#include "report/plain_text.hpp"
#include "report/view_paths.hpp"

namespace bbx::report {

namespace {

const char* label(Verdict v) {
  switch (v) {
    case Verdict::passed: return "PASS";
    case Verdict::failed: return "FAIL";
    case Verdict::error: return "ERROR";
    case Verdict::interrupted: return "INTERRUPTED";
    case Verdict::flaky: return "FLAKY";
  }
  return "?";
}

const char* colour(Verdict v) {
  switch (v) {
    case Verdict::passed: return "\x1b[32m";
    case Verdict::failed: return "\x1b[31m";
    case Verdict::error: return "\x1b[35m";
    case Verdict::interrupted: return "\x1b[33m";
    case Verdict::flaky: return "\x1b[1;33m";
  }
  return "";
}

std::string ms(std::int64_t ns) {
  char buf[32];
  if (ns >= 10'000'000'000) std::snprintf(buf, sizeof buf, "%.1f s", double(ns) / 1e9);
  else std::snprintf(buf, sizeof buf, "%.0f ms", double(ns) / 1e6);
  return buf;
}

}  // namespace

void print_scenario(std::ostream& out, const ScenarioResult& result, bool color) {
  const ScenarioResult r = plain_result(result);
  if (color) out << colour(r.verdict);
  out << label(r.verdict);
  if (color) out << "\x1b[0m";
  out << "  " << r.id << "  (" << ms(r.duration_ns) << ", " << r.isolation << ")\n";
  for (const auto& c : r.checks) {
    if (c.passed) continue;
    out << "    " << (c.where.path.empty() ? "" : c.where.to_string() + ": ") << c.what << "\n";
    out << "      expected: " << c.expected << "\n";
    out << "      actual:   " << c.actual << "\n";
    if (!c.evidence.empty()) {
      out << "      events:  ";
      for (std::size_t i = 0; i < c.evidence.size() && i < 10; ++i) out << " #" << c.evidence[i];
      out << "\n";
    }
  }
  if (r.verdict != Verdict::passed && r.checks.empty() && !r.message.empty()) out << "    " << r.message << "\n";
  if (r.verdict != Verdict::passed && !r.dir.empty()) {
    out << "    journal: " << r.dir << "/events.jsonl\n";
    print_view_paths(out, r.dir);
  }
  out.flush();
}

void print_summary(std::ostream& out, const RunSummary& s, bool color) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& r : s.results) ++counts[static_cast<int>(r.verdict)];
  out << "\n" << s.results.size() << " scenario" << (s.results.size() == 1 ? "" : "s") << ": ";
  bool bad = counts[1] + counts[2] + counts[3] + counts[4] > 0;
  if (color) out << (bad ? "\x1b[31m" : "\x1b[32m");
  out << counts[0] << " passed, " << counts[1] << " failed";
  if (counts[2]) out << ", " << counts[2] << " error";
  if (counts[3]) out << ", " << counts[3] << " interrupted";
  if (counts[4]) out << ", " << counts[4] << " flaky";
  if (color) out << "\x1b[0m";
  out << " in " << ms(s.duration_ns) << "\n";
  out << "run directory: " << s.run_dir << "\n";
  out.flush();
}

}  // namespace bbx::report
