// `signal: {subject, signal, to, expect_exit, timeout}` steps.
#include "scenario/choices.hpp"
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

// `expect_exit: any | CODE | SIGNAL` ("0", "TERM", "SIGTERM", "any").
model::ExitMatch parse_exit_match(const MapReader& m, const std::string& key) {
  auto text = *m.string(key);
  model::ExitMatch x;
  if (text == "any") return x;
  if (text.find_first_of("0123456789") == 0 || text.find("${") != std::string::npos) {  // a code
    x.code = m.int_field(key, 0, 255);
    return x;
  }
  x.signal = parse_signal(m, key, 0);
  return x;
}

void StepSyntax<model::SignalStep>::parse(const StepInput& in, model::Step& step) {
  MapReader s(in.step.node("signal"), in.step.path(), in.what + ".signal",
              {"subject", "signal", "to", "expect_exit", "timeout"});
  model::SignalStep sig{s.required_string("subject"), parse_signal(s, "signal", 1)};
  if (s.has("to"))
    sig.to = parse_choice<model::SignalStep::To>(
        s, "to", {{"group", model::SignalStep::To::group}, {"main", model::SignalStep::To::main}, {"tree", model::SignalStep::To::tree}});
  if (s.has("expect_exit")) sig.expect_exit = parse_exit_match(s, "expect_exit");
  if (auto t = s.duration("timeout")) {
    if (!sig.expect_exit)
      fail_input(s.where("timeout"), s.what() + ": 'timeout' needs 'expect_exit' (it bounds the wait for the exit)");
    sig.timeout = *t;
  }
  step.label = "signal " + sig.subject;
  step.action = sig;
}

}  // namespace bbx::scenario
