#include "report/junit.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "report/failure_story.hpp"
#include "report/plain_text.hpp"
#include "report/story_text.hpp"
#include "report/view_paths.hpp"

namespace bbx::report {

namespace {

// XML 1.0 text: markup characters as entities; control characters it does not allow (and
// that an ANSI-free text may still hold) as '?'.
std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "?";  // not allowed in XML 1.0
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string seconds(std::int64_t ns) { return std::to_string(double(ns) / 1e9); }

// The project a run belongs to: the nearest directory from the working directory up that
// holds .git, else the working directory itself.
std::filesystem::path project_root() {
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  for (auto d = cwd; !d.empty(); d = d.parent_path()) {
    if (std::filesystem::exists(d / ".git", ec)) return d;
    if (d == d.parent_path()) break;
  }
  return cwd;
}

// The scenario file relative to the project root however it was typed (./s.yaml, s.yaml,
// /abs/s.yaml), so CI systems group a test the same way in every job; a file outside the
// project keeps its absolute path.
std::string classname_of(const std::string& file, const std::filesystem::path& root) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(file, ec).lexically_normal();
  if (ec || root.empty()) return file;
  auto rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return abs.string();
  return rel.string();
}

// "YYYY-MM-DDTHH:MM:SS" (UTC) from a run id "YYYYMMDD-HHMMSS-mmm[-n]"; "" for anything else
// (a merged report's first run id is one too).
std::string timestamp_of(const std::string& run_id) {
  if (run_id.size() < 15 || run_id[8] != '-') return "";
  for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 9u, 10u, 11u, 12u, 13u, 14u})
    if (!std::isdigit(static_cast<unsigned char>(run_id[i]))) return "";
  return run_id.substr(0, 4) + "-" + run_id.substr(4, 2) + "-" + run_id.substr(6, 2) + "T" + run_id.substr(9, 2) + ":" +
         run_id.substr(11, 2) + ":" + run_id.substr(13, 2);
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// An attribute holds one line: CI systems show failure@message as a title.
std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string failure_type(const FailureStory& story) {
  return story.first ? to_string(story.first->check.kind) : "error";
}

void write_testcase(std::ostringstream& x, const ScenarioResult& r, const JunitOptions& options,
                    const std::filesystem::path& root) {
  x << "    <testcase name=\"" << xml_escape(r.id) << "\" classname=\"" << xml_escape(classname_of(r.file, root)) << "\" time=\""
    << seconds(r.duration_ns) << "\">\n";
  if (r.verdict != Verdict::passed) {
    StoryOptions story_options;
    story_options.context = options.context;
    auto story = tell_failure(r, story_options);
    auto text = story_text(story);
    std::string body = text.cause + text.rest;
    if (!options.rerun.empty())
      body += "  rerun: " + options.rerun + " --id " + shell_quote(r.id) + " " + shell_quote(r.file) + "\n";
    if (!r.dir.empty()) {
      body += "  journal: " + r.dir + "/events.jsonl\n";
      std::ostringstream views;  // timeline.html and trace.json, as under the console's failure
      print_view_paths(views, r.dir);
      body += views.str();
    }
    // A flaky scenario fails the run (exit 1): a failure here too, its message saying flaky.
    const char* tag = r.verdict == Verdict::failed || r.verdict == Verdict::flaky ? "failure" : "error";
    std::string message = story.sentence.empty() ? plain_text(r.message) : story.headline();
    x << "      <" << tag << " message=\"" << xml_escape(one_line(message)) << "\" type=\"" << failure_type(story) << "\">"
      << xml_escape(body) << "</" << tag << ">\n";
    std::string out = text.window + text.tails;
    if (!r.dir.empty()) {  // the failure bundle: the journal and what failure/ holds (snapshot.json, stacks.txt)
      out += "[[ATTACHMENT|" + r.dir + "/events.jsonl]]\n";
      std::error_code ec;
      for (const char* f : {"failure/snapshot.json", "failure/stacks.txt"})
        if (std::filesystem::exists(std::filesystem::path(r.dir) / f, ec)) out += "[[ATTACHMENT|" + r.dir + "/" + f + "]]\n";
    }
    if (!out.empty()) x << "      <system-out>" << xml_escape(out) << "</system-out>\n";
  }
  x << "    </testcase>\n";
}

}  // namespace

std::string junit_xml(const RunSummary& s, const JunitOptions& options) {
  int failures = 0, errors = 0;
  for (const auto& r : s.results) {
    failures += r.verdict == Verdict::failed || r.verdict == Verdict::flaky;
    errors += r.verdict == Verdict::error || r.verdict == Verdict::interrupted;
  }
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"bbx\" tests=\"" << s.results.size() << "\" failures=\"" << failures << "\" errors=\""
    << errors << "\" time=\"" << seconds(s.duration_ns) << "\">\n";
  // The suite's name is the same in every run (CI systems track tests by suite, class and
  // name); the run id is a property.
  x << "  <testsuite name=\"bbx\" tests=\"" << s.results.size() << "\" failures=\"" << failures << "\" errors=\""
    << errors << "\" time=\"" << seconds(s.duration_ns) << "\"";
  if (auto ts = timestamp_of(s.run_id); !ts.empty()) x << " timestamp=\"" << ts << "\"";
  if (auto host = hostname(); !host.empty()) x << " hostname=\"" << xml_escape(host) << "\"";
  x << ">\n";
  std::string flaky;
  std::set<std::string> isolation;
  for (const auto& r : s.results) {
    if (r.verdict == Verdict::flaky) flaky += (flaky.empty() ? "" : ", ") + r.id;
    if (!r.isolation.empty()) isolation.insert(r.isolation);
  }
  auto property = [&](const char* name, const std::string& value) {
    x << "      <property name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
  };
  x << "    <properties>\n";
  property("bbx.version", BBX_VERSION);
  property("bbx.run_id", s.run_id);
  if (!s.run_dir.empty()) property("bbx.run_dir", s.run_dir);
  property("bbx.isolation", std::accumulate(isolation.begin(), isolation.end(), std::string(), [](std::string a, const std::string& b) {
             return a.empty() ? b : a + ", " + b;
           }));
  if (!flaky.empty()) property("flaky", flaky);
  x << "    </properties>\n";
  const auto root = project_root();
  for (const auto& r : s.results) write_testcase(x, r, options, root);
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void write_junit(const std::filesystem::path& path, const RunSummary& s, const JunitOptions& options) {
  std::ofstream out(path);
  out << junit_xml(s, options);
  if (!out) fail_harness("cannot write " + path.string());
}

}  // namespace bbx::report
