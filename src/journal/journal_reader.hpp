// Reads an events.jsonl file written by Journal, for the offline views (timeline, diff,
// merge) and for tests. A run killed mid-write can leave a truncated last line: the reader
// keeps every complete event and reports the damage instead of failing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bbx/event.hpp"

namespace bbx::journal {

struct JournalContents {
  std::vector<Event> events;
  bool truncated_tail = false;   // the last line was incomplete or unparsable
  std::string tail_problem;      // why, when truncated_tail
};

// Throws bbx::Error (invalid_input) when the file cannot be opened, or when a line other
// than the last is not an event ("path:line:1: ..."): that is corruption, not truncation.
JournalContents read_journal(const std::filesystem::path& path);

}  // namespace bbx::journal
