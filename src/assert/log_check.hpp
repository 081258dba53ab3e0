// `log:` expectations: lines of a subject's output (journal output.line events) or of a log
// file in the sandbox, counted against a matcher, or checked for unexpected error lines.
//
// Failure text names the lines involved by journal seq ("seq 14") for output streams and
// by line number ("line 3") for files: every matching (or unexpected error) line up to
// kLinesShown (near_miss.hpp), the first on the message's first line, and how many more
// there were; when too few lines matched, the closest lines are shown (ranked by edit
// distance to the substring; the last lines for a regex).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "assert/text_match.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "assert/journal_cursor.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

// Accumulates lines, one at a time, for one log expectation.
class LineTally {
 public:
  explicit LineTally(const model::LogExpectation& spec);
  // ref: how to cite the line ("seq 14", "line 3"); seq: its journal seq or 0.
  void add(const std::string& line, const std::string& ref, std::uint64_t seq);
  bool satisfied() const;
  // what = the expectation as text ("log of subject 'app' (stderr): contains \"x\"").
  CheckResult result(const std::string& what, const SourceLocation& where) const;

 private:
  struct Line {
    std::string text, ref;
    std::uint64_t seq;
  };
  CheckResult count_result(CheckResult r) const;
  CheckResult errors_result(CheckResult r) const;
  std::string listed_hits() const;

  const model::LogExpectation& spec_;
  std::optional<Matcher> match_, errors_;
  std::vector<Matcher> only_;
  std::int64_t count_ = 0, error_lines_ = 0;
  std::size_t undecided_ = 0;  // lines a regex was too complex to decide (text_match.hpp)
  std::vector<Line> hits_;    // matching (or unexpected error) lines, first few
  std::vector<Line> others_;  // non-matching lines kept as near-miss candidates
  std::int64_t total_ = 0;
};

// Incremental check of a subject's output stream(s) in the journal.
class LogCheck {
 public:
  explicit LogCheck(const model::LogExpectation& spec) : spec_(spec), tally_(spec) {}
  bool update(const journal::EventLog& journal);  // consumes new events; true when satisfied
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

 private:
  const model::LogExpectation& spec_;
  LineTally tally_;
  JournalCursor cursor_;
};

// Reads the log file (spec.file, relative to sandbox) now and checks it.
CheckResult check_log_file(const model::LogExpectation& spec, const std::filesystem::path& sandbox,
                           const SourceLocation& where);

// "log of subject 'app' (stderr): contains \"x\"" / "log file 'app.log': ...".
std::string describe(const model::LogExpectation& spec);

}  // namespace bbx::assertions
