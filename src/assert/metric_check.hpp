// `metric:` expectations (and `strict:` on a metric fake) over the statsd samples a fake journaled (the `samples` of `statsd.datagram` events,
// body = fakes::to_json(MetricSample): {name, type, value, rate, tags: ["k:v"], ...}).
//
// Samples are selected by name glob, type, tags (each listed tag must be on the sample)
// and ignore globs, then aggregated with fakes::MetricAggregates as one series (the type
// of the first selected sample; samples of other types are not aggregated). "Never sent"
// (`absent`) passes only when nothing was selected. Failure text lists each aggregate
// that is out of range, or, when nothing was selected, the closest series sent (name, type
// and tags; ranked by name edit distance, then by how many of type and tags differ), each
// with what differs:
//   "fixture.requests (counter, #env:dev) x3 (seq 12): tag env:prod missing (it has env:dev)".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "fakes/metrics/aggregate.hpp"
#include "assert/journal_cursor.hpp"
#include "journal/journal.hpp"

namespace bbx::assertions {

class MetricCheck {
 public:
  explicit MetricCheck(const model::MetricExpectation& spec) : spec_(spec) {}
  bool update(const journal::EventLog& journal);  // consumes new events; true when satisfied
  CheckResult result(const SourceLocation& where) const;
  // Only events with after < seq < before count (a `during` window).
  void limit(std::uint64_t after, std::uint64_t before) { cursor_.limit(after, before); }

 private:
  bool satisfied() const;
  void consider(fakes::MetricSample sample, std::uint64_t seq);  // one sample of datagram `seq`
  std::optional<double> aggregate(const std::string& key) const;

  const model::MetricExpectation& spec_;
  JournalCursor cursor_;
  fakes::MetricAggregates aggregates_;
  std::optional<fakes::MetricType> type_;
  std::vector<std::uint64_t> evidence_;         // seqs of statsd.datagram events with a selected sample (first kEvidenceKept)
  std::size_t matched_ = 0;                     // selected samples
  std::vector<std::string> shown_;             // the first few selected samples, as text
  struct Series {  // samples not selected, by name, type and tags
    std::string name, type;
    std::vector<std::string> tags;  // "k:v" or "k", as sent
    std::uint64_t samples = 0;
    std::uint64_t first_seq = 0;
  };
  std::map<std::string, Series> other_series_;  // by "name|type|tags"
  std::string closest_series(std::vector<std::uint64_t>& seqs) const;  // appends their first seqs
};

std::string describe(const model::MetricExpectation& spec);

// Whether `spec` selects `sample`: its name glob, type and tags, and none of its ignore globs.
bool selects(const model::MetricExpectation& spec, const fakes::MetricSample& sample);

// `strict: {fake: F}` on a metric fake: every sample F received is selected by one of
// `metrics` (the scenario's `metric:` expectations at F) that expects samples (not
// `absent`), and no line F received failed to parse (its statsd.parse_error events). The
// failure lists the first offenders with their seqs and why ("no expectation", the
// parse error's reason).
CheckResult check_strict_metrics(const model::StrictExpectation& spec, const std::vector<const model::MetricExpectation*>& metrics,
                                 const journal::EventLog& journal, const SourceLocation& where);

}  // namespace bbx::assertions
