#include "util/http_url.hpp"
#include "scenario/sections.hpp"
#include "scenario/choices.hpp"
#include "scenario/parse_fakes_tcp.hpp"
#include "scenario/patterns.hpp"
#include "scenario/yaml_json.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/overloaded.hpp"
#include "util/units.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

namespace bbx::scenario {

namespace {

std::map<std::string, std::string> parse_string_map(const YAML::Node& node, const std::string& path,
                                                    const std::string& what) {
  if (!node.IsMap()) fail_input(location_of(node, path), what + ": expected a mapping");
  std::map<std::string, std::string> out;
  for (const auto& kv : node) out[key_text(kv.first, path)] = scalar_string(kv.second, path, what);
  return out;
}

model::HttpFault parse_fault(const MapReader& m) {
  static const std::vector<std::pair<std::string, model::HttpFault>> names = {
      {"reset", model::HttpFault::reset},
      {"close_after_headers", model::HttpFault::close_after_headers},
      {"close_mid_body", model::HttpFault::close_mid_body},
      {"garbage", model::HttpFault::garbage},
      {"never_answer", model::HttpFault::never_answer}};
  return parse_choice(m, "fault", names);
}

// delay: 20ms, or a random range: delay: {min: 10ms, max: 50ms}
void parse_delay(const MapReader& m, model::HttpResponse& r) {
  auto node = m.node("delay");
  if (!node.IsMap()) {
    r.delay = *m.duration("delay");
    return;
  }
  MapReader d(node, m.path(), m.what() + ".delay", {"min", "max"});
  r.delay = d.duration("min").value_or(model::Duration(0));
  r.delay_max = d.duration("max").value_or(r.delay);
  if (r.delay_max < r.delay) fail_input(d.where("max"), d.what() + ": max is below min");
}

model::HttpResponse parse_response(const YAML::Node& node, const std::string& path,
                                   const std::string& what, model::HttpResponse fallback) {
  MapReader m(node, path, what, {"status", "headers", "body", "body_file", "template", "delay", "chunk", "fault"});
  model::HttpResponse r = fallback;
  if (auto s = m.integer("status", 100, 599)) r.status = static_cast<int>(*s);
  if (auto b = m.string("body")) r.body = *b;
  if (auto f = m.string("body_file")) r.body_file = *f;
  if (m.has("body") && m.has("body_file")) fail_input(m.where("body_file"), what + ": give 'body' or 'body_file', not both");
  if (auto t = m.boolean("template")) r.templated = *t;
  if (m.has("delay")) parse_delay(m, r);
  if (m.has("headers")) r.headers = parse_string_map(m.node("headers"), path, what + ".headers");
  if (m.has("fault")) r.fault = parse_fault(m);
  if (m.has("chunk")) {  // chunked dribble: chunk: {size: 10, every: 50ms}
    MapReader c(m.node("chunk"), path, what + ".chunk", {"size", "every"});
    r.chunk_size = static_cast<std::size_t>(c.integer("size", 1, 1 << 20).value_or(1));
    r.chunk_every = c.duration("every").value_or(model::Duration(0));
  }
  return r;
}

// The upstream URL as written: checked whole when it has no ${...}; otherwise its start
// (the rest is checked when the fake expands it, a bad one answering 502).
void check_proxy_url(const model::Template& to, const std::string& what) {
  std::string error;
  auto var = to.text.find("${");
  if (var == std::string::npos) {
    if (!util::parse_http_url(to.text, &error)) fail_input(to.where, what + ": " + error);
  } else if (var != 0 && !to.text.starts_with("http://") && !to.text.starts_with("https://")) {
    fail_input(to.where, what + ": expected an http:// or https:// URL, got '" + to.text + "'");
  }
}

// ca_file and insecure: for https:// upstreams (or a URL whose scheme comes from a
// variable), one or the other.
void parse_proxy_tls(const MapReader& m, model::HttpProxy& p) {
  const auto& what = m.what();
  p.insecure = m.boolean("insecure").value_or(false);
  p.ca_file = m.text_template("ca_file");
  if (p.ca_file && p.ca_file->text.empty()) fail_input(m.where("ca_file"), what + ".ca_file: expected a PEM file's path, got ''");
  if (p.ca_file && p.insecure)
    fail_input(m.where("insecure"), what + ": give 'ca_file' (trust that CA) or 'insecure' (verify nothing), not both");
  if (p.to.text.starts_with("http://"))
    for (const char* key : {"ca_file", "insecure"})
      if (m.has(key))
        fail_input(m.where(key), what + "." + key + ": only for https:// upstreams, and 'to' is '" + p.to.text + "'");
}

// proxy: URL, or proxy: {to: URL, strip_prefix: /api, timeout: 5s, headers: {set: {K: V}, remove: [K]},
// ca_file: PATH | insecure: true}
model::HttpProxy parse_proxy(const YAML::Node& node, const std::string& path, const std::string& what) {
  model::HttpProxy p;
  if (!node.IsMap()) {
    p.to = scalar_template(node, path, what);
    check_proxy_url(p.to, what);
    return p;
  }
  MapReader m(node, path, what, {"to", "strip_prefix", "timeout", "headers", "ca_file", "insecure"});
  if (!m.has("to")) fail_input(m.where(), what + ": missing 'to' (the upstream URL, e.g. http://127.0.0.1:9000)");
  p.to = *m.text_template("to");
  check_proxy_url(p.to, what + ".to");
  p.strip_prefix = m.string("strip_prefix").value_or("");
  if (!p.strip_prefix.empty() && p.strip_prefix.front() != '/')
    fail_input(m.where("strip_prefix"), what + ".strip_prefix: expected a path starting with '/', got '" + p.strip_prefix + "'");
  if (auto t = m.duration("timeout")) {
    if (t->count() <= 0) fail_input(m.where("timeout"), what + ".timeout: must be above 0");
    p.timeout = *t;
  }
  if (m.has("headers")) {
    MapReader h(m.node("headers"), path, what + ".headers", {"set", "remove"});
    if (h.has("set")) p.set_headers = parse_string_map(h.node("set"), path, what + ".headers.set");
    p.remove_headers = h.string_list("remove");
  }
  parse_proxy_tls(m, p);
  return p;
}

void parse_match(const MapReader& m, model::HttpMatch& match) {
  match.method = m.string("method").value_or("");
  match.path = m.string("path").value_or("");
  if (auto re = m.string("path_regex")) match.path_regex = compile_pattern(*re, m.where("path_regex"), m.what() + ".path_regex");
  if (m.has("query")) match.query = parse_string_map(m.node("query"), m.path(), m.what() + ".query");
  if (m.has("headers")) match.headers = parse_string_map(m.node("headers"), m.path(), m.what() + ".headers");
  match.body = m.string("body");
  match.body_contains = m.string("body_contains").value_or("");
  if (auto re = m.string("body_regex")) match.body_regex = compile_pattern(*re, m.where("body_regex"), m.what() + ".body_regex");
  if (m.has("body_json")) {  // a mapping/list written in YAML, or JSON text
    auto node = m.node("body_json");
    nlohmann::json j = node.IsScalar() ? nlohmann::json::parse(node.as<std::string>(), nullptr, false) : yaml_to_json(node, m.path());
    if (j.is_discarded()) fail_input(m.where("body_json"), m.what() + ".body_json: not valid JSON");
    match.body_json = j.dump();
  }
}

model::HttpRoute parse_route(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"match", "respond", "proxy", "cycle"});
  model::HttpRoute route;
  route.where = m.where();
  if (m.has("match")) {
    MapReader match(m.node("match"), path, what + ".match",
                    {"method", "path", "path_regex", "query", "headers", "body", "body_contains", "body_regex", "body_json"});
    parse_match(match, route.match);
  }
  if (m.has("proxy")) {
    if (m.has("respond")) fail_input(m.where("proxy"), what + ": give 'respond' or 'proxy', not both");
    if (m.has("cycle")) fail_input(m.where("cycle"), what + ": 'cycle' needs a 'respond' list, not 'proxy'");
    route.proxy = parse_proxy(m.node("proxy"), path, what + ".proxy");
    return route;
  }
  if (!m.has("respond")) fail_input(m.where(), what + ": missing 'respond' (or 'proxy')");
  auto respond = m.node("respond");
  if (respond.IsSequence()) {  // a sequence: the first requests answered in turn
    if (respond.size() == 0) fail_input(m.where("respond"), what + ".respond: empty list");
    for (std::size_t i = 0; i < respond.size(); ++i)
      route.sequence.push_back(parse_response(respond[i], path, what + ".respond[" + std::to_string(i) + "]", {}));
    route.respond = route.sequence.front();
  } else {
    route.respond = parse_response(respond, path, what + ".respond", route.respond);
  }
  route.cycle = m.boolean("cycle").value_or(false);
  return route;
}

// tls: true (self-signed per run) or tls: {cert: server.pem, key: server.key}
void parse_tls(const MapReader& k, model::HttpFakeSpec& http) {
  auto node = k.node("tls");
  if (!node.IsMap()) {
    http.tls = k.boolean("tls").value_or(false);
    return;
  }
  MapReader t(node, k.path(), k.what() + ".tls", {"cert", "key"});
  http.tls = true;
  http.tls_cert = t.string("cert").value_or("");
  http.tls_key = t.string("key").value_or("");
  if (http.tls_cert.empty() != http.tls_key.empty()) fail_input(t.where(), t.what() + ": give both 'cert' and 'key', or neither");
}

void parse_metric_options(const MapReader& k, model::MetricFakeSpec& metric) {
  if (auto p = k.string("protocol")) {
    if (*p != "udp" && *p != "tcp") fail_input(k.where("protocol"), k.what() + ".protocol: expected 'udp' or 'tcp', got '" + *p + "'");
    if (*p == "udp" && metric.format == model::MetricFormat::graphite)
      fail_input(k.where("protocol"), k.what() + ".protocol: graphite plaintext is TCP only");
    metric.transport = *p == "tcp" ? model::MetricTransport::tcp : model::MetricTransport::udp;
  }
  if (auto b = k.string("receive_buffer")) {
    auto bytes = util::parse_size(*b);
    if (!bytes || *bytes < 4096 || *bytes > (1ull << 30))
      fail_input(k.where("receive_buffer"), k.what() + ".receive_buffer: expected a size between 4KiB and 1GiB, got '" + *b + "'");
    metric.receive_buffer = static_cast<std::int64_t>(*bytes);
  }
  if (auto l = k.string("on_loss")) {
    if (*l != "fail" && *l != "warn") fail_input(k.where("on_loss"), k.what() + ".on_loss: expected 'fail' or 'warn', got '" + *l + "'");
    metric.on_loss = *l == "fail" ? model::LossPolicy::fail : model::LossPolicy::warn;
  }
}

// threads: N (1..64) or auto (one per CPU). Returns whether more than one was asked for
// (auto always is, whatever this machine's CPU count: validation must not depend on it).
bool parse_threads(const MapReader& k, model::HttpFakeSpec& http) {
  http.threads_where = k.where("threads");
  if (k.string("threads") == std::optional<std::string>("auto")) {
    http.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 64u));
    return true;
  }
  http.threads = static_cast<int>(*k.integer("threads", 1, 64));
  return http.threads > 1;
}

// A proxying fake runs on the run's loop (its upstream client and ${...} expansion live there).
void refuse_threaded_proxy(const model::HttpFakeSpec& http, const std::string& what) {
  bool proxies = http.proxy || std::any_of(http.routes.begin(), http.routes.end(), [](const auto& r) { return r.proxy.has_value(); });
  if (proxies)
    fail_input(http.threads_where, what + ".http.threads: a fake that proxies runs on one thread; remove 'threads' or the proxy");
}

// The kind's own mapping (`http: {port: 9001, ...}`): port and host for every kind, and the
// kind's `options` for its parser to read. nullopt when the kind key has no value.
std::optional<MapReader> read_kind_map(const MapReader& m, const std::string& kind_key, std::vector<std::string> options,
                                       model::Fake& fake) {
  auto node = m.node(kind_key);
  if (node.IsNull()) return std::nullopt;
  options.insert(options.begin(), {"port", "host"});
  MapReader k(node, m.path(), m.what() + "." + kind_key, std::move(options));
  if (k.string("port") == std::optional<std::string>("auto")) fake.port = 0;
  else if (auto p = k.integer("port", 1, 65535)) fake.port = static_cast<int>(*p);
  if (auto h = k.string("host")) fake.host = *h;
  return k;
}

// Keys of the fake's own mapping that belong to another kind ("'routes' needs an http fake").
void refuse_keys(const MapReader& m, std::initializer_list<const char*> keys, const std::string& kind) {
  for (const char* key : keys)
    if (m.has(key)) fail_input(m.where(key), m.what() + ": '" + key + "' needs " + kind);
}

// capture: {body: 1MiB}: request bodies journaled up to this
void parse_capture(const MapReader& m, model::HttpFakeSpec& http) {
  if (!m.has("capture")) return;
  MapReader c(m.node("capture"), m.path(), m.what() + ".capture", {"body"});
  if (auto b = c.string("body")) {
    auto bytes = util::parse_size(*b);
    if (!bytes) fail_input(c.where("body"), c.what() + ".body: expected a size like 64KiB, got '" + *b + "'");
    http.body_capture = static_cast<std::size_t>(*bytes);
  }
}

void parse_unmatched(const MapReader& m, model::HttpFakeSpec& http) {
  if (m.has("unmatched")) http.unmatched = parse_response(m.node("unmatched"), m.path(), m.what() + ".unmatched", http.unmatched);
}

void parse_http_fake(const MapReader& m, const std::string& kind_key, model::Fake& fake, model::HttpFakeSpec& http) {
  const auto& what = m.what();
  bool several_threads = false;
  if (auto k = read_kind_map(m, kind_key, {"tls", "idle_timeout", "threads"}, fake)) {
    if (k->has("tls")) parse_tls(*k, http);
    if (auto t = k->duration("idle_timeout")) {
      if (t->count() <= 0) fail_input(k->where("idle_timeout"), k->what() + ".idle_timeout: must be above 0");
      http.idle_timeout = *t;
    }
    if (k->has("threads")) several_threads = parse_threads(*k, http);
  }
  refuse_keys(m, {"greeting", "replies"}, "a tcp fake");
  if (m.has("routes")) {
    auto routes = m.node("routes");
    if (!routes.IsSequence()) fail_input(m.where("routes"), what + ".routes: expected a list");
    for (std::size_t i = 0; i < routes.size(); ++i)
      http.routes.push_back(parse_route(routes[i], m.path(), what + ".routes[" + std::to_string(i) + "]"));
  }
  parse_capture(m, http);
  if (m.has("proxy")) {  // requests no route matched go upstream
    if (m.has("unmatched")) fail_input(m.where("proxy"), what + ": give 'unmatched' or 'proxy', not both");
    http.proxy = parse_proxy(m.node("proxy"), m.path(), what + ".proxy");
  }
  parse_unmatched(m, http);
  if (several_threads) refuse_threaded_proxy(http, what);
}

// Metric and tcp fakes refuse `routes:` and `proxy:`; they accept `capture:` and
// `unmatched:` (the schema allows them on every fake), checked as on an http fake and unused.
void refuse_http_keys(const MapReader& m) {
  refuse_keys(m, {"routes", "proxy"}, "an http fake");
  model::HttpFakeSpec unused;
  parse_capture(m, unused);
  parse_unmatched(m, unused);
}

void parse_metric_fake(const MapReader& m, const std::string& kind_key, model::Fake& fake, model::MetricFakeSpec& metric) {
  if (auto k = read_kind_map(m, kind_key, {"protocol", "receive_buffer", "on_loss"}, fake)) parse_metric_options(*k, metric);
  refuse_keys(m, {"greeting", "replies"}, "a tcp fake");
  refuse_http_keys(m);
}

void parse_tcp_fake(const MapReader& m, const std::string& kind_key, model::Fake& fake, model::TcpFakeSpec& tcp) {
  if (auto k = read_kind_map(m, kind_key, {"framing", "max_message"}, fake)) parse_tcp_options(*k, tcp);
  parse_tcp_script(m, tcp);
  refuse_http_keys(m);
}

// The kind key's blank spec: `graphite:` is a metric fake in graphite format over TCP.
model::FakeSpec blank_spec(const std::string& kind_key) {
  if (kind_key == "http") return model::HttpFakeSpec{};
  if (kind_key == "tcp") return model::TcpFakeSpec{};
  model::MetricFakeSpec metric;
  if (kind_key == "graphite") {
    metric.format = model::MetricFormat::graphite;
    metric.transport = model::MetricTransport::tcp;
  }
  return metric;
}

model::Fake parse_fake(const std::string& name, const YAML::Node& node, const std::string& path) {
  std::string what = "fake '" + name + "'";
  MapReader m(node, path, what, {"http", "statsd", "graphite", "tcp", "routes", "unmatched", "proxy", "capture",
                                      "greeting", "replies"});
  model::Fake fake;
  fake.name = name;
  fake.where = m.where();
  int kinds = int(m.has("http")) + int(m.has("statsd")) + int(m.has("graphite")) + int(m.has("tcp"));
  if (kinds != 1) fail_input(m.where(), what + ": needs exactly one of 'http', 'statsd', 'graphite' or 'tcp'");
  std::string kind_key = m.has("http") ? "http" : m.has("statsd") ? "statsd" : m.has("graphite") ? "graphite" : "tcp";
  fake.spec = blank_spec(kind_key);
  std::visit(util::Overloaded{
                 [&](model::HttpFakeSpec& http) { parse_http_fake(m, kind_key, fake, http); },
                 [&](model::MetricFakeSpec& metric) { parse_metric_fake(m, kind_key, fake, metric); },
                 [&](model::TcpFakeSpec& tcp) { parse_tcp_fake(m, kind_key, fake, tcp); },
             },
             fake.spec);
  return fake;
}

}  // namespace

std::vector<model::Fake> parse_fakes(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) fail_input(location_of(node, path), "fakes: expected a mapping of name to fake");
  std::vector<model::Fake> out;
  for (const auto& kv : node) out.push_back(parse_fake(key_text(kv.first, path), kv.second, path));
  return out;
}

}  // namespace bbx::scenario
