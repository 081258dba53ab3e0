// The Event: the unit of the journal, bbx's single source of truth (DESIGN.md). Every
// observation in a scenario run is one Event; every view (console, timeline, trace,
// JUnit, diff) is computed from a sequence of them. docs/journal-events.md lists every
// type, its body and which fields vary from run to run.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace bbx {

// Who produced an event. kind is one of: "runner", "scenario", "step", "subject", "fake",
// "probe", "assert"; name is the scenario-level name (subject or fake name, step label);
// pid is the OS process id when the source is a process, else 0.
struct EventSource {
  std::string kind;
  std::string name;
  int pid = 0;

  bool operator==(const EventSource&) const = default;
};

struct Event {
  std::uint64_t seq = 0;   // 1-based, dense, in append order
  std::int64_t t_ns = 0;   // monotonic nanoseconds since the journal (run) started
  std::string wall;        // RFC 3339 UTC with microseconds, derived from t_ns
  EventSource source;
  std::string type;        // e.g. "process.spawn", "output.line", "http.request"
  nlohmann::json body;     // type-specific payload (an object)
  nlohmann::json attrs;    // free-form annotations: an object, or null for none (written as {})
};

}  // namespace bbx
