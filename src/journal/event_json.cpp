#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "bbx/event.hpp"
#include "util/clock.hpp"
#include "util/json_text.hpp"

namespace bbx {

namespace {

using nlohmann::json;
using util::append_json_number;
using util::append_json_string;

void append_object(std::string& out, const json& j) {
  if (j.is_null()) util::append_literal(out, "{}");
  else out += j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string event_to_json_line(const Event& e) {
  std::string out;
  out.reserve(256);
  append_event_json_line(out, e, e.wall);
  return out;
}

namespace {

// The line, with the wall clock's value appended by append_wall(out).
template <class AppendWall>
void append_line(std::string& out, const Event& e, AppendWall append_wall) {
  using util::append_literal;
  append_literal(out, "{\"seq\":");
  append_json_number(out, e.seq);
  append_literal(out, ",\"t_ns\":");
  append_json_number(out, e.t_ns);
  append_literal(out, ",\"wall\":");
  append_wall(out);
  append_literal(out, ",\"source\":{\"kind\":");
  append_json_string(out, e.source.kind);
  append_literal(out, ",\"name\":");
  append_json_string(out, e.source.name);
  append_literal(out, ",\"pid\":");
  append_json_number(out, static_cast<std::int64_t>(e.source.pid));
  append_literal(out, "},\"type\":");
  append_json_string(out, e.type);
  append_literal(out, ",\"body\":");
  if (e.deferred) e.deferred->append_text(out);
  else append_object(out, e.body);
  append_literal(out, ",\"attrs\":");
  append_object(out, e.attrs);
  append_literal(out, "}\n");
}

}  // namespace

void append_event_json_line(std::string& out, const Event& e, std::string_view wall) {
  append_line(out, e, [&](std::string& o) { append_json_string(o, wall); });
}

void append_event_json_line_at(std::string& out, const Event& e, std::int64_t wall_realtime_ns) {
  append_line(out, e, [&](std::string& o) {
    o.push_back('"');
    util::append_rfc3339_utc(o, wall_realtime_ns);
    o.push_back('"');
  });
}

Event event_from_json_line(std::string_view line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("not a JSON object");
  try {
    Event e;
    e.seq = j.at("seq").get<std::uint64_t>();
    e.t_ns = j.at("t_ns").get<std::int64_t>();
    e.wall = j.at("wall").get<std::string>();
    const auto& s = j.at("source");
    e.source = {s.at("kind").get<std::string>(), s.at("name").get<std::string>(),
                s.at("pid").get<int>()};
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

}  // namespace bbx
