#include "report/console.hpp"

#include <algorithm>
#include <cstdio>

#include "report/failure_story.hpp"
#include "report/plain_text.hpp"
#include "report/story_text.hpp"
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

std::string escape_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_property(const std::string& s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

std::string github_annotation(const std::string& file, const SourceLocation& where, const std::string& title,
                              const std::string& message) {
  std::string path = where.path.empty() ? file : where.path;
  std::string out = "::error file=" + escape_property(path);
  if (where.line > 0) out += ",line=" + std::to_string(where.line) + ",col=" + std::to_string(std::max(1, where.column));
  else out += ",line=1";
  return out + ",title=" + escape_property(title) + "::" + escape_data(message);
}

void print_scenario(std::ostream& out, const ScenarioResult& result, const ConsoleOptions& options) {
  const ScenarioResult r = plain_result(result);
  if (options.color) out << colour(r.verdict);
  out << label(r.verdict);
  if (options.color) out << "\x1b[0m";
  out << "  " << r.id << "  (" << ms(r.duration_ns) << ", " << r.isolation << ")\n";
  if (r.verdict == Verdict::passed) return out.flush(), void();
  StoryOptions story_options;
  story_options.context = options.context;
  auto story = tell_failure(result, story_options);
  auto text = story_text(story);
  out << text.cause << text.window << text.tails << text.rest;
  if (!options.rerun.empty() && !r.id.empty())
    out << "  rerun: " << options.rerun << " --id " << shell_quote(r.id) << " " << shell_quote(r.file) << "\n";
  if (!r.dir.empty()) {
    out << "  journal: " << r.dir << "/events.jsonl\n";
    print_view_paths(out, r.dir);
  }
  if (options.github && !story.sentence.empty())
    out << github_annotation(r.file, story.where, "bbx: " + r.id, story.headline()) << "\n";
  out.flush();
}

void print_summary(std::ostream& out, const RunSummary& s, bool color) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const auto& r : s.results) ++counts[static_cast<int>(r.verdict)];
  out << "\n" << s.results.size() << " scenario" << (s.results.size() == 1 ? "" : "s");
  if (s.runs) out << ", " << s.runs << " runs";
  out << ": ";
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
