// `signal:` steps: a signal to a running subject (Supervisor::send_signal journals
// process.signal).
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::SignalStep& s) {
  if (!env.supervisor.running(s.subject))
    return {step_check(env.step, "", "subject '" + s.subject + "' running", "it is not running", false)};
  env.supervisor.send_signal(s.subject, s.signal);
  return {};
}

}  // namespace bbx::steps
