// Counting the requests a fake received that match an expectation, incrementally: each
// update() reads only the events appended since the last one.
#pragma once

#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class RequestCheck {
 public:
  explicit RequestCheck(const model::RequestExpectation& spec) : spec_(spec) {}

  // Consumes new journal events; returns whether the count is now satisfied.
  bool update(const journal::Journal& journal);
  // The verdict with expected/actual text and the matching events as evidence.
  CheckResult result(const SourceLocation& where) const;

  static bool matches(const model::RequestExpectation& spec, const Event& event);

 private:
  const model::RequestExpectation& spec_;
  std::uint64_t next_seq_ = 1;
  std::int64_t count_ = 0;
  std::vector<std::uint64_t> evidence_;
  std::vector<std::string> others_;  // "GET /x" of requests at the same fake that did not match
  std::int64_t other_count_ = 0;
};

// "request at fake 'api': GET /v1/*" (or "any method", "any path").
std::string describe(const model::RequestExpectation& spec);

}  // namespace bbx::assertions
