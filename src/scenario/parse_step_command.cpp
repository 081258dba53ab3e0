// `command:` steps: argv (a list, or {run, env, timeout}) and what the run must give
// (`expect: {exit, stdout, stderr, stdout_contains, ..., stdout_matches, ...}`).
#include "scenario/patterns.hpp"
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

namespace {

std::optional<util::Regex> regex(const MapReader& m, std::string_view key) {
  auto text = m.string(key);
  if (!text) return std::nullopt;
  return compile_pattern(*text, m.where(key), m.what() + "." + std::string(key));
}

model::CommandStep parse_command(const MapReader& step, const std::string& what) {
  model::CommandStep c;
  YAML::Node n = step.node("command");
  std::string label = what + ".command";
  if (n.IsSequence()) {
    for (const auto& a : n) c.argv.push_back(scalar_template(a, step.path(), label));
  } else {
    MapReader m(n, step.path(), label, {"run", "env", "timeout"});
    if (!m.has("run")) fail_input(m.where(), label + ": missing 'run'");
    c.argv = template_list(m, "run");
    if (m.has("env")) {
      YAML::Node env = m.node("env");
      if (!env.IsMap()) fail_input(m.where("env"), label + ".env: expected a mapping of NAME: value");
      for (const auto& kv : env) c.env[key_text(kv.first, step.path())] = scalar_template(kv.second, step.path(), label + ".env");
    }
    if (auto t = m.duration("timeout")) c.timeout = *t;
  }
  if (c.argv.empty()) fail_input(step.where("command"), label + ": expected a non-empty argv list");
  if (step.has("expect")) {
    MapReader e(step.node("expect"), step.path(), what + ".expect",
                {"exit", "stdout", "stderr", "stdout_contains", "stderr_contains", "stdout_matches", "stderr_matches"});
    c.expect_exit = e.int_field("exit", 0, 255);
    c.expect_stdout = e.text_template("stdout");
    c.expect_stderr = e.text_template("stderr");
    c.stdout_contains = template_list(e, "stdout_contains");
    c.stderr_contains = template_list(e, "stderr_contains");
    c.stdout_matches = regex(e, "stdout_matches");
    c.stderr_matches = regex(e, "stderr_matches");
  }
  return c;
}

}  // namespace

void StepSyntax<model::CommandStep>::parse(const StepInput& in, model::Step& step) {
  auto c = parse_command(in.step, in.what);
  step.label = "command " + c.argv.front().text;
  step.action = std::move(c);
}

}  // namespace bbx::scenario
