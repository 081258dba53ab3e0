// `message:` expectations: counting the messages a generic TCP fake received (journal
// `tcp.message` events) that contain or match a text, incrementally: each update() reads
// only the events appended since the last one. The text matched is the journaled `data`
// (the message, invalid UTF-8 bytes as \xHH; only the head of an oversize message).
//
// Failure text names what was seen: too many shows the first matching messages with their
// seqs; too few shows the closest other messages at the fake (substring: smallest edit
// distance; regex: the newest), e.g.
//   "0 matching; 2 other messages at 'kv'; closest: "GET kex" (seq 9, conn 1), "PING" (seq 7, conn 1)".
#pragma once

#include <string>
#include <vector>

#include "assert/journal_cursor.hpp"
#include "assert/text_match.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class MessageCheck {
 public:
  // Keeps a reference to spec, which must outlive the check. Throws bbx::Error (invalid
  // input) when the regex does not compile.
  explicit MessageCheck(const model::MessageExpectation& spec);

  // Consumes new journal events; returns whether the count is now satisfied.
  bool update(const journal::EventLog& journal);
  // The verdict with expected/actual text and the matching events as evidence.
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

  // Is e a tcp.message at fake whose data the matcher (if any) accepts?
  static bool is_message_at(const std::string& fake, const Event& e);

 private:
  struct Seen {
    std::string text;
    std::uint64_t seq;
    std::uint64_t conn;
  };
  const model::MessageExpectation& spec_;
  std::optional<Matcher> match_;
  std::size_t undecided() const { return match_ ? match_->undecided() : 0; }
  JournalCursor cursor_;
  std::int64_t count_ = 0;
  std::vector<Seen> hits_;    // the first few matching
  std::vector<Seen> others_;  // the newest non-matching, bounded
  std::int64_t other_count_ = 0;
  std::vector<std::uint64_t> evidence_;
};

// "message at fake 'kv' contains \"PING\"" (or "any message at fake 'kv'").
std::string describe(const model::MessageExpectation& spec);

}  // namespace bbx::assertions
