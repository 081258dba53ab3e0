// The step kinds' parsers: StepSyntax<Kind> for each alternative of model::Step::action, in
// parse_step_<kind>.cpp, gives the kind's action keys and fills the step (its action and
// label). parse_steps.cpp walks the variant's alternatives, so a new step kind fails to
// compile until it has a StepSyntax. Internal to src/scenario.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "bbx/model/steps.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// What a kind's parser reads: the step's mapping, the action key present in it, and the
// step's name for messages ("steps[2]").
struct StepInput {
  const MapReader& step;
  const std::string& key;
  const std::string& what;
};

// `expect_exit: any | CODE | SIGNAL` of signal steps ("any", "0", "${code}", "TERM",
// "SIGTERM"); a wait for an exit reads `code:` / `signal:` instead. Throws at the node.
model::ExitMatch parse_exit_match(const MapReader& m, const std::string& key);

// A string or a list of strings at key, each a template (`stdout_contains`, `body_contains`);
// empty when the key is absent. Throws at the value when it is neither.
std::vector<model::Template> template_list(const MapReader& m, std::string_view key);

template <class Kind>
struct StepSyntax;  // defined for every alternative of model::Step::action below

template <>
struct StepSyntax<model::HttpStep> {
  static constexpr std::array<std::string_view, 1> keys{"http"};
  static constexpr bool takes_expect = true;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::SignalStep> {
  static constexpr std::array<std::string_view, 1> keys{"signal"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::SleepStep> {
  static constexpr std::array<std::string_view, 1> keys{"sleep"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::CommandStep> {
  static constexpr std::array<std::string_view, 1> keys{"command"};
  static constexpr bool takes_expect = true;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::SubjectStep> {
  static constexpr std::array<std::string_view, 3> keys{"start", "stop", "restart"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::WaitStep> {
  static constexpr std::array<std::string_view, 1> keys{"wait"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::MarkStep> {
  static constexpr std::array<std::string_view, 1> keys{"mark"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};
template <>
struct StepSyntax<model::FileStep> {
  static constexpr std::array<std::string_view, 1> keys{"file"};
  static constexpr bool takes_expect = false;
  static void parse(const StepInput& in, model::Step& step);
};

}  // namespace bbx::scenario
