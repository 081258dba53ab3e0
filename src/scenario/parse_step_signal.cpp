// `signal: {subject, signal}` steps.
#include "scenario/choices.hpp"
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

void StepSyntax<model::SignalStep>::parse(const StepInput& in, model::Step& step) {
  MapReader s(in.step.node("signal"), in.step.path(), in.what + ".signal", {"subject", "signal"});
  model::SignalStep sig{s.required_string("subject"), parse_signal(s, "signal", 1)};
  step.label = "signal " + sig.subject;
  step.action = sig;
}

}  // namespace bbx::scenario
