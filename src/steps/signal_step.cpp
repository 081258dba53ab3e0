// `signal:` steps: a signal to a running subject (Supervisor::send_signal journals
// process.signal {signal, to}). With `expect_exit:` the exit it causes is expected (no
// crash): the step waits for it and checks how the subject ended (steps/exit_wait.hpp).
#include "steps/exit_wait.hpp"
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::SignalStep& s) {
  if (!env.supervisor.running(s.subject))
    return {step_check(env.step, "", "subject '" + s.subject + "' running", "it is not running", false)};
  if (s.expect_exit) env.supervisor.expect_exit(s.subject);
  env.supervisor.send_signal(s.subject, s.signal, s.to);
  if (!s.expect_exit) return {};
  return await_exit(env, s.subject, *s.expect_exit, s.timeout);
}

}  // namespace bbx::steps
