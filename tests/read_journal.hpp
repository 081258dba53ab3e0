// For tests: a whole stored journal read into memory through the one reader
// (journal::StoredJournal), with what it found wrong at the end of the file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bbx/event.hpp"
#include "journal/event_types.hpp"
#include "journal/stored_journal.hpp"

namespace bbx::testing {

struct JournalContents {
  std::vector<Event> events;
  bool truncated_tail = false;  // the last line was cut off or does not parse
  std::string tail_problem;     // "line N: why", when truncated_tail
};

// Throws what StoredJournal throws (a missing file, a corrupt line before the last), and
// std::runtime_error for an event whose type is not in the catalogue or whose source kind
// the catalogue does not list for it: every journal a test reads checks what src/ appends.
inline JournalContents read_journal(const std::filesystem::path& path) {
  journal::StoredJournal stored(path);
  JournalContents out;
  stored.for_each(1, [&](const Event& e) {
    const journal::EventType* type = nullptr;
    for (const auto& t : journal::ev::all)
      if (t.is(e.type)) type = &t;
    if (!type) throw std::runtime_error(path.string() + ": seq " + std::to_string(e.seq) + ": type '" + e.type + "' is not catalogued");
    bool listed = false;
    std::string_view kinds = type->sources();
    for (std::size_t at = 0; at <= kinds.size();) {
      auto comma = std::min(kinds.find(',', at), kinds.size());
      listed = listed || kinds.substr(at, comma - at) == e.source.kind;
      at = comma + 1;
    }
    if (!listed)
      throw std::runtime_error(path.string() + ": seq " + std::to_string(e.seq) + ": " + e.type + " from a '" +
                               e.source.kind + "' source; the catalogue lists " + std::string(type->sources()));
    out.events.push_back(e);
    return true;
  });
  if (auto tail = stored.tail_problem()) {
    out.truncated_tail = true;
    out.tail_problem = "line " + std::to_string(tail->line) + ": " + tail->what;
  }
  return out;
}

}  // namespace bbx::testing
