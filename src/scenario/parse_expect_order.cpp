// Parsing ordering expectations: `sequence: [EVENT, ...]` and `order: {first: EVENT, then:
// EVENT}`, where EVENT is one of log / request / metric / message / exit / step / response /
// mark; and
// the windows between two EVENTs (`during`, `always`, `never`).
#include "scenario/text_matchers.hpp"
#include "scenario/event_windows.hpp"
#include "scenario/expect_kinds.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

model::EventMatch parse_event(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader outer(node, path, what, {"log", "request", "metric", "message", "exit", "step", "response", "mark"});
  if (node.size() != 1)
    fail_input(outer.where(), what + ": needs exactly one of log, request, metric, message, exit, step, response, mark");
  model::EventMatch e;
  e.where = outer.where();
  const auto kind = key_text(node.begin()->first, path);
  std::string label = what + "." + kind;
  if (kind == "step" || kind == "response" || kind == "mark") {
    auto name = scalar_string(outer.node(kind), path, label);
    if (name.empty()) fail_input(location_of(outer.node(kind), path), label + ": must not be empty");
    if (kind == "step") e.event = model::StepEvent{name};
    else if (kind == "response") e.event = model::ResponseEvent{name};
    else e.event = model::MarkEvent{name};
    return e;
  }
  if (kind == "log") {
    MapReader m(outer.node("log"), path, label, {"subject", "stream", "file", "contains", "matches"});
    model::LogEvent log;
    log.file = m.string("file").value_or("");
    if (m.has("file") && log.file.empty()) fail_input(m.where("file"), label + ".file: must not be empty");
    if (m.has("file") && m.has("stream"))
      fail_input(m.where("stream"), label + ": give 'stream' (the output) or 'file' (a log file), not both");
    log.subject = log.file.empty() ? m.required_string("subject") : m.string("subject").value_or("");
    log.stream = m.string("stream").value_or("both");
    if (log.stream != "both" && log.stream != "stdout" && log.stream != "stderr")
      fail_input(m.where("stream"), label + ".stream: expected one of stdout, stderr, both, got '" + log.stream + "'");
    auto text = text_match(m);
    if (!text) fail_input(m.where(), label + ": give 'contains' or 'matches'");
    log.text = std::move(*text);
    e.event = std::move(log);
  } else if (kind == "request") {
    MapReader m(outer.node("request"), path, label, {"fake", "method", "path"});
    e.event = model::RequestEvent{m.required_string("fake"), m.string("method").value_or(""), m.string("path").value_or("")};
  } else if (kind == "message") {
    MapReader m(outer.node("message"), path, label, {"fake", "contains", "matches"});
    e.event = model::MessageEvent{m.required_string("fake"), text_match(m)};
  } else if (kind == "metric") {
    MapReader m(outer.node("metric"), path, label, {"fake", "name"});
    e.event = model::MetricEvent{m.required_string("fake"), m.required_string("name")};
  } else {
    MapReader m(outer.node("exit"), path, label, {"subject"});
    e.event = model::ExitEvent{m.required_string("subject")};
  }
  return e;
}

namespace {

model::Window window_at(const MapReader& m, const std::string& key) {
  MapReader w(m.node(key), m.path(), m.what() + "." + key, {"from", "to"});
  if (!w.has("from")) fail_input(w.where(), w.what() + ": missing 'from'");
  model::Window win{parse_event(w.node("from"), m.path(), w.what() + ".from"), std::nullopt};
  if (w.has("to")) win.to = parse_event(w.node("to"), m.path(), w.what() + ".to");
  return win;
}

}  // namespace

std::optional<model::Window> parse_window(const MapReader& m) {
  if (!m.has("during")) return std::nullopt;
  if (m.has("within")) fail_input(m.where("during"), m.what() + ": give 'within' or 'during', not both");
  return window_at(m, "during");
}

std::optional<model::SampledWindow> parse_sampled_window(const MapReader& m) {
  if (m.has("always") && m.has("never")) fail_input(m.where("never"), m.what() + ": give 'always' or 'never', not both");
  const std::string key = m.has("always") ? "always" : "never";
  if (!m.has(key)) return std::nullopt;
  if (m.has("within"))
    fail_input(m.where(key), m.what() + ": '" + key + "' samples over a window while the steps run; it does not "
                             "combine with 'within'");
  return model::SampledWindow{window_at(m, key), key == "never", m.where(key)};
}

void reject_sampled_window(const MapReader& m) {
  for (const char* key : {"always", "never"})
    if (m.has(key))
      fail_input(m.where(key), m.what() + ": '" + key + "' applies to the live probes listening, process and file; "
                               "count events in a window with 'during' (and 'absent: true' for never)");
}

model::Expectation parse_sequence(const YAML::Node& node, const std::string& path, const std::string& what,
                                  const SourceLocation& where) {
  model::SequenceExpectation s;
  if (!node.IsSequence() || node.size() < 2)
    fail_input(location_of(node, path), what + ": expected a list of at least two events");
  for (std::size_t i = 0; i < node.size(); ++i)
    s.items.push_back(parse_event(node[i], path, what + "[" + std::to_string(i) + "]"));
  return {s, std::nullopt, where, std::nullopt};
}

model::Expectation parse_order(const MapReader& m) {
  if (!m.has("first") || !m.has("then")) fail_input(m.where(), m.what() + ": needs 'first' and 'then'");
  model::SequenceExpectation s;
  s.items.push_back(parse_event(m.node("first"), m.path(), m.what() + ".first"));
  s.items.push_back(parse_event(m.node("then"), m.path(), m.what() + ".then"));
  return {s, std::nullopt, m.where(), parse_window(m)};
}

}  // namespace bbx::scenario
