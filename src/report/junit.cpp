#include "report/junit.hpp"

#include <filesystem>
#include <fstream>
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

std::string failure_type(const FailureStory& story) {
  return story.first ? to_string(story.first->check.kind) : "error";
}

void write_testcase(std::ostringstream& x, const ScenarioResult& r, const JunitOptions& options) {
  x << "    <testcase name=\"" << xml_escape(r.id) << "\" classname=\"" << xml_escape(r.file) << "\" time=\""
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
    x << "      <" << tag << " message=\"" << xml_escape(message) << "\" type=\"" << failure_type(story) << "\">"
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
  x << "  <testsuite name=\"bbx " << xml_escape(s.run_id) << "\" tests=\"" << s.results.size() << "\" failures=\""
    << failures << "\" errors=\"" << errors << "\" time=\"" << seconds(s.duration_ns) << "\">\n";
  std::string flaky;
  for (const auto& r : s.results)
    if (r.verdict == Verdict::flaky) flaky += (flaky.empty() ? "" : ", ") + r.id;
  if (!flaky.empty())
    x << "    <properties>\n      <property name=\"flaky\" value=\"" << xml_escape(flaky) << "\"/>\n    </properties>\n";
  for (const auto& r : s.results) write_testcase(x, r, options);
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void write_junit(const std::filesystem::path& path, const RunSummary& s, const JunitOptions& options) {
  std::ofstream out(path);
  out << junit_xml(s, options);
  if (!out) fail_harness("cannot write " + path.string());
}

}  // namespace bbx::report
