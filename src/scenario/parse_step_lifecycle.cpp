// `start: SUBJECT`, `stop: SUBJECT` and `restart: SUBJECT` steps.
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

void StepSyntax<model::SubjectStep>::parse(const StepInput& in, model::Step& step) {
  model::SubjectStep s;
  s.op = in.key == "start" ? model::SubjectStep::Op::start
       : in.key == "stop"  ? model::SubjectStep::Op::stop
                           : model::SubjectStep::Op::restart;
  s.subject = *in.step.string(in.key);
  step.label = in.key + " " + s.subject;
  step.action = s;
}

}  // namespace bbx::scenario
