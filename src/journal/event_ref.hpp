// A read-only view of one event: over an Event, or straight over its events.jsonl line
// (the envelope's fields as slices of the line, the body as a BodyRef over its text), so
// the views read a stored journal without building a tree per event. The text views
// (report/event_text.hpp) and the timeline's views take EventRefs; an Event converts.
//
// Not owning: the Event or the line must outlive the view. Thread-safe (pure).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "bbx/event.hpp"
#include "journal/body_ref.hpp"

namespace bbx::journal {

struct EventRef {
  struct Source {
    std::string_view kind, name;
    int pid = 0;
  };

  EventRef() = default;
  EventRef(const Event& e)  // NOLINT: implicit, so every Event is an EventRef
      : seq(e.seq), t_ns(e.t_ns), wall(e.wall), source{e.source.kind, e.source.name, e.source.pid}, type(e.type),
        body(e.body), event(&e) {}

  std::uint64_t seq = 0;
  std::int64_t t_ns = 0;
  std::string_view wall;
  Source source;
  std::string_view type;
  BodyRef body;
  const Event* event = nullptr;  // the Event viewed; null when read from a line
  std::string_view line;         // the events.jsonl line read (without its newline); empty for an Event
};

// The view of one events.jsonl line as the journal's writer wrote it (journal/event_json.hpp:
// keys in their fixed order, compact, no escapes in the envelope's strings). nullopt for any
// other line: parse it with event_from_json_line (which says what is wrong, if anything).
std::optional<EventRef> event_ref_of_line(std::string_view line);

}  // namespace bbx::journal
