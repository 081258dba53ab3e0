#include "views/timeline_text.hpp"

#include <algorithm>
#include <string>

#include "journal/event_json.hpp"
#include "journal/event_types.hpp"
#include "report/event_text.hpp"

namespace bbx::views {

TimelineTextProgress write_timeline_text(const journal::EventLog& log, const TimelineFilter& filter, std::ostream& out,
                                         const TimelineTextOptions& options, std::uint64_t from_seq) {
  TimelineTextProgress p;
  std::string buffer;
  buffer.reserve(80 << 10);
  auto flush = [&] {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
  };
  report::EventLineStyle plain;
  report::EventLineStyle coloured;
  coloured.color = true;
  std::string line;
  const std::uint64_t start = std::max(from_seq, filter.first_seq());
  // Views of the lines: a stored journal's events are formatted without a tree per event.
  p.next_seq = log.for_each_ref_of(filter.types(), start, [&](const journal::EventRef& e) {
    if (journal::ev::scenario_end.is(e.type)) p.ended = true;
    const std::string* text = nullptr;
    if (filter.needs_line()) {
      line.clear();
      report::append_event_line(line, e, plain);
      text = &line;
    }
    if (filter.admits(e, text)) {
      if (options.json) {  // the event as the writer writes it (its body's keys sorted)
        buffer += journal::event_to_json_line(e.event ? *e.event : journal::event_from_json_line(e.line));
      } else if (options.color) {
        report::append_event_line(buffer, e, coloured);
        buffer += '\n';
      } else if (text) {
        buffer += line;
        buffer += '\n';
      } else {
        report::append_event_line(buffer, e, plain);
        buffer += '\n';
      }
      ++p.written;
      if (buffer.size() >= (64 << 10)) flush();
    }
    if (filter.done(e)) {
      p.finished = true;
      return false;
    }
    return true;
  });
  flush();
  // scenario.end may be filtered out by type: the scan then never sees it.
  return p;
}

}  // namespace bbx::views
