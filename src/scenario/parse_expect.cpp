#include <algorithm>

#include "scenario/sections.hpp"
#include "scenario/choices.hpp"
#include "scenario/text_matchers.hpp"
#include "scenario/event_windows.hpp"
#include "scenario/expect_kinds.hpp"
#include "scenario/yaml_reader.hpp"
#include "scenario/patterns.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

model::TextMatch checked_regex(const std::string& pattern, const SourceLocation& where, const std::string& label) {
  return {pattern, true, where, compile_pattern(pattern, where, label)};
}

model::TextMatch regex_at(const MapReader& m, std::string_view key) {
  return checked_regex(*m.string(key), m.where(key), m.what() + "." + std::string(key));
}

std::optional<model::TextMatch> text_match(const MapReader& m) {
  if (m.has("matches") && m.has("contains"))
    fail_input(m.where(), m.what() + ": give 'matches' or 'contains', not both");
  // These texts are matched as written: a ${variable} here would silently never match (or,
  // with absent: true, always pass), so it is refused where it is written.
  for (const char* key : {"matches", "contains"}) {
    if (!m.has(key)) continue;
    auto text = *m.string(key);
    if (auto at = text.find("${"); at != std::string::npos)
      fail_input(m.where(key), m.what() + "." + key + ": '" + text.substr(at, text.find('}', at) - at + 1) +
                                   "' is not expanded here (the text is matched as written); match the part that "
                                   "varies with a regex instead, e.g. matches: 'port [0-9]+'");
  }
  if (m.has("matches")) return regex_at(m, "matches");
  if (m.has("contains")) return model::TextMatch{*m.string("contains"), false, m.where("contains"), std::nullopt};
  return std::nullopt;
}

namespace {

const model::Count kAtLeastOne{1, INT64_MAX, std::nullopt, ">= 1"};

std::vector<model::NameValue> name_values(const MapReader& m, std::string_view key) {
  std::vector<model::NameValue> out;
  if (!m.has(key)) return out;
  auto node = m.node(key);
  std::string label = m.what() + "." + std::string(key);
  if (!node.IsMap()) fail_input(m.where(key), label + ": expected a mapping of name: value");
  for (const auto& kv : node)
    out.push_back({scalar_string(kv.first, m.path(), label), scalar_string(kv.second, m.path(), label)});
  return out;
}

model::Expectation parse_request(const MapReader& m) {
  model::RequestExpectation r;
  r.fake = m.required_string("fake");
  r.method = m.string("method").value_or("");
  r.path = m.string("path").value_or("");
  r.query = name_values(m, "query");
  r.headers = name_values(m, "headers");
  if (m.has("body")) r.body = text_match(MapReader(m.node("body"), m.path(), m.what() + ".body", {"matches", "contains"}));
  r.from = m.string("from").value_or("");
  r.count = m.count("count").value_or(kAtLeastOne);
  if (m.boolean("absent").value_or(false)) {
    if (m.has("count")) fail_input(m.where("absent"), m.what() + ": give 'count' or 'absent', not both");
    r.count = {0, 0, std::nullopt, "0"};
  }
  return {r, m.duration("within"), m.where(), parse_window(m)};
}

model::Expectation parse_message(const MapReader& m) {
  model::MessageExpectation msg;
  msg.fake = m.required_string("fake");
  msg.text = text_match(m);
  msg.count = m.count("count").value_or(kAtLeastOne);
  if (m.boolean("absent").value_or(false)) {
    if (m.has("count")) fail_input(m.where("absent"), m.what() + ": give 'count' or 'absent', not both");
    msg.count = {0, 0, std::nullopt, "0"};
  }
  return {msg, m.duration("within"), m.where(), parse_window(m)};
}

// `statsd_event: {fake, title, text: {contains|matches}, tags, count|absent}` and
// `service_check: {fake, name, status, message: {contains|matches}, tags, count|absent}`.
model::Expectation parse_dogstatsd(const MapReader& m, model::DogStatsdExpectation::Kind kind) {
  model::DogStatsdExpectation d;
  d.kind = kind;
  bool event = kind == model::DogStatsdExpectation::Kind::event;
  d.fake = m.required_string("fake");
  d.name = m.string(event ? "title" : "name").value_or("");
  if (const char* key = event ? "text" : "message"; m.has(key)) {
    d.text = text_match(MapReader(m.node(key), m.path(), m.what() + "." + key, {"contains", "matches"}));
    if (!d.text) fail_input(m.where(key), m.what() + "." + key + ": give 'contains' or 'matches'");
  }
  if (!event && m.has("status")) {
    static const std::vector<std::pair<std::string, int>> kStatuses{{"ok", 0}, {"warning", 1}, {"critical", 2}, {"unknown", 3}};
    auto word = *m.string("status");
    auto it = std::find_if(kStatuses.begin(), kStatuses.end(), [&](const auto& s) { return s.first == word || std::to_string(s.second) == word; });
    if (it == kStatuses.end())
      fail_input(m.where("status"), m.what() + ".status: expected ok, warning, critical or unknown (or 0-3), got '" + word + "'");
    d.status = it->second;
  }
  d.tags = m.string_list("tags");
  d.count = m.count("count").value_or(kAtLeastOne);
  if (m.boolean("absent").value_or(false)) {
    if (m.has("count")) fail_input(m.where("absent"), m.what() + ": give 'count' or 'absent', not both");
    d.count = {0, 0, std::nullopt, "0"};
  }
  return {d, m.duration("within"), m.where(), parse_window(m)};
}

model::Expectation parse_strict(const MapReader& m) {
  return {model::StrictExpectation{m.required_string("fake")}, std::nullopt, m.where(), std::nullopt};
}

model::Expectation parse_exit(const MapReader& m) {
  model::ExitExpectation e;
  e.subject = m.required_string("subject");
  if (auto c = m.integer("code", 0, 255)) e.code = static_cast<int>(*c);
  if (m.has("signal")) e.signal = parse_signal(m, "signal", 0);
  if (!e.code && !e.signal) e.code = 0;
  if (e.code && e.signal) fail_input(m.where(), m.what() + ": give 'code' or 'signal', not both");
  return {e, m.duration("within"), m.where(), std::nullopt};
}

const std::vector<std::string> kKinds{"request", "exit",    "log",     "listening", "process",      "file",
                                      "strict",  "metric",  "command", "sequence",  "order",        "message",
                                      "resources", "statsd_event", "service_check"};

model::Expectation parse_command(const MapReader& m) {
  model::CommandExpectation c;
  if (!m.has("run")) fail_input(m.where(), m.what() + ": missing 'run' (the command as a list: [sh, -c, \"...\"])");
  auto run = m.node("run");
  if (!run.IsSequence() || run.size() == 0) fail_input(m.where("run"), m.what() + ".run: expected a non-empty list");
  for (const auto& arg : run) c.run.push_back(scalar_template(arg, m.path(), m.what() + ".run"));
  if (auto x = m.int_field("exit", 0, 255)) c.exit_code = *x;
  // `contains: TEXT` or a list of texts (each must be in the output, as in command steps),
  // or `matches: RE`.
  auto stream = [&](const char* key) -> std::vector<model::TextMatch> {
    if (!m.has(key)) return {};
    MapReader s(m.node(key), m.path(), m.what() + "." + key, {"contains", "matches"});
    auto list = s.node("contains");
    if (!list.IsSequence()) {
      auto t = text_match(s);
      if (!t) fail_input(m.where(key), m.what() + "." + key + ": give 'contains' or 'matches'");
      return {*t};
    }
    std::string label = s.what() + ".contains";
    if (s.has("matches")) fail_input(s.where(), s.what() + ": give 'matches' or 'contains', not both");
    if (list.size() == 0) fail_input(s.where("contains"), label + ": expected a non-empty list of texts");
    std::vector<model::TextMatch> out;
    for (const auto& item : list) {
      auto text = scalar_string(item, m.path(), label);
      if (auto at = text.find("${"); at != std::string::npos)
        fail_input(location_of(item, m.path()), label + ": '" + text.substr(at, text.find('}', at) - at + 1) +
                                                    "' is not expanded here (the text is matched as written); match the "
                                                    "part that varies with 'matches' instead");
      out.push_back(model::TextMatch{text, false, location_of(item, m.path()), std::nullopt});
    }
    return out;
  };
  c.stdout_match = stream("stdout");
  c.stderr_match = stream("stderr");
  if (auto t = m.duration("timeout")) c.timeout = *t;
  return {c, m.duration("within"), m.where(), std::nullopt};
}

model::Expectation parse_expectation(const YAML::Node& node, const std::string& path, std::size_t index) {
  std::string what = "expect[" + std::to_string(index) + "]";
  MapReader outer(node, path, what, kKinds);
  if (node.size() != 1)
    fail_input(outer.where(), what + ": needs exactly one kind: request, message, metric, statsd_event, service_check, log, "
                              "listening, process, file, exit, command, strict, sequence, order or resources");
  auto reader = [&](const char* kind, std::vector<std::string> keys) {
    return MapReader(outer.node(kind), path, what + "." + kind, std::move(keys));
  };
  // Journal kinds count events in a `during` window; `always`/`never` are for live probes.
  auto journal_kind = [&](const char* kind, std::vector<std::string> keys) {
    for (const char* k : {"always", "never"}) keys.push_back(k);
    auto m = reader(kind, std::move(keys));
    reject_sampled_window(m);
    return m;
  };
  auto sampled = [](model::Expectation e, const MapReader& m) {
    e.sampled = parse_sampled_window(m);
    return e;
  };
  if (outer.has("request"))
    return parse_request(journal_kind("request", {"fake", "method", "path", "query", "headers", "body", "from", "count",
                                                  "absent", "within", "during"}));
  if (outer.has("message"))
    return parse_message(journal_kind("message", {"fake", "contains", "matches", "count", "absent", "within", "during"}));
  if (outer.has("statsd_event"))
    return parse_dogstatsd(journal_kind("statsd_event", {"fake", "title", "text", "tags", "count", "absent", "within", "during"}),
                           model::DogStatsdExpectation::Kind::event);
  if (outer.has("service_check"))
    return parse_dogstatsd(journal_kind("service_check", {"fake", "name", "status", "message", "tags", "count", "absent",
                                                          "within", "during"}),
                           model::DogStatsdExpectation::Kind::service_check);
  if (outer.has("strict")) return parse_strict(reader("strict", {"fake"}));
  if (outer.has("log"))
    return parse_log(journal_kind("log", {"subject", "stream", "file", "matches", "contains", "count", "absent",
                                          "errors", "only", "within", "during"}));
  if (outer.has("listening")) {
    auto m = reader("listening", {"subject", "port", "proto", "address", "absent", "nothing", "only", "within", "always", "never"});
    return sampled(parse_listening(m), m);
  }
  if (outer.has("process")) {
    auto m = reader("process", {"subject", "name", "cmdline", "count", "running", "user", "threads", "zombies", "within",
                                "always", "never"});
    return sampled(parse_process(m), m);
  }
  if (outer.has("metric")) {
    std::vector<std::string> keys{"fake", "name", "type", "tags", "ignore", "absent", "within", "during"};
    for (const auto& k : metric_aggregate_keys()) keys.push_back(k);
    return parse_metric(journal_kind("metric", keys));
  }
  if (outer.has("sequence")) return parse_sequence(outer.node("sequence"), path, what + ".sequence", outer.where());
  if (outer.has("order")) return parse_order(journal_kind("order", {"first", "then", "during"}));
  if (outer.has("resources"))
    return parse_resources(reader("resources", {"subject", "max_rss", "cpu", "fds", "threads", "during"}));
  if (outer.has("command")) return parse_command(reader("command", {"run", "exit", "stdout", "stderr", "timeout", "within"}));
  if (outer.has("file")) {
    auto m = reader("file", {"path", "exists", "mode", "owner", "group", "size", "sha256", "sha1", "md5", "equals",
                             "matches", "contains", "json", "yaml", "value", "within", "always", "never"});
    return sampled(parse_file(m), m);
  }
  return parse_exit(reader("exit", {"subject", "code", "signal", "within"}));
}

}  // namespace

std::vector<model::Expectation> parse_expectations(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) fail_input(location_of(node, path), "expect: expected a list");
  std::vector<model::Expectation> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(parse_expectation(node[i], path, i));
  return out;
}

}  // namespace bbx::scenario
