#include "scenario/parse_parts.hpp"
#include "util/units.hpp"

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

void parse_metric_options(MapReader& k, model::Fake& fake) {
  auto& o = fake.metrics;
  if (auto p = k.string("protocol")) {
    if (*p != "udp" && *p != "tcp") fail_input(k.where("protocol"), k.what() + ".protocol: expected 'udp' or 'tcp', got '" + *p + "'");
    if (*p == "udp" && o.format == model::MetricFormat::graphite)
      fail_input(k.where("protocol"), k.what() + ".protocol: graphite plaintext is TCP only");
    o.tcp = *p == "tcp";
  }
  if (auto b = k.string("receive_buffer")) {
    auto bytes = util::parse_size(*b);
    if (!bytes || *bytes < 4096 || *bytes > (1ull << 30))
      fail_input(k.where("receive_buffer"), k.what() + ".receive_buffer: expected a size between 4KiB and 1GiB, got '" + *b + "'");
    o.receive_buffer = static_cast<std::int64_t>(*bytes);
  }
  if (auto l = k.string("on_loss")) {
    if (*l != "fail" && *l != "warn") fail_input(k.where("on_loss"), k.what() + ".on_loss: expected 'fail' or 'warn', got '" + *l + "'");
    o.on_loss = *l == "fail" ? model::LossPolicy::fail : model::LossPolicy::warn;
  }
}

model::Fake parse_fake(const std::string& name, const YAML::Node& node, const std::string& path) {
  std::string what = "fake '" + name + "'";
  MapReader m(node, path, what, {"http", "statsd", "graphite", "tcp", "routes", "unmatched"});
  model::Fake fake;
  fake.name = name;
  fake.where = m.where();
  int kinds = int(m.has("http")) + int(m.has("statsd")) + int(m.has("graphite")) + int(m.has("tcp"));
  if (kinds != 1) fail_input(m.where(), what + ": needs exactly one of 'http', 'statsd', 'graphite' or 'tcp'");
  std::string kind_key = m.has("http") ? "http" : m.has("statsd") ? "statsd" : m.has("graphite") ? "graphite" : "tcp";
  fake.kind = kind_key == "http" ? model::FakeKind::http
            : kind_key == "tcp" ? model::FakeKind::tcp : model::FakeKind::statsd;
  if (kind_key == "graphite") {
    fake.metrics.format = model::MetricFormat::graphite;
    fake.metrics.tcp = true;
  }
  YAML::Node kind_node = m.node(kind_key);
  if (!kind_node.IsNull()) {
    std::vector<std::string> keys = {"port", "host"};
    if (fake.kind == model::FakeKind::statsd) keys.insert(keys.end(), {"protocol", "receive_buffer", "on_loss"});
    MapReader k(kind_node, path, what + "." + kind_key, keys);
    if (k.string("port") == std::optional<std::string>("auto")) fake.port = 0;
    else if (auto p = k.integer("port", 1, 65535)) fake.port = static_cast<int>(*p);
    if (auto h = k.string("host")) fake.host = *h;
    if (fake.kind == model::FakeKind::statsd) parse_metric_options(k, fake);
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
