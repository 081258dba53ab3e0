// `mark: NAME` steps.
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

void StepSyntax<model::MarkStep>::parse(const StepInput& in, model::Step& step) {
  auto name = *in.step.string("mark");
  if (name.empty()) fail_input(in.step.where("mark"), in.what + ".mark: must not be empty");
  step.label = "mark " + name;
  step.action = model::MarkStep{name};
}

}  // namespace bbx::scenario
