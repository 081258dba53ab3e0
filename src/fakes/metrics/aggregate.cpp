#include "fakes/metrics/aggregate.hpp"

#include <algorithm>
#include <cmath>

namespace bbx::fakes {
namespace {

using Tag = std::pair<std::string, std::string>;

bool is_distribution(MetricType t) {
  return t == MetricType::timer || t == MetricType::histogram || t == MetricType::distribution;
}

void append_sized(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(s);
}

// Writes an unambiguous key for (name, type[, sorted unique tags]) into `out`, and
// leaves those sorted unique tags in `sorted`.
void build_key(std::string& out, std::vector<const Tag*>& sorted, std::string_view name, MetricType type,
               const Tags* tags) {
  out.clear();
  sorted.clear();
  append_sized(out, name);
  out += static_cast<char>(type);
  if (!tags) return;
  out += '#';  // a tag-set key never equals a per-name key
  for (const Tag& t : *tags) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const Tag* a, const Tag* b) { return *a < *b; });
  sorted.erase(std::unique(sorted.begin(), sorted.end(), [](const Tag* a, const Tag* b) { return *a == *b; }),
               sorted.end());
  for (const Tag* t : sorted) {
    append_sized(out, t->first);
    append_sized(out, t->second);
  }
}

// splitmix64: small, fast, deterministic.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void track_min_max(AggregateView& v, double x) {
  v.min = v.samples == 1 ? x : std::min(v.min, x);
  v.max = v.samples == 1 ? x : std::max(v.max, x);
}

}  // namespace

MetricAggregates::MetricAggregates(std::size_t max_kept) : max_kept_(max_kept) {}

MetricAggregates::Series& MetricAggregates::series_for(Index& index, const MetricSample& sample,
                                                       bool with_tags) {
  build_key(key_buf_, tag_buf_, sample.name, sample.type, with_tags ? &sample.tags : nullptr);
  if (auto it = index.find(key_buf_); it != index.end()) return *it->second;
  Series& s = storage_.emplace_back();
  s.key.name = sample.name;
  s.key.type = sample.type;
  s.view.type = sample.type;
  for (const Tag* t : tag_buf_) s.key.tags.push_back(*t);
  index.emplace(key_buf_, &s);
  if (with_tags) tagged_order_.push_back(&s);
  return s;
}

void MetricAggregates::add(const MetricSample& sample) {
  Series& tagged = series_for(by_tags_, sample, true);
  Series& named = series_for(by_name_, sample, false);
  double gauge = sample.value;
  if (sample.type == MetricType::gauge && sample.gauge_delta && tagged.view.samples > 0) {
    gauge += tagged.view.value;
  }
  update(tagged, sample, gauge);
  update(named, sample, gauge);
}

void MetricAggregates::add(const ParsedDatagram& datagram) {
  for (const MetricSample& s : datagram.samples) add(s);
  bad_lines_ += datagram.errors.size();
}

void MetricAggregates::update(Series& s, const MetricSample& sample, double gauge_value) {
  AggregateView& v = s.view;
  ++v.samples;
  switch (sample.type) {
    case MetricType::gauge:
      v.count = static_cast<double>(v.samples);
      v.value = gauge_value;
      track_min_max(v, gauge_value);
      break;
    case MetricType::set:
      v.count = static_cast<double>(v.samples);
      if (s.members.size() < max_kept_ || s.members.contains(sample.set_value)) {
        s.members.insert(sample.set_value);
      } else {
        v.exact = false;
      }
      v.distinct = s.members.size();
      break;
    case MetricType::counter:
      v.count += 1.0 / sample.rate;
      v.sum += sample.value / sample.rate;
      v.value = sample.value;
      track_min_max(v, sample.value);
      break;
    default:  // timer, histogram, distribution
      v.count += 1.0 / sample.rate;
      v.sum += sample.value;
      v.value = sample.value;
      track_min_max(v, sample.value);
      keep_value(s, sample.value);
      break;
  }
}

void MetricAggregates::keep_value(Series& s, double x) {
  if (s.values.size() < max_kept_) {
    s.values.push_back(x);
    s.sorted = false;
  } else {
    // Algorithm R: the n-th value replaces a random kept one with probability cap/n.
    const std::uint64_t j = next_random(s.rng) % s.view.samples;
    if (j < s.values.size()) {
      s.values[j] = x;
      s.sorted = false;
    }
    s.view.exact = false;
  }
  s.view.kept = s.values.size();
}

const MetricAggregates::Series* MetricAggregates::lookup(std::string_view name, MetricType type,
                                                         const Tags* tags) const {
  std::string key;
  std::vector<const Tag*> sorted;
  build_key(key, sorted, name, type, tags);
  const Index& index = tags ? by_tags_ : by_name_;
  const auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

std::optional<AggregateView> MetricAggregates::find(std::string_view name, MetricType type) const {
  const Series* s = lookup(name, type, nullptr);
  return s ? std::optional(s->view) : std::nullopt;
}

std::optional<AggregateView> MetricAggregates::find(std::string_view name, MetricType type,
                                                    const Tags& tags) const {
  const Series* s = lookup(name, type, &tags);
  return s ? std::optional(s->view) : std::nullopt;
}

std::optional<double> MetricAggregates::percentile_of(const Series* s, double p) {
  if (!s || !is_distribution(s->key.type) || s->values.empty() || !(p >= 0 && p <= 100)) {
    return std::nullopt;
  }
  if (p == 0) return s->view.min;
  if (p == 100) return s->view.max;
  if (!s->sorted) {
    std::sort(s->values.begin(), s->values.end());
    s->sorted = true;
  }
  const auto n = static_cast<double>(s->values.size());
  // The epsilon absorbs rounding in p * n (16.1 * 1000 / 100 = 161.00000000000003).
  const double rank = std::clamp(std::ceil(p * n / 100.0 - 1e-9), 1.0, n);
  return s->values[static_cast<std::size_t>(rank) - 1];
}

std::optional<double> MetricAggregates::percentile(std::string_view name, MetricType type, double p) const {
  return percentile_of(lookup(name, type, nullptr), p);
}

std::optional<double> MetricAggregates::percentile(std::string_view name, MetricType type, const Tags& tags,
                                                   double p) const {
  return percentile_of(lookup(name, type, &tags), p);
}

std::vector<MetricAggregates::SeriesKey> MetricAggregates::series() const {
  std::vector<SeriesKey> out;
  out.reserve(tagged_order_.size());
  for (const Series* s : tagged_order_) out.push_back(s->key);
  return out;
}

void MetricAggregates::clear() {
  by_tags_.clear();
  by_name_.clear();
  tagged_order_.clear();
  storage_.clear();
  bad_lines_ = 0;
}

}  // namespace bbx::fakes
