// `statsd_event:` and `service_check:` expectations: counting the DogStatsD events and
// service checks a statsd fake received (journal `statsd.event` / `statsd.service_check`
// events) that match a name glob (an event's title, a check's name), a text (an event's
// text, a check's message), a status (checks) and tags, incrementally: each update() reads
// only the events appended since the last one.
//
// Failure text names what was seen: too many shows the first matching ones with their seqs;
// too few shows the other events (or checks) at the fake, each with what differs, e.g.
//   "0 matching; 1 other service check at 'metrics': app.db status critical #env:prod
//    (seq 9): status critical, expected ok".
#pragma once

#include <string>
#include <vector>

#include "assert/journal_cursor.hpp"
#include "assert/text_match.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "journal/event_log.hpp"

namespace bbx::assertions {

class DogStatsdCheck {
 public:
  // Keeps a reference to spec, which must outlive the check.
  explicit DogStatsdCheck(const model::DogStatsdExpectation& spec);

  // Consumes new journal events; returns whether the count is now satisfied.
  bool update(const journal::EventLog& journal);
  // The verdict with expected/actual text and the matching events as evidence.
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

 private:
  struct Seen {
    std::string text;               // as the failure shows it
    std::vector<std::string> diffs;  // what differs from the expectation (others only)
    std::uint64_t seq;
  };
  const model::DogStatsdExpectation& spec_;
  std::optional<Matcher> match_;
  JournalCursor cursor_;
  std::int64_t count_ = 0;
  std::vector<Seen> hits_;    // the first few matching
  std::vector<Seen> others_;  // the first few not matching
  std::int64_t other_count_ = 0;
  std::vector<std::uint64_t> evidence_;
};

// "service check at fake 'metrics': app.db status ok #env:prod" (or "statsd event at ...").
std::string describe(const model::DogStatsdExpectation& spec);

}  // namespace bbx::assertions
