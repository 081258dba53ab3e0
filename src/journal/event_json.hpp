// The events.jsonl line format: one JSON object per event, keys in the order seq, t_ns,
// wall, source, type, body, attrs (docs/journal-events.md). Writing (the journal's
// serializer, with a cache of recent envelopes for hot producers) and parsing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bbx/event.hpp"
#include "journal/deferred_body.hpp"
#include "util/text_buffer.hpp"

namespace bbx::journal {

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

// One line of events.jsonl (with its newline), from an event whose wall is set.
std::string event_to_json_line(const Event& event);
// The same line appended to out, with `wall` given.
void append_event_json_line(util::TextBuffer& out, const Event& event, std::string_view wall);
// The journal's writer: `wall` formatted from a realtime nanosecond count, the body from
// `deferred` when it is set (else event.body), the envelope from the cache.
void append_event_json_line_at(util::TextBuffer& out, const Event& event, const DeferredBody* deferred,
                               std::int64_t wall_realtime_ns, EnvelopeCache& envelopes);
// Parses one events.jsonl line (without its newline). Throws std::invalid_argument naming
// what is wrong.
Event event_from_json_line(std::string_view line);
// The type of a line without parsing it: the envelope is written in a fixed order (seq,
// t_ns, wall, source, type, ...) and a JSON string cannot hold an unescaped `"type":"`, so
// its first occurrence is the event's type. Empty when not found (then parse the line).
std::string_view line_type(std::string_view line);

}  // namespace bbx::journal
