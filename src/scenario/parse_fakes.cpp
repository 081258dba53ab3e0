#include "scenario/parse_parts.hpp"

namespace bbx::scenario {

namespace {

std::map<std::string, std::string> parse_string_map(const YAML::Node& node, const std::string& path,
                                                    const std::string& what) {
  if (!node.IsMap()) fail_input(location_of(node, path), what + ": expected a mapping");
  std::map<std::string, std::string> out;
  for (const auto& kv : node) out[kv.first.as<std::string>()] = scalar_string(kv.second, path, what);
  return out;
}

model::HttpResponse parse_response(const YAML::Node& node, const std::string& path,
                                   const std::string& what, model::HttpResponse fallback) {
  MapReader m(node, path, what, {"status", "headers", "body", "delay"});
  model::HttpResponse r = fallback;
  if (auto s = m.integer("status", 100, 599)) r.status = static_cast<int>(*s);
  if (auto b = m.string("body")) r.body = *b;
  if (auto d = m.duration("delay")) r.delay = *d;
  if (m.has("headers")) r.headers = parse_string_map(m.node("headers"), path, what + ".headers");
  return r;
}

model::HttpRoute parse_route(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"match", "respond"});
  model::HttpRoute route;
  route.where = m.where();
  if (m.has("match")) {
    MapReader match(m.node("match"), path, what + ".match", {"method", "path"});
    route.match.method = match.string("method").value_or("");
    route.match.path = match.string("path").value_or("");
  }
  if (!m.has("respond")) fail_input(m.where(), what + ": missing 'respond'");
  route.respond = parse_response(m.node("respond"), path, what + ".respond", route.respond);
  return route;
}

model::Fake parse_fake(const std::string& name, const YAML::Node& node, const std::string& path) {
  std::string what = "fake '" + name + "'";
  MapReader m(node, path, what, {"http", "statsd", "tcp", "routes", "unmatched"});
  model::Fake fake;
  fake.name = name;
  fake.where = m.where();
  int kinds = int(m.has("http")) + int(m.has("statsd")) + int(m.has("tcp"));
  if (kinds != 1) fail_input(m.where(), what + ": needs exactly one of 'http', 'statsd' or 'tcp'");
  std::string kind_key = m.has("http") ? "http" : m.has("statsd") ? "statsd" : "tcp";
  fake.kind = kind_key == "http" ? model::FakeKind::http
            : kind_key == "statsd" ? model::FakeKind::statsd : model::FakeKind::tcp;
  YAML::Node kind_node = m.node(kind_key);
  if (!kind_node.IsNull()) {
    MapReader k(kind_node, path, what + "." + kind_key, {"port", "host"});
    if (k.string("port") == std::optional<std::string>("auto")) fake.port = 0;
    else if (auto p = k.integer("port", 1, 65535)) fake.port = static_cast<int>(*p);
    if (auto h = k.string("host")) fake.host = *h;
  }
  if (m.has("routes")) {
    if (fake.kind != model::FakeKind::http) fail_input(m.where("routes"), what + ": 'routes' needs an http fake");
    auto routes = m.node("routes");
    if (!routes.IsSequence()) fail_input(m.where("routes"), what + ".routes: expected a list");
    for (std::size_t i = 0; i < routes.size(); ++i)
      fake.routes.push_back(parse_route(routes[i], path, what + ".routes[" + std::to_string(i) + "]"));
  }
  if (m.has("unmatched")) fake.unmatched = parse_response(m.node("unmatched"), path, what + ".unmatched", fake.unmatched);
  return fake;
}

}  // namespace

std::vector<model::Fake> parse_fakes(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) fail_input(location_of(node, path), "fakes: expected a mapping of name to fake");
  std::vector<model::Fake> out;
  for (const auto& kv : node) out.push_back(parse_fake(kv.first.as<std::string>(), kv.second, path));
  return out;
}

}  // namespace bbx::scenario
