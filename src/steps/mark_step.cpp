// `mark:` steps: a named point of the journal (event `mark` {name}) that windows and
// sequences refer to and the timeline is read against.
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::MarkStep& m) {
  env.ctx.journal().append({"step", env.step.label, 0}, journal::ev::mark, {{"name", m.name}});
  return {};
}

}  // namespace bbx::steps
