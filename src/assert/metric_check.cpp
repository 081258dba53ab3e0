#include "assert/metric_check.hpp"

#include <algorithm>
#include <cstdio>

#include "assert/near_miss.hpp"
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

// A wanted "k:v" (or "k") is on the sample when one of its tags reads so: as the journal's
// `tags` and the failure message show it, also for a graphite tag name holding ':'
// ("r:ole=db" reads "r:ole:db").
bool has_tag(const fakes::Tags& tags, const std::string& want) {
  return std::any_of(tags.begin(), tags.end(), [&](const auto& t) {
    if (t.second.empty()) return t.first == want;
    return want.size() == t.first.size() + 1 + t.second.size() && want.starts_with(t.first) && want[t.first.size()] == ':' &&
           want.ends_with(t.second);
  });
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

bool selects(const model::MetricExpectation& spec, const fakes::MetricSample& s) {
  for (const auto& g : spec.ignore)
    if (util::glob_match(g, s.name)) return false;
  return util::glob_match(spec.name, s.name) && (spec.type.empty() || type_word(s.type) == spec.type) &&
         std::all_of(spec.tags.begin(), spec.tags.end(), [&](const auto& t) { return has_tag(s.tags, t); });
}

void MetricCheck::consider(fakes::MetricSample s, std::uint64_t seq) {
  for (const auto& g : spec_.ignore)
    if (util::glob_match(g, s.name)) return;
  if (!selects(spec_, s)) {
    std::vector<std::string> tags;
    for (const auto& [k, v] : s.tags) tags.push_back(v.empty() ? k : k + ":" + v);
    auto& series = other_series_[s.name + "|" + type_word(s.type) + "|" + util::join(tags, ",")];
    if (series.samples++ == 0) series = {s.name, type_word(s.type), std::move(tags), 1, seq};
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
  if (n == 0 && !other_series_.empty()) {
    r.actual += "; closest: " + closest_series(r.evidence);
  }
  return r;
}

// The series sent that come closest to the expectation, each with what differs from it.
std::string MetricCheck::closest_series(std::vector<std::uint64_t>& seqs) const {
  struct Ranked {
    std::size_t name_distance, other;
    std::string text;
    std::uint64_t seq;
  };
  std::vector<Ranked> ranked;
  for (const auto& [key, series] : other_series_) {
    std::vector<std::string> diffs;
    std::size_t name_distance = util::glob_match(spec_.name, series.name) ? 0 : util::edit_distance(spec_.name, series.name);
    if (name_distance > 0)
      diffs.push_back("name differs by " + std::to_string(name_distance) + " edit" + (name_distance == 1 ? "" : "s"));
    if (!spec_.type.empty() && series.type != spec_.type) diffs.push_back("type " + series.type + ", expected " + spec_.type);
    for (const auto& want : spec_.tags) {
      if (std::find(series.tags.begin(), series.tags.end(), want) != series.tags.end()) continue;
      auto key_of = [](const std::string& t) { return t.substr(0, t.find(':')); };
      std::vector<std::string> same_key;
      for (const auto& t : series.tags)
        if (key_of(t) == key_of(want)) same_key.push_back(t);
      diffs.push_back("tag " + want + " missing" +
                      (!same_key.empty()       ? " (it has " + util::join(same_key, ", ") + ")"
                       : series.tags.empty() ? " (it has no tags)"
                                               : " (its tags: " + util::join(series.tags, ", ") + ")"));
    }
    std::string text = series.name + " (" + series.type + (series.tags.empty() ? "" : ", #" + util::join(series.tags, ",")) +
                       ") x" + std::to_string(series.samples) + " (seq " + std::to_string(series.first_seq) + ")";
    if (!diffs.empty()) text += ": " + util::join(diffs, ", ");
    ranked.push_back({name_distance, diffs.size(), std::move(text), series.first_seq});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.name_distance != b.name_distance ? a.name_distance < b.name_distance : a.other < b.other;
  });
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < ranked.size() && i < kShown; ++i) {
    shown.push_back(ranked[i].text);
    seqs.push_back(ranked[i].seq);
  }
  return util::join(shown, "; ") +
         (ranked.size() > kShown ? "; and " + std::to_string(ranked.size() - kShown) + " more series" : "");
}

CheckResult check_strict_metrics(const model::StrictExpectation& spec, const std::vector<const model::MetricExpectation*>& metrics,
                                 const journal::EventLog& journal, const SourceLocation& where) {
  CheckResult r;
  r.what = "strict fake '" + spec.fake + "'";
  r.where = where;
  r.expected = "every sample matched a 'metric' expectation and every line parsed";
  std::size_t samples = 0, unexpected = 0, unparsed = 0;
  std::vector<std::string> bad;
  auto offend = [&](std::uint64_t seq, std::string text) {
    if (r.evidence.size() < kEvidenceKept && (r.evidence.empty() || r.evidence.back() != seq)) r.evidence.push_back(seq);
    if (bad.size() < kShown) bad.push_back(std::move(text));
  };
  journal.for_each_of({journal::ev::statsd_datagram, journal::ev::statsd_parse_error}, 1, [&](const Event& e) {
    if (e.source.name != spec.fake) return true;
    if (journal::ev::statsd_parse_error.is(e.type)) {
      ++unparsed;
      offend(e.seq, "line " + quote_line(e.body.value("line", std::string())) + " (seq " + std::to_string(e.seq) + ", " +
                        e.body.value("reason", std::string()) + ")");
      return true;
    }
    for (const auto& body : e.body.value("samples", nlohmann::json::array())) {
      fakes::MetricSample s;
      try {
        s = fakes::sample_from_json(body);
      } catch (const nlohmann::json::exception&) {
        continue;  // not a sample body: not the statsd fake's
      }
      ++samples;
      auto expects = [&](const model::MetricExpectation* m) { return !m->absent && selects(*m, s); };
      if (std::any_of(metrics.begin(), metrics.end(), expects)) continue;
      ++unexpected;
      offend(e.seq, sample_text(s) + " (seq " + std::to_string(e.seq) + ", no expectation)");
    }
    return true;
  });
  r.passed = unexpected == 0 && unparsed == 0;
  r.actual = std::to_string(samples) + " sample" + (samples == 1 ? "" : "s");
  if (unexpected) r.actual += ", " + std::to_string(unexpected) + " unexpected";
  if (unparsed) r.actual += ", " + std::to_string(unparsed) + " line" + (unparsed == 1 ? "" : "s") + " not parsed";
  if (!r.passed) r.actual += ": " + util::join(bad, ", ") + (unexpected + unparsed > bad.size() ? ", ..." : "");
  return r;
}

}  // namespace bbx::assertions
