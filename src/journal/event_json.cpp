#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "bbx/event.hpp"
#include "util/json_text.hpp"

namespace bbx {

namespace {

using nlohmann::json;
using util::append_json_number;
using util::append_json_string;

void append_object(std::string& out, const json& j) {
  if (j.is_null()) out += "{}";
  else out += j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string event_to_json_line(const Event& e) {
  std::string out;
  out.reserve(256);
  append_event_json_line(out, e, e.wall);
  return out;
}

void append_event_json_line(std::string& out, const Event& e, std::string_view wall) {
  out += "{\"seq\":";
  append_json_number(out, e.seq);
  out += ",\"t_ns\":";
  append_json_number(out, e.t_ns);
  out += ",\"wall\":";
  append_json_string(out, wall);
  out += ",\"source\":{\"kind\":";
  append_json_string(out, e.source.kind);
  out += ",\"name\":";
  append_json_string(out, e.source.name);
  out += ",\"pid\":";
  append_json_number(out, static_cast<std::int64_t>(e.source.pid));
  out += "},\"type\":";
  append_json_string(out, e.type);
  out += ",\"body\":";
  if (e.deferred) e.deferred->append_text(out);
  else append_object(out, e.body);
  out += ",\"attrs\":";
  append_object(out, e.attrs);
  out += "}\n";
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
