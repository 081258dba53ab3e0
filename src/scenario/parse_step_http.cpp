// `http:` steps: the request (method and URL, headers, body, timeout) and what the response
// must be (`expect: {status, body, headers, body_contains, body_matches, json}`, or
// `expect: {broken: HOW}`).
#include "scenario/choices.hpp"
#include "scenario/step_kinds.hpp"
#include "scenario/text_matchers.hpp"
#include "scenario/yaml_json.hpp"
#include "util/text.hpp"

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

// A JSON pointer as written (RFC 6901); throws at `at` when it is none.
void check_pointer(const std::string& pointer, const SourceLocation& at, const std::string& label) {
  try {
    nlohmann::json::json_pointer check(pointer);
  } catch (const nlohmann::json::exception&) {
    fail_input(at, label + ": '" + pointer +
                       "' is not a JSON pointer (RFC 6901: \"\" for the whole body, else \"/key/0/...\", with ~1 "
                       "for '/' and ~0 for '~' in keys)");
  }
}

// One value of expect.json: a JSON value (exact), or {equals: V}, {contains: T},
// {matches: RE}, {absent: true|false}.
model::JsonExpectation parse_expected_json(const YAML::Node& key, const YAML::Node& v, const std::string& path,
                                           const std::string& label) {
  model::JsonExpectation j;
  j.pointer = key.Scalar();
  j.where = location_of(v.IsNull() ? key : v, path);
  check_pointer(j.pointer, location_of(key, path), label);
  YAML::Node value = v;
  if (v.IsMap()) {
    MapReader m(v, path, label, {"equals", "contains", "matches", "absent"});
    int given = 0;
    for (const char* k : {"equals", "contains", "matches", "absent"}) given += m.has(k) ? 1 : 0;
    if (given != 1)
      fail_input(m.where(), label + ": give one of 'equals', 'contains', 'matches' or 'absent' (a JSON object to "
                                    "compare goes under 'equals')");
    if (auto absent = m.boolean("absent")) {
      j.kind = *absent ? model::JsonExpectation::Kind::absent : model::JsonExpectation::Kind::present;
      return j;
    }
    if ((j.match = text_match(m))) {
      j.kind = model::JsonExpectation::Kind::match;
      return j;
    }
    value = m.node("equals");
    j.where = m.where("equals");
  }
  auto json = yaml_to_json(value, path);
  if (json.is_string() && value.IsScalar()) j.text = scalar_template(value, path, label);
  else j.value = json.dump();
  return j;
}

// expect.json: a mapping of JSON pointer to the value expected there.
std::vector<model::JsonExpectation> parse_expected_json_values(const MapReader& e) {
  std::vector<model::JsonExpectation> out;
  if (!e.has("json")) return out;
  auto node = e.node("json");
  std::string label = e.what() + ".json";
  if (!node.IsMap() || node.size() == 0)
    fail_input(e.where("json"), label + ": expected a mapping of JSON pointer: expected value (\"/items/0/id\": 7)");
  for (const auto& kv : node) {
    auto pointer = scalar_string(kv.first, e.path(), label);
    out.push_back(parse_expected_json(kv.first, kv.second, e.path(), label + "." + pointer));
  }
  return out;
}

// capture: NAME -> /pointer, {json: /pointer}, {header: NAME} or {regex: RE}.
std::vector<model::HttpCapture> parse_captures(const MapReader& step, const std::string& what) {
  std::vector<model::HttpCapture> out;
  auto node = step.node("capture");
  std::string label = what + ".capture";
  if (!node.IsMap() || node.size() == 0)
    fail_input(step.where("capture"), label + ": expected a mapping of NAME: /json/pointer, {header: NAME} or {regex: RE}");
  for (const auto& kv : node) {
    model::HttpCapture c;
    c.name = scalar_string(kv.first, step.path(), label);
    c.where = location_of(kv.first, step.path());
    std::string at = label + "." + c.name;
    if (c.name.empty() || c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                              std::string::npos)
      fail_input(c.where, at + ": a capture's name is letters, digits, '_' and '-' (it is used as ${captures.NAME})");
    if (kv.second.IsScalar()) {
      c.source = kv.second.Scalar();
      check_pointer(c.source, location_of(kv.second, step.path()), at);
    } else {
      if (!kv.second.IsMap()) fail_input(location_of(kv.second, step.path()), at + ": expected /json/pointer, {json: /pointer}, {header: NAME} or {regex: RE}");
      MapReader m(kv.second, step.path(), at, {"json", "header", "regex"});
      if (m.has("json") + m.has("header") + m.has("regex") != 1)
        fail_input(m.where(), at + ": give one of 'json', 'header' or 'regex'");
      if (m.has("json")) {
        c.source = *m.string("json");
        check_pointer(c.source, m.where("json"), at + ".json");
      } else if (m.has("header")) {
        c.from = model::HttpCapture::From::header;
        c.source = *m.string("header");
      } else {
        c.from = model::HttpCapture::From::regex;
        c.regex = regex_at(m, "regex");
      }
    }
    for (const auto& seen : out)
      if (seen.name == c.name) fail_input(c.where, at + ": captured twice by this step");
    out.push_back(std::move(c));
  }
  return out;
}

model::HttpStep parse_http(const YAML::Node& node, const YAML::Node& expect, const std::string& path,
                           const std::string& what) {
  std::vector<std::string> keys = kHttpMethods;
  for (const char* k : {"method", "url", "headers", "body", "timeout", "repeat", "concurrency"}) keys.push_back(k);
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
    for (const auto& kv : hs) h.headers[key_text(kv.first, path)] = scalar_template(kv.second, path, what + ".http.headers");
  }
  h.body = m.text_template("body");
  if (auto t = m.duration("timeout")) h.timeout = *t;
  h.repeat = m.integer("repeat", 1, 10000).value_or(1);
  h.concurrency = m.integer("concurrency", 1, 64).value_or(1);
  if (h.concurrency > h.repeat)
    fail_input(m.where("concurrency"), what + ".http.concurrency: " + std::to_string(h.concurrency) +
                                           " is more than repeat (" + std::to_string(h.repeat) + ")");
  if (expect.IsDefined()) {
    MapReader e(expect, path, what + ".expect",
                {"status", "body", "headers", "body_contains", "body_matches", "json", "broken"});
    if (e.has("broken")) {
      h.expect_broken = parse_choice<model::HttpBreak>(e, "broken",
                                                       {{"reset", model::HttpBreak::reset},
                                                        {"closed", model::HttpBreak::closed},
                                                        {"truncated", model::HttpBreak::truncated},
                                                        {"malformed", model::HttpBreak::malformed},
                                                        {"any", model::HttpBreak::any}});
      if (expect.size() != 1)
        fail_input(e.where("broken"), what + ".expect.broken: give it alone (a broken response has no status, body "
                                             "or headers to check)");
      return h;
    }
    h.expect_status = e.int_field("status", 100, 599);
    h.expect_body = e.string("body");
    h.expect_headers = parse_expected_headers(e);
    h.body_contains = template_list(e, "body_contains");
    if (e.has("body_matches")) h.body_matches = regex_at(e, "body_matches");
    h.expect_json = parse_expected_json_values(e);
  }
  return h;
}

}  // namespace

void StepSyntax<model::HttpStep>::parse(const StepInput& in, model::Step& step) {
  auto h = parse_http(in.step.node("http"), in.step.node("expect"), in.step.path(), in.what);
  if (in.step.has("capture")) {
    if (h.repeat > 1 || h.expect_broken)
      fail_input(in.step.where("capture"), in.what + ".capture: not with " +
                                               (h.repeat > 1 ? std::string("repeat") : std::string("expect.broken")) +
                                               " (one whole response is captured from)");
    h.captures = parse_captures(in.step, in.what);
  }
  step.label = "http " + h.method + " " + h.url.text;
  step.action = std::move(h);
}

}  // namespace bbx::scenario
