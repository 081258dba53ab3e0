#include "assert/metric_check.hpp"

#include <algorithm>
#include <cstdio>

#include "fakes/metrics/journal_events.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

constexpr std::size_t kShown = 3;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string type_word(fakes::MetricType t) {
  switch (t) {
    case fakes::MetricType::counter: return "counter";
    case fakes::MetricType::gauge: return "gauge";
    case fakes::MetricType::timer: return "timer";
    case fakes::MetricType::histogram: return "histogram";
    case fakes::MetricType::distribution: return "distribution";
    case fakes::MetricType::set: return "set";
  }
  return "?";
}

bool has_tag(const fakes::Tags& tags, const std::string& want) {
  auto colon = want.find(':');
  std::string k = want.substr(0, colon), v = colon == std::string::npos ? "" : want.substr(colon + 1);
  return std::any_of(tags.begin(), tags.end(), [&](const auto& t) { return t.first == k && t.second == v; });
}

std::string sample_text(const fakes::MetricSample& s) {
  std::string out = s.name + ":" + (s.type == fakes::MetricType::set ? s.set_value : number(s.value)) + "|" +
                    std::string(fakes::type_code(s.type));
  std::vector<std::string> tags;
  for (const auto& [k, v] : s.tags) tags.push_back(v.empty() ? k : k + ":" + v);
  return tags.empty() ? out : out + "|#" + util::join(tags, ",");
}

}  // namespace

std::string describe(const model::MetricExpectation& spec) {
  std::string out = "metric at fake '" + spec.fake + "': " + spec.name;
  if (!spec.type.empty()) out += " (" + spec.type + ")";
  if (!spec.tags.empty()) out += " #" + util::join(spec.tags, ",");
  return out;
}

bool MetricCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    if (!journal::ev::statsd_datagram.is(e.type) || e.source.name != spec_.fake) return true;
    for (const auto& body : e.body.value("samples", nlohmann::json::array())) {
      try {
        consider(fakes::sample_from_json(body), e.seq);
      } catch (const nlohmann::json::exception&) {
        // not a sample body: written by something else than the statsd fake; ignore it
      }
    }
    return true;
  }, {journal::ev::statsd_datagram});
  return satisfied();
}

void MetricCheck::consider(fakes::MetricSample s, std::uint64_t seq) {
  for (const auto& g : spec_.ignore)
    if (util::glob_match(g, s.name)) return;
  bool selected = util::glob_match(spec_.name, s.name) && (spec_.type.empty() || type_word(s.type) == spec_.type) &&
                  std::all_of(spec_.tags.begin(), spec_.tags.end(), [&](const auto& t) { return has_tag(s.tags, t); });
  if (!selected) {
    ++other_names_[s.name + " (" + type_word(s.type) + ")"];
    return;
  }
  if ((evidence_.empty() || evidence_.back() != seq) && evidence_.size() < kEvidenceKept) evidence_.push_back(seq);
  ++matched_;
  if (shown_.size() < kShown) shown_.push_back(sample_text(s) + " (seq " + std::to_string(seq) + ")");
  if (!type_) type_ = s.type;
  if (s.type != *type_) return;
  s.name = spec_.name;
  s.tags.clear();
  aggregates_.add(s);
}

std::optional<double> MetricCheck::aggregate(const std::string& key) const {
  if (!type_) return std::nullopt;
  auto v = aggregates_.find(spec_.name, *type_);
  if (!v) return std::nullopt;
  if (key == "samples") return double(v->samples);
  if (key == "count") return v->count;
  if (key == "sum") return v->sum;
  if (key == "last") return v->value;
  if (key == "min") return v->min;
  if (key == "max") return v->max;
  if (key == "distinct") return double(v->distinct);
  if (key == "avg") return v->samples ? v->sum / double(v->samples) : 0.0;
  double p = key == "p999" ? 99.9 : std::stod(key.substr(1));
  return aggregates_.percentile(spec_.name, *type_, p);
}

bool MetricCheck::satisfied() const {
  if (spec_.absent) return matched_ == 0;
  if (matched_ == 0) return false;
  for (const auto& [key, range] : spec_.aggregates) {
    auto v = aggregate(key);
    if (!v || !range.contains(*v)) return false;
  }
  return true;
}

CheckResult MetricCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.where = where;
  r.passed = satisfied();
  r.evidence = evidence_;
  auto n = matched_;
  std::string samples = std::to_string(n) + " sample" + (n == 1 ? "" : "s");
  if (spec_.absent) {
    r.expected = "never sent";
    r.actual = n == 0 ? "0 samples" : samples + ": " + util::join(shown_, ", ") + (n > shown_.size() ? ", ..." : "");
    return r;
  }
  std::vector<std::string> expected, actual;
  for (const auto& [key, range] : spec_.aggregates) {
    auto v = aggregate(key);
    if (!r.passed && v && range.contains(*v)) continue;
    expected.push_back(key + " " + range.text);
    actual.push_back(key + " " + (v ? number(*v) : "n/a"));
  }
  r.expected = expected.empty() ? "at least 1 sample" : util::join(expected, ", ");
  r.actual = (actual.empty() ? "" : util::join(actual, ", ") + " over ") + samples;
  if (n == 0 && !other_names_.empty()) {
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const auto& [name, count] : other_names_)
      ranked.emplace_back(util::edit_distance(spec_.name, name.substr(0, name.find(' '))),
                          name + " x" + std::to_string(count));
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ranked.size() && i < kShown; ++i) names.push_back(ranked[i].second);
    r.actual += "; closest: " + util::join(names, ", ");
  }
  return r;
}

}  // namespace bbx::assertions
