// `bbx timeline` as text: the events of one journal that a TimelineFilter admits, one line
// each in the shared format of report/event_text.hpp (`+1.234s  #48  [app:stderr]  text`,
// coloured by source on request), or passed through as JSONL. Streams: one event at a time
// and an output buffer of at most 64 KiB, whatever the journal's size.
#pragma once

#include <cstdint>
#include <ostream>

#include "journal/event_log.hpp"
#include "views/timeline_filter.hpp"

namespace bbx::views {

struct TimelineTextOptions {
  bool color = false;  // ANSI colours by source kind (report::EventLineStyle)
  bool json = false;   // each admitted event as its events.jsonl line instead
};

struct TimelineTextProgress {
  std::uint64_t next_seq = 1;  // where a later call resumes (--follow)
  std::uint64_t written = 0;   // lines written by this call
  bool finished = false;       // the filter can admit nothing after this point
  bool ended = false;          // scenario.end was read: the journal is complete
};

// Writes what `filter` (resolved against log) admits from seq max(from_seq, filter's first)
// on. Throws what the log's scan throws (a corrupt journal: bbx::Error invalid_input).
TimelineTextProgress write_timeline_text(const journal::EventLog& log, const TimelineFilter& filter, std::ostream& out,
                                         const TimelineTextOptions& options, std::uint64_t from_seq = 1);

}  // namespace bbx::views
