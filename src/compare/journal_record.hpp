// One events.jsonl line as the profile builder reads it: the envelope copied out, the body
// a view (json_view.hpp) of the line parsed with Boost.JSON's parser into buffers reused
// from line to line. for_each_record() reads a journal once, as StoredJournal would (a cut last line is
// the tail problem, a bad line with lines after it is corruption), without building
// nlohmann trees. Used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "bbx/event.hpp"
#include "compare/json_view.hpp"
#include "journal/line_scan.hpp"

namespace bbx::compare {

// The event being profiled: its envelope and its body (valid while its line is handled).
struct Record {
  std::uint64_t seq = 0;
  std::int64_t t_ns = 0;
  EventSource source;
  std::string type;
  Val body;
};

// Calls fn with each line's record (valid during the call only), in order. Returns the
// problem of a cut last line, or {0, ""}. Throws bbx::Error (invalid_input,
// "path:LINE:1: ...") on a bad line that lines follow, and what scan_lines throws.
journal::TailProblem for_each_record(const std::filesystem::path& path, const std::function<void(const Record&)>& fn);

}  // namespace bbx::compare
