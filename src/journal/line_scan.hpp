// Reading events.jsonl lines from a byte range of the file, in fixed-size chunks: the one
// disk reader behind the live journal's re-reads of evicted events and the stored journal.
// Memory is one chunk plus the longest line, whatever the range's size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "bbx/event.hpp"
#include "journal/event_log.hpp"

namespace bbx::journal {

// What a scan found at the end of the range when the file ended without a newline or
// with a line that is not an event: the run was cut off while writing it.
struct TailProblem {
  std::uint64_t line = 0;  // 1-based line number in the file (0: none)
  std::string what;        // "no newline at the end (the run was cut off)", "not JSON: ..."
};

struct LineScan {
  std::uint64_t begin = 0;  // byte offset of the first line to read
  std::uint64_t end = UINT64_MAX;  // byte offset after the last byte to read (clamped to the file)
  std::uint64_t first_line = 1;    // the line number at `begin`, for messages
};

// Calls on_line(offset, line_number, text) for each complete line in the range (text
// without its newline), until it returns false. A final line without a newline is not
// passed: it is reported in the returned TailProblem (line = its number). Returns the
// problem, or {0, ""}. Throws bbx::Error (harness) when the file cannot be read.
TailProblem scan_lines(const std::filesystem::path& path, const LineScan& range,
                       const std::function<bool(std::uint64_t offset, std::uint64_t line, std::string_view text)>& on_line);

// scan_lines() that parses the lines `types` admits into events (others are passed over
// by their type alone) and calls fn until it returns false; lines before from_line are
// skipped unparsed. on_line, when given, sees every complete line's offset and number
// first (the stored journal's index). A line that does not parse is corruption when lines
// follow it: bbx::Error (invalid_input) "path:LINE:1: ..."; when it is the range's last
// line it is reported as the tail problem instead.
using LineHook = std::function<void(std::uint64_t offset, std::uint64_t line)>;
TailProblem scan_events(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                        const EventLog::Visit& fn, std::uint64_t from_line = 0, const LineHook& on_line = {});
// scan_events() giving views: of the line itself when it is in the writer's form
// (event_ref_of_line), else of the event parsed from it; same errors.
TailProblem scan_event_refs(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                            const EventLog::RefVisit& fn, std::uint64_t from_line = 0, const LineHook& on_line = {});

}  // namespace bbx::journal
