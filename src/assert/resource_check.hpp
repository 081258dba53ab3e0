// `resources:` expectations over a subject's `resource.sample` journal events (written by
// the runner's resource sampler, profile/resource_sampler.hpp; source = the subject). Over
// the samples read (the whole run, or a `during` window):
//   - peaks: max_rss (rss_bytes), cpu (cpu_ms, compared in ns), fds, threads, max_pss
//     (pss_bytes, of the samples that read it): the highest value must lie in its range;
//   - totals: read_bytes, write_bytes, ctx_switches (ctx_voluntary + ctx_involuntary): the
//     tree's total at the last sample (since the subject started), or, in a `during` window,
//     its growth from the first to the last sample in the window; a total that drops is a
//     restart, whose new total adds on;
//   - cpu_percent: 100 * the growth of cpu_ms / the time from the first to the last sample
//     (100 = one core), compared in hundredths of a percent; needs two samples.
// A measure no sample carries (an older bbx's journal, PSS never read) is unknown and fails.
//
// Text: expected "max_rss < 64MiB, cpu < 2s, write_bytes < 1MiB, cpu_percent < 50"; actual
// names each value with its time since the run started and its seq(s), and says which range
// it misses:
//   "max_rss peak 80.0MiB at t=1.234s (seq 57), not < 64MiB; write_bytes 2.0MiB at t=2.010s
//    (seq 80), not < 1MiB; cpu_percent 99.1% over t=0.105s..2.010s (seqs 5..80), not < 50;
//    23 samples". No sample at all fails ("no resource samples of subject 'app'"). A failing
// total or rate cites the first and the last sample's seqs.
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
  bool update(const journal::EventLog& journal);  // consumes new events; true while every measure is in range
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) {
    cursor_.limit(after, before);
    windowed_ = true;
  }

  struct Peak {
    std::int64_t value = -1;  // -1: no sample yet
    std::int64_t t_ns = 0;
    std::uint64_t seq = 0;
  };
  // A monotonic total's growth over the samples read.
  struct Growth {
    std::optional<std::int64_t> last;  // the last sample's total
    std::int64_t sum = 0;              // counted so far
    std::int64_t first_t_ns = 0, last_t_ns = 0;
    std::uint64_t first_seq = 0, last_seq = 0;
  };

  enum Measure { rss, cpu, fds, threads, pss, read, write, ctx, cpu_percent, kMeasures };

 private:
  const std::optional<model::Count>& range(int m) const;
  std::optional<std::int64_t> value(int m) const;  // nullopt: unknown
  bool in_range(int m) const;
  std::string value_text(int m) const;
  void add(Growth& g, std::int64_t v, const Event& e, bool from_zero) const;

  const model::ResourceExpectation& spec_;
  JournalCursor cursor_;
  bool windowed_ = false;
  std::array<Peak, kMeasures> peaks_{};      // rss, cpu, fds, threads, pss
  std::array<Growth, kMeasures> growth_{};   // read, write, ctx, cpu_percent (cpu_ms)
  std::uint64_t samples_ = 0;
};

std::string describe(const model::ResourceExpectation& spec);

}  // namespace bbx::assertions
