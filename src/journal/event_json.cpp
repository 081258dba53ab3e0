#include <stdexcept>

#include "bbx/event.hpp"

namespace bbx {

std::string event_to_json_line(const Event& e) {
  using nlohmann::json;
  std::string out;
  out.reserve(160);
  out += "{\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"t_ns\":";
  out += std::to_string(e.t_ns);
  out += ",\"wall\":";
  out += json(e.wall).dump();
  out += ",\"source\":";
  json source = {{"kind", e.source.kind}, {"name", e.source.name}, {"pid", e.source.pid}};
  out += source.dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"type\":";
  out += json(e.type).dump();
  out += ",\"body\":";
  out += e.body.is_null() ? "{}" : e.body.dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"attrs\":";
  out += e.attrs.is_null() ? "{}" : e.attrs.dump(-1, ' ', false, json::error_handler_t::replace);
  out += "}\n";
  return out;
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
    e.body = j.value("body", nlohmann::json::object());
    e.attrs = j.value("attrs", nlohmann::json::object());
    return e;
  } catch (const nlohmann::json::exception& ex) {
    throw std::invalid_argument(std::string("not an event: ") + ex.what());
  }
}

}  // namespace bbx
