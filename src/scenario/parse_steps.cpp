// `steps:`: a list of steps, each with exactly one action key. The action keys and their
// parsers come from StepSyntax (step_kinds.hpp), walked over model::Step::action's
// alternatives in order.
#include <utility>
#include <variant>

#include "scenario/sections.hpp"
#include "scenario/step_kinds.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

namespace {

using Action = decltype(model::Step::action);

template <std::size_t... I>
std::vector<std::string> action_keys(std::index_sequence<I...>) {
  std::vector<std::string> out;
  (..., [&] {
    for (auto k : StepSyntax<std::variant_alternative_t<I, Action>>::keys) out.emplace_back(k);
  }());
  return out;
}

// Parses the step with the kind whose keys hold `key`; returns whether that kind takes `expect`.
template <std::size_t... I>
bool parse_kind(const StepInput& in, model::Step& step, std::index_sequence<I...>) {
  bool takes_expect = false;
  bool done = false;
  (..., [&] {
    using Syntax = StepSyntax<std::variant_alternative_t<I, Action>>;
    if (done) return;
    for (auto k : Syntax::keys)
      if (k == in.key) {
        takes_expect = Syntax::takes_expect;
        if (in.step.has("expect") && !takes_expect)
          fail_input(in.step.where("expect"), in.what + ": 'expect' is only for http and command steps");
        Syntax::parse(in, step);
        done = true;
        return;
      }
  }());
  return takes_expect;
}

model::Step parse_step(const YAML::Node& node, const std::string& path, std::size_t index) {
  constexpr auto kinds = std::make_index_sequence<std::variant_size_v<Action>>();
  std::string what = "steps[" + std::to_string(index) + "]";
  static const std::vector<std::string> actions = action_keys(kinds);
  std::vector<std::string> keys = actions;
  keys.push_back("name");
  keys.push_back("expect");
  keys.push_back("capture");
  MapReader m(node, path, what, keys);
  model::Step step;
  step.where = m.where();
  std::vector<std::string> present;
  for (const auto& a : actions)
    if (m.has(a)) present.push_back(a);
  if (present.size() != 1)
    fail_input(m.where(), what + ": needs exactly one action (" + util::join(actions, ", ") + ")" +
                              (present.empty() ? "" : ", got " + util::join(present, " and ")));
  if (m.has("capture") && present[0] != "http")
    fail_input(m.where("capture"), what + ": 'capture' is only for http steps");
  parse_kind(StepInput{m, present[0], what}, step, kinds);
  if (auto name = m.string("name")) step.label = *name;
  return step;
}

}  // namespace

std::vector<model::Template> template_list(const MapReader& m, std::string_view key) {
  std::vector<model::Template> out;
  if (!m.has(key)) return out;
  YAML::Node n = m.node(key);
  std::string label = m.what() + "." + std::string(key);
  if (n.IsScalar()) return {scalar_template(n, m.path(), label)};
  if (!n.IsSequence()) fail_input(m.where(key), label + ": expected a string or a list of strings");
  for (const auto& item : n) out.push_back(scalar_template(item, m.path(), label));
  return out;
}

std::vector<model::Step> parse_steps(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) fail_input(location_of(node, path), "steps: expected a list");
  std::vector<model::Step> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(parse_step(node[i], path, i));
  return out;
}

}  // namespace bbx::scenario
