#include "scenario/parse_parts.hpp"

#include "util/units.hpp"

namespace bbx::scenario {

namespace {

model::Expectation parse_request(const MapReader& m) {
  model::RequestExpectation r;
  r.fake = m.required_string("fake");
  r.method = m.string("method").value_or("");
  r.path = m.string("path").value_or("");
  r.count = m.count("count").value_or(model::Count{1, INT64_MAX, std::nullopt, ">= 1"});
  return {r, m.duration("within"), m.where()};
}

model::Expectation parse_exit(const MapReader& m) {
  model::ExitExpectation e;
  e.subject = m.required_string("subject");
  if (auto c = m.integer("code", 0, 255)) e.code = static_cast<int>(*c);
  if (m.has("signal")) e.signal = parse_signal(m, "signal", 0);
  if (!e.code && !e.signal) e.code = 0;
  if (e.code && e.signal) fail_input(m.where(), m.what() + ": give 'code' or 'signal', not both");
  return {e, m.duration("within"), m.where()};
}

model::Expectation parse_expectation(const YAML::Node& node, const std::string& path, std::size_t index) {
  std::string what = "expect[" + std::to_string(index) + "]";
  MapReader outer(node, path, what, {"request", "exit"});
  if (node.size() != 1) fail_input(outer.where(), what + ": needs exactly one kind: request or exit");
  if (outer.has("request"))
    return parse_request(MapReader(outer.node("request"), path, what + ".request",
                                   {"fake", "method", "path", "count", "within"}));
  return parse_exit(MapReader(outer.node("exit"), path, what + ".exit", {"subject", "code", "signal", "within"}));
}

}  // namespace

std::vector<model::Expectation> parse_expectations(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) fail_input(location_of(node, path), "expect: expected a list");
  std::vector<model::Expectation> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(parse_expectation(node[i], path, i));
  return out;
}

}  // namespace bbx::scenario
