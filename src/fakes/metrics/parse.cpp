#include "fakes/metrics/parse.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

namespace bbx::fakes {
namespace {

constexpr auto npos = std::string_view::npos;

std::string quoted(std::string_view s) { return '"' + std::string(s) + '"'; }

// Finite number per std::from_chars (general format) with an optional single leading
// '+', whole text consumed.
bool to_double(std::string_view s, double& out) {
  if (s.starts_with('+')) {
    s.remove_prefix(1);
    if (s.starts_with('-')) return false;
  }
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

template <typename Int>
bool to_int(std::string_view s, Int& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return !s.empty() && ec == std::errc() && p == end;
}

// Non-negative int64 seconds.
bool to_timestamp(std::string_view s, std::optional<std::int64_t>& out) {
  std::int64_t ts = 0;
  if (!to_int(s, ts) || ts < 0) return false;
  out = ts;
  return true;
}

// Returns the bytes of `s` before the first byte that is in `stops`; `s` keeps that
// byte, or becomes empty.
std::string_view take_until(std::string_view& s, std::string_view stops) {
  const std::string_view token = s.substr(0, stops.size() == 1 ? s.find(stops[0]) : s.find_first_of(stops));
  s.remove_prefix(token.size());
  return token;
}

// Like take_until, and also drops the stop byte.
std::string_view pop_field(std::string_view& s, std::string_view stop) {
  const std::string_view token = take_until(s, stop);
  if (!s.empty()) s.remove_prefix(1);
  return token;
}

std::string_view next_line(std::string_view& payload) {
  std::string_view line = pop_field(payload, "\n");
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

// `\\n` (backslash, n) -> newline.
std::string unescape_newlines(std::string_view s) {
  std::string r;
  for (std::size_t at = 0; (at = s.find("\\n")) != npos; s.remove_prefix(at + 2)) {
    r.append(s.substr(0, at)) += '\n';
  }
  return r.append(s);
}

// `k<sep>v` -> {k, v} (split at the first sep); `k` -> {k, ""}.
void add_tag(std::string_view tag, char sep, Tags& out) {
  const std::string_view key = pop_field(tag, std::string_view(&sep, 1));
  out.emplace_back(std::string(key), std::string(tag));
}

void parse_tags(std::string_view s, Tags& out) {
  while (!s.empty()) {
    const std::string_view tag = pop_field(s, ",");
    if (!tag.empty()) add_tag(tag, ':', out);
  }
}

void add_error(ParsedDatagram& out, std::string_view line, std::string reason) {
  out.errors.push_back(ParseError{std::string(line), std::move(reason)});
}

// ---- statsd / DogStatsD metrics ----

struct Segment {
  std::string_view values;
  MetricSample proto;  // everything but the value(s)
  std::string error;   // first problem found; empty when the segment is fine
};

void set_error(Segment& seg, std::string reason) {
  if (seg.error.empty()) seg.error = std::move(reason);
}

void read_numeric_section(std::string_view tok, Segment& seg) {
  if (tok.front() == 'T') {
    if (!to_timestamp(tok.substr(1), seg.proto.timestamp)) set_error(seg, "bad timestamp " + quoted(tok));
    return;
  }
  double rate = 0;
  if (!to_double(tok.substr(1), rate) || !(rate > 0)) return set_error(seg, "bad sample rate " + quoted(tok));
  seg.proto.rate = rate;
}

// `s` starts right after the type token. Returns the next etsy segment, if any.
std::optional<std::string_view> read_sections(std::string_view s, Segment& seg) {
  while (!s.empty()) {
    const char sep = s.front();
    s.remove_prefix(1);
    if (sep == ':') return s;
    if (s.starts_with('@') || s.starts_with('T')) {
      read_numeric_section(take_until(s, "|:"), seg);
      continue;
    }
    const std::string_view tok = take_until(s, "|");
    if (tok.starts_with('#')) parse_tags(tok.substr(1), seg.proto.tags);
    if (tok.starts_with("c:")) seg.proto.container = tok.substr(2);
    // anything else (including an empty section) is unknown and ignored
  }
  return std::nullopt;
}

std::string read_value(std::string_view text, MetricSample& s) {
  if (text.empty() && s.type == MetricType::counter) text = "1";  // etsy: a missing value counts as 1
  if (text.empty()) return "missing value";
  if (s.type == MetricType::set) {
    s.set_value = text;
    return {};
  }
  if (!to_double(text, s.value)) return "value " + quoted(text) + " is not a number";
  if (s.type == MetricType::timer && s.value < 0) return "timer value " + quoted(text) + " is negative";
  s.gauge_delta = s.type == MetricType::gauge && (text.front() == '+' || text.front() == '-');
  return {};
}

// Appends one sample per packed value, or none and an error.
void emit_samples(std::string_view name, Segment& seg, std::string_view line, ParsedDatagram& out) {
  MetricSample& proto = seg.proto;
  proto.name = name;
  const std::size_t mark = out.samples.size();
  for (std::string_view values = seg.values;;) {
    const std::size_t cut = proto.type == MetricType::set ? npos : values.find(':');
    const bool last = cut == npos;
    MetricSample& s = last ? proto : out.samples.emplace_back(proto);
    if (std::string reason = read_value(values.substr(0, cut), s); !reason.empty()) {
      out.samples.resize(mark);
      return add_error(out, line, std::move(reason));
    }
    if (last) break;
    values.remove_prefix(cut + 1);
  }
  out.samples.push_back(std::move(proto));
}

// Parses the segment at the front of `s`; returns the etsy segment that follows, if any.
std::optional<std::string_view> parse_segment(std::string_view name, std::string_view s,
                                              std::string_view line, ParsedDatagram& out) {
  Segment seg;
  seg.values = pop_field(s, "|");
  const std::string_view type_token = take_until(s, "|:");
  const std::optional<MetricType> type = parse_type_code(type_token);
  if (!type) set_error(seg, type_token.empty() ? "missing type" : "unknown type " + quoted(type_token));
  seg.proto.type = type.value_or(MetricType::counter);
  const std::optional<std::string_view> next = read_sections(s, seg);
  if (seg.error.empty()) emit_samples(name, seg, line, out);
  if (!seg.error.empty()) add_error(out, line, seg.error);
  return next;
}

void parse_metric_line(std::string_view line, ParsedDatagram& out) {
  const std::size_t colon = line.find(':');
  if (colon == npos || line.find('|') < colon) return add_error(out, line, "missing ':' after name");
  if (colon == 0) return add_error(out, line, "missing name");
  std::optional<std::string_view> rest = line.substr(colon + 1);
  while (rest) rest = parse_segment(line.substr(0, colon), *rest, line, out);
}

// ---- DogStatsD events and service checks ----

bool one_of(std::string_view v, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

// `s` is empty or starts with '|'. Returns a reason on a bad section, else empty.
std::string read_event_sections(std::string_view s, StatsdEvent& ev) {
  while (!s.empty()) {
    s.remove_prefix(1);
    const std::string_view tok = take_until(s, "|");
    const std::string_view val = tok.substr(std::min<std::size_t>(2, tok.size()));
    if (tok.starts_with('#')) parse_tags(tok.substr(1), ev.tags);
    if (tok.starts_with("h:")) ev.host = val;
    if (tok.starts_with("k:")) ev.aggregation_key = val;
    if (tok.starts_with("s:")) ev.source = val;
    if (tok.starts_with("d:") && !to_timestamp(val, ev.timestamp)) {
      return "bad event timestamp " + quoted(tok);
    }
    if (tok.starts_with("p:") && !one_of(val, {"normal", "low"})) {
      return "unknown event priority " + quoted(tok);
    }
    if (tok.starts_with("p:")) ev.priority = val;
    if (tok.starts_with("t:") && !one_of(val, {"error", "warning", "info", "success"})) {
      return "unknown event alert type " + quoted(tok);
    }
    if (tok.starts_with("t:")) ev.alert_type = val;
  }
  return {};
}

void parse_event(std::string_view line, ParsedDatagram& out) {
  const std::string_view s = line.substr(3);  // after "_e{"
  const std::size_t close = s.find('}');
  const std::size_t comma = s.find(',');
  std::size_t title_len = 0;
  std::size_t text_len = 0;
  if (close == npos || comma > close || !to_int(s.substr(0, comma), title_len) ||
      !to_int(s.substr(comma + 1, close - comma - 1), text_len) || s.substr(close + 1, 1) != ":") {
    return add_error(out, line, "bad event header, expected _e{<title bytes>,<text bytes>}:");
  }
  std::string_view body = s.substr(close + 2);
  if (title_len == 0) return add_error(out, line, "event title is empty");
  if (body.size() <= title_len || body[title_len] != '|') {
    return add_error(out, line, "event title length " + std::to_string(title_len) + " does not match");
  }
  StatsdEvent ev;
  ev.title = unescape_newlines(body.substr(0, title_len));
  body.remove_prefix(title_len + 1);
  if (body.size() < text_len || (body.size() > text_len && body[text_len] != '|')) {
    return add_error(out, line, "event text length " + std::to_string(text_len) + " does not match");
  }
  ev.text = unescape_newlines(body.substr(0, text_len));
  if (std::string reason = read_event_sections(body.substr(text_len), ev); !reason.empty()) {
    return add_error(out, line, std::move(reason));
  }
  out.events.push_back(std::move(ev));
}

void parse_service_check(std::string_view line, ParsedDatagram& out) {
  std::string_view s = line.substr(4);  // after "_sc|"
  ServiceCheck sc;
  sc.name = pop_field(s, "|");
  if (sc.name.empty()) return add_error(out, line, "missing service check name");
  const std::string_view status = take_until(s, "|");
  if (status.size() != 1 || status[0] < '0' || status[0] > '3') {
    return add_error(out, line, "bad service check status " + quoted(status));
  }
  sc.status = status[0] - '0';
  while (!s.empty()) {
    s.remove_prefix(1);
    if (s.starts_with("m:")) {
      sc.message = unescape_newlines(s.substr(2));
      break;
    }
    const std::string_view tok = take_until(s, "|");
    if (tok.starts_with('#')) parse_tags(tok.substr(1), sc.tags);
    if (tok.starts_with("h:")) sc.host = tok.substr(2);
    if (tok.starts_with("d:") && !to_timestamp(tok.substr(2), sc.timestamp)) {
      return add_error(out, line, "bad service check timestamp " + quoted(tok));
    }
  }
  out.checks.push_back(std::move(sc));
}

// ---- graphite ----

// Returns a reason when the path or one of its `;key=value` tags is malformed.
std::string read_graphite_path(std::string_view path, MetricSample& m) {
  m.name = take_until(path, ";");
  if (m.name.empty()) return "missing name";
  while (!path.empty()) {
    path.remove_prefix(1);  // the ';'
    const std::string_view tag = take_until(path, ";");
    const std::size_t eq = tag.find('=');
    if (eq == npos || eq == 0 || eq + 1 == tag.size()) {
      return "bad graphite tag " + quoted(tag) + ", expected key=value";
    }
    add_tag(tag, '=', m.tags);
  }
  return {};
}

void parse_graphite_one(std::string_view line, ParsedDatagram& out) {
  std::string_view field[3];
  std::size_t n = 0;
  for (std::string_view s = line; !s.empty();) {
    s.remove_prefix(std::min(s.find_first_not_of(" \t"), s.size()));
    const std::string_view tok = take_until(s, " \t");
    if (!tok.empty() && n < 3) field[n] = tok;
    n += tok.empty() ? 0 : 1;
  }
  if (n == 0) return;
  if (n != 3) {
    const std::string got = "got " + std::to_string(n) + " fields";
    return add_error(out, line, "expected \"<path> <value> <timestamp>\", " + got);
  }
  MetricSample m;
  m.type = MetricType::gauge;
  if (std::string reason = read_graphite_path(field[0], m); !reason.empty()) {
    return add_error(out, line, std::move(reason));
  }
  if (!to_double(field[1], m.value)) {
    return add_error(out, line, "value " + quoted(field[1]) + " is not a number");
  }
  double ts = 0;
  if (!to_double(field[2], ts) || (ts < 0 && ts != -1) || ts >= 9.2e18) {
    return add_error(out, line, "bad timestamp " + quoted(field[2]));
  }
  if (ts >= 0) m.timestamp = static_cast<std::int64_t>(ts);
  out.samples.push_back(std::move(m));
}

nlohmann::json tag_pairs_json(const Tags& tags) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& [k, v] : tags) a.push_back({k, v});
  return a;
}

nlohmann::json tags_json(const Tags& tags) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& [k, v] : tags) a.push_back(v.empty() ? k : k + ':' + v);
  return a;
}

void put_if(nlohmann::json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put_if(nlohmann::json& j, const char* key, const std::optional<std::int64_t>& value) {
  if (value) j[key] = *value;
}

}  // namespace

void parse_statsd_datagram(std::string_view payload, ParsedDatagram& out) {
  while (!payload.empty()) {
    const std::string_view line = next_line(payload);
    if (line.empty()) continue;
    if (line.starts_with("_e{"))
      parse_event(line, out);
    else if (line.starts_with("_sc|"))
      parse_service_check(line, out);
    else
      parse_metric_line(line, out);
  }
}

ParsedDatagram parse_graphite_line(std::string_view payload) {
  ParsedDatagram out;
  while (!payload.empty()) parse_graphite_one(next_line(payload), out);
  return out;
}

// "k:v" cannot say where a key holding ':' ends (graphite allows it).
bool tags_need_pairs(const Tags& tags) {
  return std::any_of(tags.begin(), tags.end(), [](const auto& t) { return t.first.find(':') != std::string::npos; });
}

nlohmann::json to_json(const MetricSample& s) {
  nlohmann::json j = {{"name", s.name}, {"type", std::string(type_code(s.type))}, {"rate", s.rate}};
  j["value"] = s.type == MetricType::set ? nlohmann::json(s.set_value) : nlohmann::json(s.value);
  j["tags"] = tags_json(s.tags);
  if (tags_need_pairs(s.tags)) j["tag_pairs"] = tag_pairs_json(s.tags);
  if (s.gauge_delta) j["delta"] = true;
  put_if(j, "container", s.container);
  put_if(j, "timestamp", s.timestamp);
  return j;
}

nlohmann::json to_json(const StatsdEvent& e) {
  nlohmann::json j = {{"title", e.title}, {"text", e.text}, {"tags", tags_json(e.tags)}};
  put_if(j, "timestamp", e.timestamp);
  put_if(j, "host", e.host);
  put_if(j, "aggregation_key", e.aggregation_key);
  put_if(j, "priority", e.priority);
  put_if(j, "source", e.source);
  put_if(j, "alert_type", e.alert_type);
  return j;
}

nlohmann::json to_json(const ServiceCheck& c) {
  nlohmann::json j = {{"name", c.name}, {"status", c.status}, {"tags", tags_json(c.tags)}};
  put_if(j, "timestamp", c.timestamp);
  put_if(j, "host", c.host);
  put_if(j, "message", c.message);
  return j;
}

nlohmann::json to_json(const ParseError& e) { return {{"line", e.line}, {"reason", e.reason}}; }

nlohmann::json to_json(const ParsedDatagram& d) {
  nlohmann::json j = nlohmann::json::object();
  auto put = [&j](const char* key, const auto& items) {
    if (items.empty()) return;
    nlohmann::json& a = j[key] = nlohmann::json::array();
    for (const auto& item : items) a.push_back(to_json(item));
  };
  put("samples", d.samples);
  put("events", d.events);
  put("checks", d.checks);
  put("errors", d.errors);
  return j;
}

}  // namespace bbx::fakes
