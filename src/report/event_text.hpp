// One journal event as one line of text for people: the merged-timeline format that every
// text view shares (the console's failure windows, JUnit system-out, `bbx timeline`):
//
//   +1.234s  #48  [app:stderr]  listening on 127.0.0.1:8080
//
// time since a given origin, seq, the source label, and a summary of the body. Every type
// of the catalogue (journal/event_types.hpp) has its own summary; a test checks none falls
// through to the generic one. Every function takes an EventRef: an Event, or a stored
// journal's line viewed without parsing its body into a tree. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "journal/event_ref.hpp"

namespace bbx::report {

// "app:stderr" (a subject's output stream), "app" (its other events), "fake:api",
// "step:http GET /x" (a step, by label), "assert", "runner:sampler", "scenario".
std::string source_label(const journal::EventRef& e);

// What happened, in a few words from the body: "GET /api/x -> route 1", "200 in 47us",
// "exited with code 70", the output line itself, ... Never empty; control characters escaped;
// at most max_chars characters (0: no limit), cut with "…".
std::string event_summary(const journal::EventRef& e, std::size_t max_chars = 0);

// True when event_summary(e) has a summary of its own for e's type (not the generic
// "type {body}" one used for types it does not know).
bool has_own_summary(const std::string& type);

struct EventLineStyle {
  std::int64_t origin_ns = 0;  // t_ns shown as +0.000s
  bool color = false;          // ANSI colours by source kind (and red for failures)
  std::size_t max_chars = 0;   // summary cap (0: none)
};

// "+1.234s  #48  [app:stderr]  text" (no newline).
std::string event_line(const journal::EventRef& e, const EventLineStyle& style = {});
// The same line appended to out (the timeline's loop: no string per event).
void append_event_line(std::string& out, const journal::EventRef& e, const EventLineStyle& style = {});

}  // namespace bbx::report
