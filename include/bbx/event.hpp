// The Event: the unit of the journal, bbx's single source of truth (DESIGN.md). Every
// observation in a scenario run is one Event; every view (console, timeline, trace,
// JUnit, diff) is computed from a sequence of them.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bbx {

namespace util {
class TextBuffer;  // src/util/text_buffer.hpp
}

// Who produced an event. kind is one of: "runner", "scenario", "step", "subject", "fake",
// "probe", "assert"; name is the scenario-level name (subject or fake name, step label);
// pid is the OS process id when the source is a process, else 0.
struct EventSource {
  std::string kind;
  std::string name;
  int pid = 0;

  bool operator==(const EventSource&) const = default;
};

// A body kept in its producer's own form (the HTTP fake keeps the parsed request) and made
// into JSON only when needed: as text by the journal's writer, as a tree when someone reads
// the event. Implementations are immutable once appended (read from other threads) and must
// describe one object both ways: nlohmann::json::parse(text) == tree().
class DeferredBody {
 public:
  virtual ~DeferredBody() = default;
  virtual nlohmann::json tree() const = 0;
  virtual void append_text(util::TextBuffer& out) const = 0;  // one JSON object
};

struct Event {
  std::uint64_t seq = 0;   // 1-based, dense, in append order
  std::int64_t t_ns = 0;   // monotonic nanoseconds since the journal (run) started
  std::string wall;        // RFC 3339 UTC with microseconds, derived from t_ns (see below)
  EventSource source;
  std::string type;        // e.g. "process.spawn", "output.line", "http.request"
  nlohmann::json body;     // type-specific payload (an object)
  nlohmann::json attrs;    // free-form annotations: an object, or null for none (written as {})
  // Set by a producer that defers its body. The journal fills `body` from it (and `wall`,
  // which it formats lazily too) before it hands the event to any reader, so readers only
  // ever see `body` and `wall`.
  std::shared_ptr<const DeferredBody> deferred;
};

// The text of recent events' `"source":{...},"type":"..."`: a hot producer journals the same
// few (source, type) pairs again and again (the HTTP fake's request and response), so the
// journal's writer formats each once. Used by one thread at a time.
class EnvelopeCache {
 public:
  std::string_view text(const Event& event);

 private:
  struct Entry {
    EventSource source;
    std::string type;
    std::string text;  // empty: unused
  };
  std::array<Entry, 4> entries_;
  std::size_t next_ = 0;  // the entry replaced next
};

// One line of events.jsonl: keys in the order seq, t_ns, wall, source, type, body, attrs.
std::string event_to_json_line(const Event& event);
// The same line appended to out, with `wall` given (the journal formats it only here).
void append_event_json_line(util::TextBuffer& out, const Event& event, std::string_view wall);
// The same with `wall` formatted from a realtime nanosecond count (the journal's writer).
void append_event_json_line_at(util::TextBuffer& out, const Event& event, std::int64_t wall_realtime_ns,
                               EnvelopeCache& envelopes);
// Parses one events.jsonl line. Throws std::invalid_argument naming what is wrong.
Event event_from_json_line(std::string_view line);

}  // namespace bbx
