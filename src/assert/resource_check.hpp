// `resources:` expectations over a subject's `resource.sample` journal events (written by
// the runner's resource sampler, body {rss_bytes, cpu_ms, fds, threads, processes}, source
// = the subject). The peak of each constrained measure over the samples read (the whole run,
// or a `during` window) must lie in its range: max_rss (bytes), cpu (CPU time of the tree,
// compared in ns), fds, threads.
//
// Text: expected "max_rss < 64MiB, cpu < 2s"; actual names each peak with its time since the
// run started and its seq, and says which range it misses:
//   "max_rss peak 80.0MiB at t=1.234s (seq 57), not < 64MiB; cpu peak 30ms at t=2.010s
//    (seq 80); 23 samples". No sample at all fails ("no resource samples of subject 'app'").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "assert/journal_cursor.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class ResourceCheck {
 public:
  explicit ResourceCheck(const model::ResourceExpectation& spec) : spec_(spec) {}
  bool update(const journal::EventLog& journal);  // consumes new events; true while every peak is in range
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

  struct Peak {
    std::int64_t value = -1;  // -1: no sample yet
    std::int64_t t_ns = 0;
    std::uint64_t seq = 0;
  };

 private:
  enum Measure { rss, cpu, fds, threads };
  const std::optional<model::Count>& range(int m) const;
  bool in_range(int m) const;
  std::string peak_text(int m) const;

  const model::ResourceExpectation& spec_;
  JournalCursor cursor_;
  std::array<Peak, 4> peaks_{};
  std::uint64_t samples_ = 0;
};

std::string describe(const model::ResourceExpectation& spec);

}  // namespace bbx::assertions
