#include "steps/step.hpp"

#include <algorithm>

#include "assert/evaluate.hpp"
#include "steps/kinds.hpp"

namespace bbx::steps {

CheckResult step_check(const model::Step& step, const std::string& detail, std::string expected, std::string actual,
                       bool passed) {
  CheckResult r;
  r.what = "step '" + step.label + "'" + (detail.empty() ? "" : " " + detail);
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  r.passed = passed;
  r.where = step.where;
  r.kind = CheckKind::step;
  return r;
}

std::vector<CheckResult> run_step(runtime::RunContext& ctx, process::Supervisor& supervisor, const model::Step& step,
                                  std::size_t index) {
  EventSource source{"step", step.label, 0};
  ctx.journal().append(source, journal::ev::step_begin, {{"where", step.where.to_string()}, {"index", index}});
  StepEnv env{ctx, supervisor, step};
  auto checks = std::visit([&env](const auto& kind) { return run_kind(env, kind); }, step.action);
  // A subject that died while answering (a reset connection, an empty reply) is the cause of
  // the failure: it is learnt of now, the run halts, and the step is cut short by it.
  bool failed = std::any_of(checks.begin(), checks.end(), [](const CheckResult& c) { return !c.passed; });
  if (failed && !ctx.halted() && !ctx.aborted()) supervisor.settle_exits();
  if (ctx.halted() || ctx.aborted()) {
    ctx.journal().append(source, journal::ev::step_end, {{"ok", false}, {"cut_short", ctx.cut_reason()}});
    return {};
  }
  bool ok = true;
  for (const auto& c : checks) {
    assertions::journal_result(ctx, c);
    ok = ok && c.passed;
  }
  ctx.journal().append(source, journal::ev::step_end, {{"ok", ok}});
  return checks;
}

}  // namespace bbx::steps
