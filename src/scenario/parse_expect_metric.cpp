// Parsing `metric:` expectations and their numeric ranges.
#include <algorithm>
#include <cstdlib>

#include "scenario/text_matchers.hpp"
#include "scenario/event_windows.hpp"
#include "scenario/expect_kinds.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

namespace {

const std::vector<std::string> kTypes{"counter", "gauge", "timer", "histogram", "distribution", "set"};

std::optional<double> number(std::string_view text) {
  std::string s(util::trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return v;
}

}  // namespace

const std::vector<std::string>& metric_aggregate_keys() {
  static const std::vector<std::string> keys{"samples", "count", "sum", "last", "min", "max", "avg", "distinct",
                                             "p50", "p75", "p90", "p95", "p99", "p999"};
  return keys;
}

std::optional<model::ValueRange> parse_value_range(std::string_view text) {
  model::ValueRange r;
  r.text = std::string(text);
  auto t = util::trim(text);
  auto dots = t.find("..");
  if (dots != std::string_view::npos) {
    auto lo = number(t.substr(0, dots)), hi = number(t.substr(dots + 2));
    if (!lo || !hi || *lo > *hi) return std::nullopt;
    r.min = *lo;
    r.max = *hi;
    return r;
  }
  for (const char* op : {">=", "<=", ">", "<"}) {
    std::string_view o(op);
    if (t.substr(0, o.size()) != o) continue;
    auto v = number(t.substr(o.size()));
    if (!v) return std::nullopt;
    if (o[0] == '>') (r.min = *v, r.min_open = o.size() == 1);
    else (r.max = *v, r.max_open = o.size() == 1);
    return r;
  }
  auto v = number(t);
  if (!v) return std::nullopt;
  r.min = r.max = *v;
  return r;
}

model::Expectation parse_metric(const MapReader& m) {
  model::MetricExpectation x;
  x.fake = m.required_string("fake");
  x.name = m.required_string("name");
  if (m.has("type")) {
    x.type = *m.string("type");
    if (std::find(kTypes.begin(), kTypes.end(), x.type) == kTypes.end())
      fail_input(m.where("type"), m.what() + ".type: expected one of " + util::join(kTypes, ", ") + ", got '" + x.type + "'");
  }
  x.tags = m.string_list("tags");
  x.ignore = m.string_list("ignore");
  x.absent = m.boolean("absent").value_or(false);
  for (const auto& key : metric_aggregate_keys()) {
    auto text = m.string(key);
    if (!text) continue;
    auto range = parse_value_range(*text);
    if (!range)
      fail_input(m.where(key), m.what() + "." + key + ": invalid range '" + *text + "' (use 3, '>= 1', '< 0.5' or 1..3)");
    x.aggregates.emplace_back(key, *range);
  }
  if (x.absent && !x.aggregates.empty())
    fail_input(m.where("absent"), m.what() + ": a metric expected never sent has no aggregates to check");
  return {x, m.duration("within"), m.where(), parse_window(m)};
}

}  // namespace bbx::scenario
