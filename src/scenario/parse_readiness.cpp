// subjects.NAME.ready: listening ports (tcp, udp), log regex, http, file, command; all/any.

#include "scenario/parse_readiness.hpp"
#include "scenario/yaml_reader.hpp"
#include "scenario/patterns.hpp"

namespace bbx::scenario {

namespace {

using Kind = model::ReadyCheck::Kind;

model::ReadyCheck ready_check(Kind kind, model::Template target, const SourceLocation& where) {
  model::ReadyCheck c;
  c.kind = kind;
  c.target = std::move(target);
  c.where = where;
  return c;
}

// A port literal 1..65535 or a template containing ${...} (checked when expanded).
model::Template port_template(const YAML::Node& item, const std::string& path, const std::string& what) {
  auto t = scalar_template(item, path, what);
  if (t.text.find("${") != std::string::npos) return t;
  int port = 0;
  try { port = std::stoi(t.text); } catch (...) { port = 0; }
  if (port < 1 || port > 65535 || std::to_string(port) != t.text)
    fail_input(location_of(item, path), what + ": expected a port 1..65535 or ${ports.NAME}, got '" + t.text + "'");
  return t;
}

void add_ports(model::Readiness& r, const YAML::Node& node, Kind kind, const std::string& path, const std::string& what) {
  std::vector<YAML::Node> items;
  if (node.IsSequence()) for (const auto& i : node) items.push_back(i);
  else items.push_back(node);
  for (const auto& item : items) {
    if (item.IsMap()) {
      MapReader m(item, path, what, {"tcp", "udp"});
      if (m.has("tcp")) add_ports(r, m.node("tcp"), Kind::tcp, path, what + ".tcp");
      if (m.has("udp")) add_ports(r, m.node("udp"), Kind::udp, path, what + ".udp");
      continue;
    }
    r.checks.push_back(ready_check(kind, port_template(item, path, what), location_of(item, path)));
  }
}

void add_http(model::Readiness& r, const YAML::Node& node, const std::string& path, const std::string& what) {
  model::ReadyCheck c = ready_check(Kind::http, {}, location_of(node, path));
  if (node.IsScalar()) {
    c.target = scalar_template(node, path, what);
  } else {
    MapReader m(node, path, what, {"get", "status"});
    if (!m.has("get")) fail_input(m.where(), what + ": missing 'get' (the URL to request)");
    c.target = *m.text_template("get");
    if (auto st = m.int_field("status", 100, 599)) c.status = *st;
  }
  r.checks.push_back(c);
}

}  // namespace

model::Readiness parse_readiness(const YAML::Node& node, const std::string& path, const std::string& what) {
  model::Readiness r;
  r.where = location_of(node, path);
  if (node.IsScalar() && node.as<std::string>() == "none") return r;  // ready once started
  MapReader m(node, path, what, {"listening", "log", "http", "file", "command", "require", "within"});
  if (m.has("listening")) add_ports(r, m.node("listening"), Kind::tcp, path, what + ".listening");
  if (auto log = m.text_template("log")) {
    auto regex = compile_pattern_template(*log, what + ".log");
    r.checks.push_back(ready_check(Kind::log, *log, m.where("log")));
    r.checks.back().regex = std::move(regex);
  }
  if (m.has("http")) add_http(r, m.node("http"), path, what + ".http");
  if (auto file = m.text_template("file")) r.checks.push_back(ready_check(Kind::file, *file, m.where("file")));
  if (auto cmd = m.text_template("command")) r.checks.push_back(ready_check(Kind::command, *cmd, m.where("command")));
  if (auto req = m.string("require")) {
    if (*req != "all" && *req != "any")
      fail_input(m.where("require"), what + ".require: expected 'all' or 'any', got '" + *req + "'");
    r.any = *req == "any";
  }
  if (auto w = m.duration("within")) r.within = *w;
  return r;
}

}  // namespace bbx::scenario
