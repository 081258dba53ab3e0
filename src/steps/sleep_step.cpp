// `sleep:` steps: the loop keeps serving fakes and subjects for the duration (a halt or an
// interrupt ends it early).
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::SleepStep& s) {
  env.ctx.run_until([] { return false; }, std::chrono::steady_clock::now() + s.duration);
  return {};
}

}  // namespace bbx::steps
