#include "scenario/parse_parts.hpp"

#include "scenario/parse_expect_parts.hpp"
#include "scenario/parse_steps_more.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

const std::vector<std::string> kHttpMethods = {"get", "head", "post", "put", "delete", "patch", "options"};

// One value of expect.headers: `value` (exact), {contains: T}, {matches: RE} or
// {absent: true|false}.
model::HeaderExpectation parse_expected_header(const YAML::Node& key, const YAML::Node& v, const std::string& path,
                                               const std::string& label) {
  model::HeaderExpectation h;
  h.name = key.Scalar();
  h.where = location_of(v.IsNull() ? key : v, path);  // a null value is marked at the next token
  if (v.IsScalar()) {
    h.value = scalar_template(v, path, label);
    return h;
  }
  if (!v.IsMap())
    fail_input(h.where, label + ": expected the header's value, or {contains: T}, {matches: RE} or {absent: true}");
  MapReader m(v, path, label, {"contains", "matches", "absent"});
  auto absent = m.boolean("absent");
  h.match = text_match(m);
  if (h.match && absent.value_or(false))
    fail_input(m.where("absent"), label + ": give 'absent: true' or a matcher (contains, matches), not both");
  if (h.match) h.kind = model::HeaderExpectation::Kind::match;
  else if (absent) h.kind = *absent ? model::HeaderExpectation::Kind::absent : model::HeaderExpectation::Kind::present;
  else fail_input(m.where(), label + ": give 'contains', 'matches' or 'absent'");
  return h;
}

// expect.headers: a mapping of header name (case-insensitive, each at most once) to its
// expected value.
std::vector<model::HeaderExpectation> parse_expected_headers(const MapReader& e) {
  std::vector<model::HeaderExpectation> out;
  if (!e.has("headers")) return out;
  auto node = e.node("headers");
  std::string label = e.what() + ".headers";
  if (!node.IsMap()) fail_input(e.where("headers"), label + ": expected a mapping of header name: expected value");
  for (const auto& kv : node) {
    auto name = scalar_string(kv.first, e.path(), label);
    for (const auto& seen : out)
      if (util::iequals(seen.name, name))
        fail_input(location_of(kv.first, e.path()),
                   label + ": header '" + name + "' is also given as '" + seen.name + "' (names are case-insensitive)");
    out.push_back(parse_expected_header(kv.first, kv.second, e.path(), label + "." + name));
  }
  return out;
}

model::HttpStep parse_http(const YAML::Node& node, const YAML::Node& expect, const std::string& path,
                           const std::string& what) {
  std::vector<std::string> keys = kHttpMethods;
  for (const char* k : {"method", "url", "headers", "body", "timeout"}) keys.push_back(k);
  MapReader m(node, path, what + ".http", keys);
  model::HttpStep h;
  int urls = 0;
  for (const auto& method : kHttpMethods) {
    if (!m.has(method)) continue;
    ++urls;
    h.method = method;
    for (auto& c : h.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    h.url = *m.text_template(method);
  }
  if (m.has("url")) {
    ++urls;
    h.url = *m.text_template("url");
    h.method = m.string("method").value_or("GET");
  }
  if (urls != 1)
    fail_input(m.where(), what + ".http: give the URL exactly once, as 'get: URL' (or post/put/...) or 'url: URL'");
  if (m.has("headers")) {
    YAML::Node hs = m.node("headers");
    if (!hs.IsMap()) fail_input(m.where("headers"), what + ".http.headers: expected a mapping");
    for (const auto& kv : hs) h.headers[kv.first.as<std::string>()] = scalar_template(kv.second, path, what + ".http.headers");
  }
  h.body = m.text_template("body");
  if (auto t = m.duration("timeout")) h.timeout = *t;
  if (expect.IsDefined()) {
    MapReader e(expect, path, what + ".expect", {"status", "body", "headers"});
    if (auto s = e.integer("status", 100, 599)) h.expect_status = static_cast<int>(*s);
    h.expect_body = e.string("body");
    h.expect_headers = parse_expected_headers(e);
  }
  return h;
}

model::Step parse_step(const YAML::Node& node, const std::string& path, std::size_t index) {
  std::string what = "steps[" + std::to_string(index) + "]";
  std::vector<std::string> actions = {"http", "signal", "sleep"};
  for (const auto& k : more_step_keys()) actions.push_back(k);
  std::vector<std::string> keys = actions;
  keys.push_back("name");
  keys.push_back("expect");
  MapReader m(node, path, what, keys);
  model::Step step;
  step.where = m.where();
  std::vector<std::string> present;
  for (const auto& a : actions)
    if (m.has(a)) present.push_back(a);
  if (present.size() != 1)
    fail_input(m.where(), what + ": needs exactly one action (" + util::join(actions, ", ") + ")" +
                              (present.empty() ? "" : ", got " + util::join(present, " and ")));
  if (present[0] != "http" && present[0] != "signal" && present[0] != "sleep") {
    parse_more_step(m, present[0], step);
    if (auto name = m.string("name")) step.label = *name;
    return step;
  }
  if (m.has("expect") && !m.has("http")) fail_input(m.where("expect"), what + ": 'expect' is only for http and command steps");
  if (m.has("http")) {
    auto h = parse_http(m.node("http"), m.node("expect"), path, what);
    step.label = "http " + h.method + " " + h.url.text;
    step.action = std::move(h);
  } else if (m.has("signal")) {
    MapReader s(m.node("signal"), path, what + ".signal", {"subject", "signal"});
    model::SignalStep sig{s.required_string("subject"), parse_signal(s, "signal", 1)};
    step.label = "signal " + sig.subject;
    step.action = sig;
  } else {
    auto d = m.duration("sleep");
    step.label = "sleep " + util::format_duration(*d);
    step.action = model::SleepStep{*d};
  }
  if (auto name = m.string("name")) step.label = *name;
  return step;
}

}  // namespace

std::vector<model::Step> parse_steps(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) fail_input(location_of(node, path), "steps: expected a list");
  std::vector<model::Step> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(parse_step(node[i], path, i));
  return out;
}

}  // namespace bbx::scenario
