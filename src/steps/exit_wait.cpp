#include "steps/exit_wait.hpp"

#include "util/signals.hpp"
#include "util/units.hpp"

namespace bbx::steps {

std::vector<CheckResult> await_exit(StepEnv& env, const std::string& subject, const model::ExitMatch& want,
                                    model::Duration timeout) {
  auto& ctx = env.ctx;
  std::optional<std::int64_t> code;
  if (want.code) code = ctx.expand_integer(*want.code);
  std::string expected = "subject '" + subject + "' " +
                         (code          ? "exited with code " + std::to_string(*code)
                          : want.signal ? "killed by " + util::signal_name(*want.signal)
                                        : "exited") +
                         " within " + util::format_duration(timeout);
  const auto* st = env.supervisor.state(subject);
  if (st) ctx.run_until([&] { return st->exit.has_value(); }, std::chrono::steady_clock::now() + timeout);
  bool ok = false;
  std::string actual;
  if (!st) {
    actual = "it was never started";
  } else if (!st->exit) {
    actual = ctx.cut_short() ? ctx.cut_reason() : "still running";
  } else {
    using Kind = process::ExitStatus::Kind;
    const auto& x = *st->exit;
    ok = code ? x.kind == Kind::exited && x.code == *code
              : want.signal ? x.kind == Kind::signaled && x.signal == *want.signal : true;
    actual = x.describe();
  }
  ctx.journal().append({"step", env.step.label, 0}, journal::ev::wait_done, {{"what", expected}, {"ok", ok}});
  if (ok) return {};
  auto check = step_check(env.step, "exit", expected, actual, false);
  if (st && st->exit_seq) check.evidence.push_back(st->exit_seq);
  return {check};
}

}  // namespace bbx::steps
