#include "report/junit.hpp"

#include <fstream>
#include <sstream>

#include "report/console.hpp"
#include "report/plain_text.hpp"

namespace bbx::report {

namespace {

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

}  // namespace

std::string junit_xml(const RunSummary& s) {
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
  for (const auto& r : s.results) {
    x << "    <testcase name=\"" << xml_escape(r.id) << "\" classname=\"" << xml_escape(r.file) << "\" time=\""
      << seconds(r.duration_ns) << "\">\n";
    if (r.verdict != Verdict::passed) {
      std::ostringstream detail;
      print_scenario(detail, r, false);
      // A flaky scenario fails the run (exit 1): a failure here too, its message saying flaky.
      const char* tag = r.verdict == Verdict::failed || r.verdict == Verdict::flaky ? "failure" : "error";
      x << "      <" << tag << " message=\"" << xml_escape(plain_text(r.message)) << "\">" << xml_escape(detail.str())
        << "</" << tag << ">\n";
    }
    x << "    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void write_junit(const std::filesystem::path& path, const RunSummary& s) {
  std::ofstream out(path);
  out << junit_xml(s);
  if (!out) fail_harness("cannot write " + path.string());
}

}  // namespace bbx::report
