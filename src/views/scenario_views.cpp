#include "views/scenario_views.hpp"

#include <cstdio>

#include "bbx/error.hpp"
#include "journal/event_types.hpp"

namespace bbx::views {

namespace {

std::string mb(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
  return text;
}

std::string seconds(std::int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "+%.3fs", double(ns) / 1e9);
  return text;
}

// "<scenario id> (failed)": from scenario.begin and a final scenario.end.
std::string title_of(const journal::EventLog& log) {
  std::string id = "scenario", verdict;
  auto n = log.size();
  if (n == 0) return id;
  try {
    auto first = log.at(1);
    id = first.body.value("id", id);
    auto last = log.at(n);
    if (journal::ev::scenario_end.is(last.type)) verdict = last.body.value("verdict", std::string());
  } catch (const std::exception&) {
  }
  return verdict.empty() ? id + " (no scenario.end: the run was cut short or still runs)" : id + " (" + verdict + ")";
}

}  // namespace

TracePolicy parse_trace_policy(const std::string& text) {
  if (text == "always") return TracePolicy::always;
  if (text == "failed") return TracePolicy::failed;
  if (text == "never") return TracePolicy::never;
  fail_input({}, "--trace: expected always, failed or never, got '" + text + "'");
}

ViewsWritten write_scenario_views(const journal::EventLog& log, const std::filesystem::path& dir, const TraceOptions& trace,
                                  const HtmlOptions& html) {
  ViewsWritten out;
  auto t = write_trace_json(log, dir / "trace.json", trace);
  for (const auto& p : t.parts) out.files.push_back(p.file);
  std::uint64_t bytes = 0;
  for (const auto& p : t.parts) bytes += p.bytes;
  out.messages.push_back("trace: " + t.parts[0].file.string() + " (" + std::to_string(t.trace_events) + " trace events, " +
                         mb(bytes) + "; open it in ui.perfetto.dev)");
  if (t.parts.size() > 1) {
    out.messages.push_back("  the trace is split by time into " + std::to_string(t.parts.size()) +
                           " files (one file would pass " + mb(trace.max_file_bytes) + "):");
    for (const auto& p : t.parts)
      out.messages.push_back("    " + p.file.string() + "  " + seconds(p.from_ns) + " .. " + seconds(p.to_ns) + "  " + mb(p.bytes));
  }
  auto h = write_timeline_html(log, dir / "timeline.html", title_of(log), html);
  out.files.insert(out.files.end(), h.pages.begin(), h.pages.end());
  out.messages.push_back("timeline: " + h.pages[0].string() + " (" + std::to_string(h.events) + " events" +
                         (h.pages.size() > 1 ? ", in " + std::to_string(h.pages.size()) + " pages of up to " +
                                                   std::to_string(html.page_events) + " events)"
                                             : ")"));
  return out;
}

}  // namespace bbx::views
