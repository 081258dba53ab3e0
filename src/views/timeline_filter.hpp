// Which events of one journal a timeline shows: the filters of `bbx timeline` (sources,
// types, a regex, a time or seq range, windows around a seq or around failed assertions),
// parsed once from the command line and then resolved against each journal (mark names
// looked up, failures found) into a streaming predicate. Nothing here holds events: memory
// is the filter's windows (at most ~200 per failed assertion), whatever the journal's size.
//
// Syntax (docs in `bbx help timeline`):
//   --source GLOB   the event's source label (`app:stderr`, `fake:api`, `step:http GET /x`),
//                   its source name or its source kind; `app` also admits `app:...` labels
//   --type GLOB     the event type (`http.*`, `assert.fail`)
//   --grep REGEX    searched in the line as printed, without colour (PCRE2, util/regex.hpp)
//   --since/--until POINT   inclusive; POINT is a time since the scenario's start (`1.5s`,
//                   `+250ms`), a seq (`#48` or `48`) or a mark's name (`mark:NAME` or NAME;
//                   the first mark of that name)
//   --around SEQ[±N]  N events either side of SEQ (default 10; `+-N` works too)
//   --failures      only the N events either side of each failed assertion (assert.fail)
//                   and of each event it cites as evidence (N = 10)
// A journal for which a POINT cannot be resolved (no such mark) is invalid input for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bbx/event.hpp"
#include "journal/event_log.hpp"
#include "util/regex.hpp"

namespace bbx::views {

struct TimelineFilterSpec {
  std::vector<std::string> sources{};
  std::vector<std::string> types{};
  std::optional<std::string> grep{};
  std::optional<std::string> since{}, until{};
  std::optional<std::string> around{};
  bool failures = false;
};

// Events within this many seqs of a failure (and of its evidence) are shown by --failures.
inline constexpr std::uint64_t kFailureContext = 10;

// One place in a journal named on the command line.
struct TimelinePoint {
  enum class Kind { time, seq, mark } kind = Kind::seq;
  std::int64_t t_ns = 0;
  std::uint64_t seq = 0;
  std::string mark;
};

// Parses a POINT (see above). Throws bbx::Error (invalid_input) naming `option`.
TimelinePoint parse_point(const std::string& option, const std::string& text);
// Parses SEQ[±N]: {seq, N}. Throws bbx::Error (invalid_input).
std::pair<std::uint64_t, std::uint64_t> parse_around(const std::string& text);

// A filter resolved against one journal. admits() decides one event; done() tells a scan
// it may stop (the event is past every window and past --until).
class TimelineFilter {
 public:
  // Checks the spec without a journal (regex, points, --around): bbx::Error (invalid_input).
  explicit TimelineFilter(const TimelineFilterSpec& spec);

  // Resolves marks and failure windows against `log` (type-filtered scans: lines of other
  // types are not parsed). Throws bbx::Error (invalid_input) when a mark is not in it.
  void resolve(const journal::EventLog& log, const std::string& journal_name);

  // The types a scan needs (all when no --type).
  const journal::TypeFilter& types() const { return types_; }
  // The first seq a scan needs to look at.
  std::uint64_t first_seq() const;
  // Whether to show e. `line` is the plain line as printed (for --grep); pass nullptr when
  // there is no --grep (needs_line() is false).
  bool admits(const journal::EventRef& e, const std::string* line) const;
  bool needs_line() const { return grep_.has_value(); }
  // True once e is past --until and past the last window: nothing later can be admitted.
  bool done(const journal::EventRef& e) const;
  // Windows of seqs (inclusive, sorted, disjoint) that --around/--failures allow; empty
  // vector with windowed() false: no window limit.
  const std::vector<std::pair<std::uint64_t, std::uint64_t>>& windows() const { return windows_; }
  bool windowed() const { return windowed_; }
  // The failed assertions --failures found (0 without --failures).
  std::size_t failures_found() const { return failures_found_; }

 private:
  bool source_admits(const journal::EventRef& e) const;
  std::uint64_t point_seq(const TimelinePoint& p, const journal::EventLog& log, const std::string& journal_name,
                          const std::string& option) const;

  TimelineFilterSpec spec_;
  journal::TypeFilter types_;
  std::vector<std::string> type_globs_;  // globs that matched no catalogued type
  std::optional<util::Regex> grep_;
  std::optional<TimelinePoint> since_, until_;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> around_;
  // Resolved:
  std::uint64_t since_seq_ = 0, until_seq_ = UINT64_MAX;
  std::int64_t since_ns_ = INT64_MIN, until_ns_ = INT64_MAX;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> windows_;
  bool windowed_ = false;
  std::size_t failures_found_ = 0;
};

}  // namespace bbx::views
