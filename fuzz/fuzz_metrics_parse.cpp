// Fuzz target: the metric fakes' parsers (fakes/metrics/parse.hpp), bytes of one datagram or
// TCP read in -> what the fake journals and what metric expectations aggregate. The same
// bytes go through the statsd/DogStatsD parser and the graphite parser. Checked contracts:
// parsing never throws; every sample is finite with rate > 0; the journal JSON of a datagram
// serialises; a sample whose strings are UTF-8 reads back from its journal JSON as it was
// parsed (metric expectations aggregate what the journal holds); the aggregates take every
// sample and answer percentile queries.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakes/metrics/aggregate.hpp"
#include "fakes/metrics/journal_events.hpp"
#include "fakes/metrics/parse.hpp"
#include "fuzz_target.hpp"
#include "util/utf8_escape.hpp"

namespace {

using namespace bbx::fakes;
using bbx::fuzz::finding;

bool utf8_sample(const MetricSample& s) {
  if (!bbx::util::valid_utf8(s.name) || !bbx::util::valid_utf8(s.set_value) || !bbx::util::valid_utf8(s.container))
    return false;
  for (const auto& [k, v] : s.tags)
    if (!bbx::util::valid_utf8(k) || !bbx::util::valid_utf8(v)) return false;
  return true;
}

void check(const ParsedDatagram& parsed) {
  std::string text;
  try {
    text = to_json(parsed).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (...) {
    finding("datagram JSON: " + bbx::fuzz::describe_current_exception());
  }
  MetricAggregates aggregates;
  for (const auto& s : parsed.samples) {
    if (!std::isfinite(s.value)) finding("a sample value that is not finite");
    if (!(s.rate > 0) || !std::isfinite(s.rate)) finding("a sample rate that is not finite and > 0");
    if (utf8_sample(s)) {
      MetricSample back;
      try {
        back = sample_from_json(nlohmann::json::parse(to_json(s).dump()));
      } catch (...) {
        finding("sample JSON does not read back: " + bbx::fuzz::describe_current_exception());
      }
      if (back.name != s.name || back.type != s.type || back.set_value != s.set_value || back.rate != s.rate ||
          back.gauge_delta != s.gauge_delta || back.container != s.container || back.timestamp != s.timestamp ||
          (s.type != MetricType::set && back.value != s.value))
        finding("a sample reads back from its journal JSON changed: " + to_json(s).dump());
      // Open (docs/fuzzing.md): a graphite tag name with ':' in it (`k:x=v`) is journaled as
      // "k:x:v" and read back as {k, "x:v"}; such tags are left out of this check.
      bool colon_in_name = false;
      for (const auto& tag : s.tags) colon_in_name = colon_in_name || tag.first.find(':') != std::string::npos;
      if (back.tags != s.tags && !colon_in_name)
        finding("a sample's tags read back from its journal JSON changed: " + to_json(s).dump());
    }
    aggregates.add(s);
  }
  aggregates.add(ParsedDatagram{{}, {}, {}, parsed.errors});
  for (const auto& key : aggregates.series()) {
    if (!aggregates.find(key.name, key.type, key.tags)) finding("a series listed but not found");
    for (double p : {0.0, 50.0, 99.0, 100.0}) (void)aggregates.percentile(key.name, key.type, key.tags, p);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  try {
    check(parse_statsd_datagram(payload));
    check(parse_graphite_line(payload));
  } catch (...) {
    finding("a metric parser threw: " + bbx::fuzz::describe_current_exception());
  }
  return 0;
}
