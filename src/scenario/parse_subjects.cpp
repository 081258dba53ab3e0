#include "scenario/parse_parts.hpp"

#include "util/signals.hpp"

namespace bbx::scenario {

int parse_signal(const MapReader& map, std::string_view key, int fallback) {
  auto text = map.string(key);
  if (!text) return fallback;
  auto sig = util::signal_from_name(*text);
  if (!sig)
    fail_input(map.where(key), map.what() + "." + std::string(key) + ": unknown signal '" + *text +
                                   "' (use a name like TERM, HUP, KILL or a number)");
  return *sig;
}

namespace {

model::Readiness parse_readiness(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"listening", "within"});
  model::Readiness r;
  r.where = m.where();
  if (m.has("listening")) {
    YAML::Node l = m.node("listening");
    std::vector<YAML::Node> items;
    if (l.IsSequence()) for (const auto& i : l) items.push_back(i);
    else items.push_back(l);
    for (const auto& item : items) {
      auto text = scalar_string(item, path, what + ".listening");
      int port = 0;
      try { port = std::stoi(text); } catch (...) { port = 0; }
      if (port < 1 || port > 65535 || std::to_string(port) != text)
        fail_input(location_of(item, path), what + ".listening: expected a port 1..65535, got '" + text + "'");
      r.listening_tcp_ports.push_back(port);
    }
  }
  if (auto w = m.duration("within")) r.within = *w;
  return r;
}

std::vector<model::Template> parse_command(const MapReader& m, const std::string& what) {
  if (!m.has("command")) fail_input(m.where(), what + ": missing 'command'");
  YAML::Node c = m.node("command");
  if (!c.IsSequence() || c.size() == 0)
    fail_input(m.where("command"), what + ".command: expected a non-empty list (argv), e.g. [bbx-fixture, --listen, \"8080\"]");
  std::vector<model::Template> argv;
  for (const auto& a : c) argv.push_back(scalar_template(a, m.path(), what + ".command"));
  return argv;
}

model::Subject parse_subject(const std::string& name, const YAML::Node& node, const std::string& path) {
  std::string what = "subject '" + name + "'";
  MapReader m(node, path, what, {"command", "env", "ready", "stop", "after"});
  model::Subject s;
  s.name = name;
  s.where = m.where();
  s.command = parse_command(m, what);
  if (m.has("env")) {
    YAML::Node env = m.node("env");
    if (!env.IsMap()) fail_input(m.where("env"), what + ".env: expected a mapping of NAME: value");
    for (const auto& kv : env)
      s.env[kv.first.as<std::string>()] = scalar_template(kv.second, path, what + ".env");
  }
  if (m.has("ready")) s.ready = parse_readiness(m.node("ready"), path, what + ".ready");
  if (m.has("stop")) {
    MapReader stop(m.node("stop"), path, what + ".stop", {"signal", "grace"});
    s.stop.signal = parse_signal(stop, "signal", s.stop.signal);
    if (auto g = stop.duration("grace")) s.stop.grace = *g;
  }
  s.after = m.string_list("after");
  return s;
}

}  // namespace

std::vector<model::Subject> parse_subjects(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) fail_input(location_of(node, path), "subjects: expected a mapping of name to subject");
  std::vector<model::Subject> out;
  for (const auto& kv : node) out.push_back(parse_subject(kv.first.as<std::string>(), kv.second, path));
  return out;
}

}  // namespace bbx::scenario
