// `command:` steps: a command run to completion (argv, no shell; cwd = the sandbox;
// process/command_runner.hpp journals command.start and command.exit), then its exit
// status and output checked.
#include "process/command_runner.hpp"
#include "steps/kinds.hpp"
#include "util/regex.hpp"
#include "util/units.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::CommandStep& c) {
  auto& ctx = env.ctx;
  const auto& step = env.step;
  process::CommandRequest request;
  for (const auto& a : c.argv) request.argv.push_back(ctx.expand(a));
  for (const auto& [k, v] : c.env) request.env[k] = ctx.expand(v);
  request.timeout = c.timeout;
  request.source = {"step", step.label, 0};
  auto outcome = process::run_to_completion(ctx, request);
  if (!outcome.started) return {step_check(step, "", "it starts", outcome.error, false)};
  if (outcome.timed_out)
    return {step_check(step, "", "exit within " + util::format_duration(c.timeout), "still running; killed", false)};
  if (!outcome.status)
    return {step_check(step, "", "an exit status", ctx.cut_short() ? ctx.cut_reason() : "none", false)};
  const std::string& so = outcome.out;
  const std::string& se = outcome.err;
  nlohmann::json body = outcome.status->to_json();
  std::vector<CheckResult> checks;
  auto want = c.expect_exit ? ctx.expand_integer(*c.expect_exit) : 0;
  std::string got = body.contains("code") ? "exit code " + std::to_string(body["code"].get<int>())
                                          : "killed by " + body.value("signal", std::string("?"));
  checks.push_back(step_check(step, "exit", "exit code " + std::to_string(want),
                              got + (se.empty() ? "" : "; stderr: " + nlohmann::json(se).dump()),
                              got == "exit code " + std::to_string(want)));
  auto exact = [&](const char* what, const std::optional<model::Template>& t, const std::string& actual) {
    if (!t) return;
    auto want_text = ctx.expand(*t);
    checks.push_back(step_check(step, what, nlohmann::json(want_text).dump(), nlohmann::json(actual).dump(),
                                want_text == actual));
  };
  exact("stdout", c.expect_stdout, so);
  exact("stderr", c.expect_stderr, se);
  auto matches = [&](const char* what, const std::optional<util::Regex>& re, const std::string& actual) {
    if (!re) return;
    auto verdict = re->search(actual);
    checks.push_back(step_check(step, what, "matches /" + re->pattern() + "/",
                                nlohmann::json(actual).dump() +
                                    (verdict == util::RegexMatch::too_complex
                                         ? " (undecided: the regex is too complex for it; a matching limit was reached)"
                                         : ""),
                                verdict == util::RegexMatch::yes));
  };
  matches("stdout", c.stdout_matches, so);
  matches("stderr", c.stderr_matches, se);
  auto contains = [&](const char* what, const std::vector<model::Template>& ts, const std::string& actual) {
    for (const auto& t : ts) {
      auto needle = ctx.expand(t);
      checks.push_back(step_check(step, what, "contains " + nlohmann::json(needle).dump(),
                                  nlohmann::json(actual).dump(), actual.find(needle) != std::string::npos));
    }
  };
  contains("stdout", c.stdout_contains, so);
  contains("stderr", c.stderr_contains, se);
  return checks;
}

}  // namespace bbx::steps
