#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "journal/event_json.hpp"
#include "util/clock.hpp"
#include "util/json_text.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::journal {

namespace {

using nlohmann::json;
using util::append_json_number;
using util::append_json_string;

// A copy of j whose strings and keys have their bytes that are not UTF-8 as \xHH.
json escaped(const json& j) {
  if (j.is_string()) return util::escape_invalid_utf8(j.get_ref<const std::string&>());
  if (j.is_array()) {
    json out = json::array();
    for (const auto& v : j) out.push_back(escaped(v));
    return out;
  }
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : j.items()) out[util::escape_invalid_utf8(k)] = escaped(v);
    return out;
  }
  return j;
}

void append_object(util::TextBuffer& out, const json& j) {
  if (j.is_null()) return out.literal("{}");
  try {
    out.append(j.dump(-1, ' ', false, json::error_handler_t::strict));
  } catch (const json::type_error&) {  // 316: a string is not UTF-8; rare, so checked only then
    out.append(escaped(j).dump());
  }
}

}  // namespace

std::string event_to_json_line(const Event& e) {
  util::TextBuffer out;
  append_event_json_line(out, e, e.wall);
  return std::string(out.view());
}

namespace {

void append_envelope(util::TextBuffer& out, const Event& e) {
  out.literal("\"source\":{\"kind\":");
  append_json_string(out, e.source.kind);
  out.literal(",\"name\":");
  append_json_string(out, e.source.name);
  out.literal(",\"pid\":");
  append_json_number(out, static_cast<std::int64_t>(e.source.pid));
  out.literal("},\"type\":");
  append_json_string(out, e.type);
}

// The line, with the wall clock's value appended by append_wall(out) and `"source":...,
// "type":...` by append_source_and_type(out).
template <class AppendWall, class AppendEnvelope>
void append_line(util::TextBuffer& out, const Event& e, const DeferredBody* deferred, AppendWall append_wall,
                 AppendEnvelope append_source_and_type) {
  out.literal("{\"seq\":");
  append_json_number(out, e.seq);
  out.literal(",\"t_ns\":");
  append_json_number(out, e.t_ns);
  out.literal(",\"wall\":");
  append_wall(out);
  out.push_back(',');
  append_source_and_type(out);
  out.literal(",\"body\":");
  if (deferred) deferred->append_text(out);
  else append_object(out, e.body);
  out.literal(",\"attrs\":");
  append_object(out, e.attrs);
  out.literal("}\n");
}

}  // namespace

std::string_view EnvelopeCache::text(const Event& e) {
  for (const auto& entry : entries_)
    if (!entry.text.empty() && entry.type == e.type && entry.source == e.source) return entry.text;
  Entry& entry = entries_[next_];
  next_ = (next_ + 1) % entries_.size();
  util::TextBuffer text;
  append_envelope(text, e);
  entry = {e.source, e.type, std::string(text.view())};
  return entry.text;
}

void append_event_json_line(util::TextBuffer& out, const Event& e, std::string_view wall) {
  append_line(out, e, nullptr, [&](util::TextBuffer& o) { append_json_string(o, wall); },
              [&](util::TextBuffer& o) { append_envelope(o, e); });
}

void append_event_json_line_at(util::TextBuffer& out, const Event& e, const DeferredBody* deferred,
                               std::int64_t wall_realtime_ns, EnvelopeCache& envelopes) {
  auto wall = [&](util::TextBuffer& o) {
    char* p = o.grow(util::kRfc3339Size + 2);
    p[0] = '"';
    std::size_t n = util::format_rfc3339_utc(p + 1, wall_realtime_ns);
    p[n + 1] = '"';
    o.shrink_by(util::kRfc3339Size - n);
  };
  append_line(out, e, deferred, wall, [&](util::TextBuffer& o) { o.append(envelopes.text(e)); });
}

namespace {

// An integer of the envelope that fits T. nlohmann's get<T>() of a number that does not (a
// float such as 1e106, a negative seq) is undefined behaviour, not an error.
template <class T>
T envelope_integer(const nlohmann::json& j, const char* key) {
  const auto& v = j.at(key);
  if (v.is_number_unsigned()) {
    if (auto u = v.get<std::uint64_t>(); std::in_range<T>(u)) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    if (auto i = v.get<std::int64_t>(); std::in_range<T>(i)) return static_cast<T>(i);
  }
  throw std::invalid_argument(std::string("not an event: ") + key + " " + v.dump() + " is not an integer in range");
}

}  // namespace

Event event_from_json_line(std::string_view line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number such as 1e400
    throw std::invalid_argument(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("not a JSON object");
  try {
    Event e;
    e.seq = envelope_integer<std::uint64_t>(j, "seq");
    e.t_ns = envelope_integer<std::int64_t>(j, "t_ns");
    e.wall = j.at("wall").get<std::string>();
    const auto& s = j.at("source");
    e.source = {s.at("kind").get<std::string>(), s.at("name").get<std::string>(), envelope_integer<int>(s, "pid")};
    e.type = j.at("type").get<std::string>();
    auto body = j.find("body");  // moved, not copied: bodies are most of a line
    e.body = body != j.end() ? std::move(*body) : nlohmann::json::object();
    auto attrs = j.find("attrs");
    e.attrs = attrs != j.end() ? std::move(*attrs) : nlohmann::json::object();
    return e;
  } catch (const nlohmann::json::exception& ex) {
    throw std::invalid_argument(std::string("not an event: ") + ex.what());
  }
}

std::string_view line_type(std::string_view line) {
  // Found by its rarest character: the envelope before it holds no 'y' but in a source's
  // name, where '"' (which a plain find stops at) starts every key and string. Each 'y' in
  // order is the third character of the key or not, so the first match is the key's first
  // occurrence.
  constexpr std::string_view kKey = "\"type\":\"";
  const char* const first = line.data();
  const char* const last = first + line.size();
  for (const char* y = first + std::min<std::size_t>(2, line.size()); y < last; ++y) {
    y = static_cast<const char*>(std::memchr(y, 'y', static_cast<std::size_t>(last - y)));
    if (!y) return {};
    const char* at = y - 2;
    if (static_cast<std::size_t>(last - at) >= kKey.size() && std::memcmp(at, kKey.data(), kKey.size()) == 0) {
      const std::size_t begin = static_cast<std::size_t>(at - first) + kKey.size();
      const auto end = line.find('"', begin);
      return end == std::string_view::npos ? std::string_view() : line.substr(begin, end - begin);
    }
  }
  return {};
}

}  // namespace bbx::journal
