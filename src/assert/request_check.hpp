// Counting the requests a fake received that match an expectation, incrementally: each
// update() reads only the events appended since the last one.
//
// A request matches when method (case-insensitive), path (glob), every query parameter
// (value glob; parameters are compared as sent, not percent-decoded), every header (name
// case-insensitive, value glob) and the body matcher all agree. Requests at the same fake
// that do not match are near misses: the failure text shows the closest three (on the
// expected path first, then fewest differing fields, then oldest), each with what differs,
// its journal seq, every header it sent and a preview of its body; a missing header names
// a sent one whose name is a plausible misspelling of it:
//   "closest of 2 other requests at 'api': GET /x (seq 12): header X-Request-Id missing (it sent X-Req-Id: 42)
//       |   headers: Host: 127.0.0.1:9001, X-Req-Id: 42
//       |   no body"
#pragma once

#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "assert/journal_cursor.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class RequestCheck {
 public:
  explicit RequestCheck(const model::RequestExpectation& spec) : spec_(spec) {}

  // Consumes new journal events; returns whether the count is now satisfied.
  bool update(const journal::EventLog& journal);
  // The verdict with expected/actual text and the matching events as evidence.
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

  static bool matches(const model::RequestExpectation& spec, const Event& event);
  // What differs between spec and an http.request event ("path differs: expected /a, got
  // /b"); empty when it matches.
  // With undecided: set (and nothing returned) when everything but the body matched and the
  // body regex was too complex to decide (text_match.hpp).
  static std::vector<std::string> differences(const model::RequestExpectation& spec, const Event& event,
                                              bool* undecided = nullptr);

 private:
  struct Miss {
    std::uint64_t seq;
    std::string request;  // "GET /x?y=1"
    std::vector<std::string> diffs;
    bool same_path;       // its path matches the expected one
    std::string headers;  // "Host: ..., X-Req-Id: 42": every header it sent
    std::string body;     // "no body" / "body (12 bytes): \"...\""
  };
  const model::RequestExpectation& spec_;
  JournalCursor cursor_;
  std::int64_t count_ = 0;
  std::vector<std::uint64_t> evidence_;
  std::vector<std::string> matched_;  // the first few matching requests, as text
  std::vector<Miss> misses_;  // the closest few so far, best first
  std::int64_t other_count_ = 0;
  std::size_t undecided_ = 0;  // requests whose body the regex could not decide
};

// "request at fake 'api': GET /v1/*" (or "any method", "any path"), then the other fields.
std::string describe(const model::RequestExpectation& spec);

// `strict:` — every request at the fake matched a route and one of `requests` (the
// scenario's request expectations for it; those expecting absence do not count). Reads the whole journal.
CheckResult check_strict(const model::StrictExpectation& spec, const std::vector<const model::RequestExpectation*>& requests,
                         const journal::EventLog& journal, const SourceLocation& where);

}  // namespace bbx::assertions
