// Running aggregates over parsed metric samples, what metric assertions query:
// counter sums scaled by sample rate, gauge values after deltas, timer/histogram/
// distribution count/min/max/sum/percentiles, set cardinality, bad-line counts.
//
// Two kinds of series are kept, each per metric type (a name sent as both counter and
// gauge gives two independent series):
//  - per (name, type, tag set): the tag set is order-insensitive and duplicate-free
//    (`#b,a,a` == `#a,b`); a bare tag `k` equals `k:`.
//  - per (name, type): every tag set merged.
// Timestamps, containers and client telemetry get no special treatment here; filter
// before add() if a scenario wants them ignored.
//
// Not thread-safe, not even const queries (percentiles sort lazily): one owner, or
// external locking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fakes/metrics/parse.hpp"

namespace bbx::fakes {

// Snapshot of one series; it does not change when more samples arrive.
struct AggregateView {
  MetricType type = MetricType::counter;
  std::uint64_t samples = 0;  // values received (each packed value counts once), unscaled
  // counter, timer, histogram, distribution: sum of 1/rate over the samples (etsy's
  // scaled count); gauge, set: equal to samples.
  double count = 0;
  // counter: sum of value/rate. timer, histogram, distribution: sum of the values
  // received, unscaled (so mean = sum / samples). gauge, set: 0.
  double sum = 0;
  // gauge: current value. Per etsy, a value sent with a leading '+'/'-' is added only
  // when the series already has a value, otherwise it is assigned. The per-name gauge
  // is the value of whichever tag set was updated last.
  // counter, timer, histogram, distribution: the last value received. set: 0.
  double value = 0;
  // Over values received (gauge: over its successive values after deltas); set: 0.
  double min = 0;
  double max = 0;
  std::uint64_t distinct = 0;  // set: distinct members
  // timer, histogram, distribution: values kept for percentiles (<= the cap).
  std::uint64_t kept = 0;
  // False once values were dropped: more timer values than the cap (percentiles then
  // come from a uniform reservoir sample) or more set members than the cap
  // (`distinct` then stops at the cap). samples/count/sum/min/max/value stay exact.
  bool exact = true;
};

class MetricAggregates {
 public:
  // Per-series bound on kept timer/histogram/distribution values and set members:
  // 100k doubles is 800 KB per series (each sample feeds two series). Beyond it,
  // reservoir sampling (algorithm R with a fixed seed: runs are reproducible).
  static constexpr std::size_t kDefaultMaxKept = 100'000;

  explicit MetricAggregates(std::size_t max_kept = kDefaultMaxKept);
  // Movable, not copyable: the indexes point into this object's own storage.
  MetricAggregates(const MetricAggregates&) = delete;
  MetricAggregates& operator=(const MetricAggregates&) = delete;
  MetricAggregates(MetricAggregates&&) = default;
  MetricAggregates& operator=(MetricAggregates&&) = default;

  // Feed samples in arrival order (gauge deltas depend on it). Expects what the parsers
  // produce: finite values and rate > 0.
  void add(const MetricSample& sample);
  // Adds every sample in order and counts every error as a bad line.
  void add(const ParsedDatagram& datagram);

  // nullopt when no sample of that name and type arrived.
  std::optional<AggregateView> find(std::string_view name, MetricType type) const;
  // Exact tag-set match (order and duplicates ignored); nullopt when none arrived.
  std::optional<AggregateView> find(std::string_view name, MetricType type, const Tags& tags) const;

  // Nearest-rank percentile (the smallest kept value with at least p% of kept values
  // <= it; always a value that was sent), p in [0, 100]. p = 0 and p = 100 give the
  // exact min and max even past the cap. Samples are unweighted (rates ignored).
  // nullopt: no such series, not a timer/histogram/distribution, p outside [0, 100].
  std::optional<double> percentile(std::string_view name, MetricType type, double p) const;
  std::optional<double> percentile(std::string_view name, MetricType type, const Tags& tags, double p) const;

  struct SeriesKey {
    std::string name;
    MetricType type = MetricType::counter;
    Tags tags;  // sorted, duplicate-free
  };
  // Every (name, type, tag set) seen, in first-seen order: for "did you mean" messages.
  std::vector<SeriesKey> series() const;

  std::uint64_t bad_lines() const noexcept { return bad_lines_; }
  void clear();

 private:
  struct Series {
    SeriesKey key;
    AggregateView view;
    mutable std::vector<double> values;  // reservoir, sorted lazily by percentile()
    mutable bool sorted = true;
    std::unordered_set<std::string> members;
    std::uint64_t rng = 0x9E3779B97F4A7C15ULL;
  };
  using Index = std::unordered_map<std::string, Series*>;

  Series& series_for(Index& index, const MetricSample& sample, bool with_tags);
  const Series* lookup(std::string_view name, MetricType type, const Tags* tags) const;
  void update(Series& s, const MetricSample& sample, double gauge_value);
  void keep_value(Series& s, double v);
  static std::optional<double> percentile_of(const Series* s, double p);

  std::size_t max_kept_;
  std::deque<Series> storage_;  // stable addresses
  Index by_tags_;
  Index by_name_;
  std::vector<const Series*> tagged_order_;
  std::uint64_t bad_lines_ = 0;
  std::string key_buf_;  // reused to build lookup keys without allocating
  std::vector<const std::pair<std::string, std::string>*> tag_buf_;
};

}  // namespace bbx::fakes
