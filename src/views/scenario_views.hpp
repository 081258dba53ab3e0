// The files a scenario's directory gets from its journal beside events.jsonl: trace.json
// (views/trace_json.hpp) and timeline.html (views/timeline_html.hpp). Written by the runner
// process at the end of its scenario (`bbx run --trace always|failed|never`, default
// failed) and on demand by `bbx timeline --trace`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "journal/event_log.hpp"
#include "views/timeline_html.hpp"
#include "views/trace_json.hpp"

namespace bbx::views {

enum class TracePolicy { always, failed, never };
// "always", "failed", "never"; throws bbx::Error (invalid_input) naming --trace otherwise.
TracePolicy parse_trace_policy(const std::string& text);

struct ViewsWritten {
  std::vector<std::filesystem::path> files;  // every file written
  std::vector<std::string> messages;         // one line each, for people: paths, sizes, splits and pages
};

// Writes trace.json and timeline.html (with their extra parts and pages when the journal
// is big) into dir. Throws bbx::Error (harness) when a file cannot be written.
ViewsWritten write_scenario_views(const journal::EventLog& log, const std::filesystem::path& dir,
                                  const TraceOptions& trace = {}, const HtmlOptions& html = {});

}  // namespace bbx::views
