// Parsers for the metric wire protocols the statsd and TCP-line fakes receive:
// etsy statsd lines, DogStatsD metrics/events/service checks, graphite plaintext.
// Sources: etsy statsd docs/metric_types.md and stats.js, Datadog's DogStatsD datagram
// format, graphite-web docs/feeding-carbon.rst.
//
// Pure functions: no I/O, no clock, no global state; safe to call from any thread.
// A bad line never throws and never stops the parse: it becomes a ParseError and the
// remaining lines are still parsed ("bad lines are counted, not fatal").
// Results own their strings; nothing points into the payload once a call returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace bbx::fakes {

// The enumerator's value is the first byte of its wire code (`ms` for timer).
enum class MetricType : char {
  counter = 'c',
  gauge = 'g',
  timer = 'm',
  histogram = 'h',
  set = 's',
  distribution = 'd',
};

// Wire code: "c", "g", "ms", "h", "s", "d".
constexpr std::string_view type_code(MetricType type) noexcept {
  if (type == MetricType::timer) return "ms";
  constexpr std::string_view one_byte = "cghsd";
  const std::size_t at = one_byte.find(static_cast<char>(type));
  return at == std::string_view::npos ? "?" : one_byte.substr(at, 1);
}

// Inverse of type_code; nullopt for anything else (no trimming, case-sensitive).
constexpr std::optional<MetricType> parse_type_code(std::string_view code) noexcept {
  if (code == "ms") return MetricType::timer;
  if (code.size() != 1 || std::string_view("cghsd").find(code[0]) == std::string_view::npos) {
    return std::nullopt;
  }
  return static_cast<MetricType>(code[0]);
}

// Tags in the order sent. A bare tag `k` (and `k:`) is {"k", ""}; `k:v:w` is {"k", "v:w"}
// (split at the first ':'); graphite `k=v` is {"k", "v"}. Duplicates are kept.
using Tags = std::vector<std::pair<std::string, std::string>>;

struct MetricSample {
  std::string name;  // verbatim: no sanitising (etsy's key rewriting is not applied)
  MetricType type = MetricType::counter;
  double value = 0;          // finite; for gauges the signed value as sent (see gauge_delta)
  std::string set_value;     // sets only: the member as sent (may contain ':')
  bool gauge_delta = false;  // gauge value was written with a leading '+' or '-'
  double rate = 1.0;         // from `@rate`; always > 0
  Tags tags;
  std::string container;                  // from `c:<id>`
  std::optional<std::int64_t> timestamp;  // from `T<unix s>` (graphite: 3rd field)
};

struct StatsdEvent {
  std::string title;                      // `\\n` (backslash, n) turned into a newline
  std::string text;                       // likewise
  std::optional<std::int64_t> timestamp;  // d:
  std::string host;                       // h:
  std::string aggregation_key;            // k:
  std::string priority;                   // p: "normal" | "low"; empty when not sent
  std::string source;                     // s:
  std::string alert_type;                 // t: "error" | "warning" | "info" | "success"; empty when not sent
  Tags tags;
};

struct ServiceCheck {
  std::string name;
  int status = 0;                         // 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  std::optional<std::int64_t> timestamp;  // d:
  std::string host;                       // h:
  Tags tags;
  std::string message;  // m: everything after it to the end of the line, `\\n` unescaped
};

// `line` is the whole offending line (without its '\n'); `reason` is one sentence, e.g.
// `missing type`, `unknown type "x"`, `value "abc" is not a number`, `bad sample rate "@x"`,
// `event title length 5 does not match`.
struct ParseError {
  std::string line;
  std::string reason;
};

struct ParsedDatagram {
  std::vector<MetricSample> samples;  // in wire order
  std::vector<StatsdEvent> events;
  std::vector<ServiceCheck> checks;
  std::vector<ParseError> errors;  // one per rejected line or rejected etsy segment
  // Keeps capacity, for reuse on a hot path.
  void clear() noexcept {
    samples.clear();
    events.clear();
    checks.clear();
    errors.clear();
  }
};

// Parses one statsd datagram (or a chunk of complete TCP lines). Lines are split on
// '\n'; a trailing '\r' is dropped; empty lines are skipped.
//
// Line kinds, chosen by prefix: `_e{` event, `_sc|` service check, anything else a metric.
//
// Metric grammar: `name:VALUES|type[|section]...[:VALUES|type[|section]...]...`
//  - name: the bytes before the first ':'; a '|' before any ':' is `missing ':' after name`.
//  - VALUES: the bytes up to the next '|'. For every type but sets they are DogStatsD
//    packed values split on ':' (`k:1:2:3|c` is three counter samples sharing rate and
//    tags). A set member is all of VALUES, colons included (sets are never packed).
//  - type: the bytes after that '|' up to the next '|' or ':'.
//  - sections (after '|', identified by prefix, any order): `@rate` (> 0; last wins),
//    `#tags` (comma-separated; several sections append), `c:container`, `T<int64 unix s>`.
//    Other sections are ignored, like the Datadog agent does (forward compatibility).
//  - etsy multi-metric: a ':' straight after the type, an `@rate` or a `T` section starts
//    a new segment for the same name with its own values, type and sections
//    (`k:1|c:320|ms` = counter 1 + timer 320; `k:1|c|@0.5:2|g` works too).
//    `#tags`, `c:` and unknown sections run to the next '|' and may contain ':', so no
//    segment can follow them. That is the whole disambiguation rule: colons before the
//    first '|' of a segment pack values; a colon after its type/rate/timestamp splits
//    segments. Every line either dialect's clients send parses as intended; the only
//    line read differently from etsy's server is `k:1:2|c`, which etsy counts as a bad
//    line plus counter 2 and which is DogStatsD packing (counters 1 and 2) here.
//  - values: decimal/scientific per std::from_chars, an optional leading '+', finite.
//    An empty counter value counts as 1 (etsy); an empty value of any other type is
//    `missing value`. Timers must be >= 0. A leading '+'/'-' on a gauge sets gauge_delta.
// A rejected segment adds no samples (none of its packed values); other segments of the
// same line are kept.
//
// Event: `_e{<title bytes>,<text bytes>}:title|text[|d:ts][|h:host][|k:key][|p:normal|low]
// [|s:source][|t:error|warning|info|success][|#tags]`. The lengths count bytes as sent
// (before unescaping) and slice title and text, which may contain '|'; the title must be
// non-empty and followed by '|', the text by '|' or the end of the line.
// Service check: `_sc|name|0..3[|d:ts][|h:host][|#tags][|m:message]`; m: takes the rest
// of the line, '|' included.
// In both, unknown sections are ignored, and a bad d:, p: or t: value rejects the line.
// This overload appends to `out` (call out.clear() first to reuse its buffers).
void parse_statsd_datagram(std::string_view payload, ParsedDatagram& out);
inline ParsedDatagram parse_statsd_datagram(std::string_view payload) {
  ParsedDatagram out;
  parse_statsd_datagram(payload, out);
  return out;
}

// Graphite plaintext: one or more '\n'-separated lines `path value timestamp`, fields
// separated by runs of spaces/tabs, blank lines skipped. `path;k=v;k2=v2` gives tags
// (non-empty key and value, else `bad graphite tag`). Samples are gauges with rate 1.
// The timestamp may be fractional (truncated) or -1, meaning "now" (timestamp nullopt).
ParsedDatagram parse_graphite_line(std::string_view payload);

// True for the telemetry Datadog clients send about themselves by default
// (`datadog.dogstatsd.client.*`), which scenarios usually want to ignore.
inline bool is_client_telemetry(const MetricSample& sample) noexcept {
  return sample.name.starts_with("datadog.dogstatsd.client.");
}

// Journal JSON. Keys are always present unless noted "when set". Strings are the bytes
// received and may be invalid UTF-8: dump() with nlohmann::json::error_handler_t::replace.
// sample: {name, type: "c"|"g"|"ms"|"h"|"s"|"d", value (number, signed for gauge deltas;
//   the member string for sets), rate, tags: ["k:v" | "k", ...] in wire order (`k:` and
//   graphite `k=v` come out as "k" and "k:v"), tag_pairs: [[k, v], ...] (when a key holds
//   ':', which graphite allows and "k:v" cannot tell apart: readers take the pairs then),
//   delta: true (when set), container (when set), timestamp (when set)}
// event: {title, text, tags, timestamp/host/aggregation_key/priority/source/alert_type
//   (when set)}; check: {name, status, tags, timestamp/host/message (when set)};
// error: {line, reason}; datagram: {samples, events, checks, errors}, each only when
//   non-empty.
nlohmann::json to_json(const MetricSample& sample);
// Whether a sample with these tags also journals them as tag_pairs (a key holds ':').
bool tags_need_pairs(const Tags& tags);
nlohmann::json to_json(const StatsdEvent& event);
nlohmann::json to_json(const ServiceCheck& check);
nlohmann::json to_json(const ParseError& error);
nlohmann::json to_json(const ParsedDatagram& datagram);

}  // namespace bbx::fakes
