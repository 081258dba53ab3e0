// `sleep: DURATION` steps.
#include "scenario/step_kinds.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

void StepSyntax<model::SleepStep>::parse(const StepInput& in, model::Step& step) {
  auto d = in.step.duration("sleep");
  step.label = "sleep " + util::format_duration(*d);
  step.action = model::SleepStep{*d};
}

}  // namespace bbx::scenario
