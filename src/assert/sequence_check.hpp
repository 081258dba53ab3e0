// `sequence:` / `order:` expectations: journal events of several sources happened in a
// given order, as an ordered subsequence (other events may come between). Matching is
// greedy, each item at the earliest event after the previous item's, which finds the
// order whenever one exists.
//
// Failure text names the items matched with their seqs and the first one that did not
// follow, and whether it occurred at all or only too early ("it occurred only before,
// at seq 5").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assert/event_match.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "assert/journal_cursor.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class SequenceCheck {
 public:
  explicit SequenceCheck(const model::SequenceExpectation& spec);
  bool update(const journal::EventLog& journal);  // consumes new events; true when complete
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }  // `during`
  CheckResult result(const SourceLocation& where) const;

  bool matches(std::size_t item, const Event& e) const;
  const std::vector<std::uint64_t>& matched_seqs() const { return seqs_; }

 private:
  const model::SequenceExpectation& spec_;
  std::vector<EventMatcher> items_;
  JournalCursor cursor_;
  std::size_t matched_ = 0;
  std::vector<std::uint64_t> seqs_;       // seq of each matched item, in order
  std::vector<std::uint64_t> first_any_;  // first seq each item matched at all (0 = never)
};

// Where a `during` window lies in the journal now: events with after < seq < before.
// opened is false while its `from` event has not occurred.
struct WindowBounds {
  bool opened = false;
  std::uint64_t after = 0;
  std::uint64_t before = UINT64_MAX;
};
WindowBounds find_window(const model::Window& w, const journal::EventLog& journal);
// " during (A .. B)" / " during (A .. end)".
std::string describe(const model::Window& w);

}  // namespace bbx::assertions
