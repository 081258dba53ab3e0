// `wait: {file|http|output|exit, subject, status, min_size, count, code, signal, timeout}` steps.
#include "scenario/choices.hpp"
#include "scenario/step_kinds.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

model::WaitStep parse_wait(const MapReader& step, const std::string& what) {
  std::string label = what + ".wait";
  MapReader m(step.node("wait"), step.path(), label,
              {"file", "http", "output", "exit", "subject", "status", "min_size", "count", "code", "signal", "timeout"});
  model::WaitStep w;
  int kinds = int(m.has("file")) + int(m.has("http")) + int(m.has("output")) + int(m.has("exit"));
  if (kinds != 1) fail_input(m.where(), label + ": needs exactly one of 'file', 'http', 'output' or 'exit'");
  using Kind = model::WaitStep::Kind;
  std::string key = m.has("file") ? "file" : m.has("http") ? "http" : m.has("output") ? "output" : "exit";
  w.kind = key == "file" ? Kind::file : key == "http" ? Kind::http : key == "output" ? Kind::output : Kind::exit;
  w.target = *m.text_template(key);
  auto only_for = [&](const char* option, Kind kind, const char* kind_name) {
    if (m.has(option) && w.kind != kind)
      fail_input(m.where(option), label + ": '" + option + "' is only for '" + kind_name + "'");
  };
  only_for("subject", Kind::output, "output");
  only_for("count", Kind::output, "output");
  only_for("status", Kind::http, "http");
  only_for("min_size", Kind::file, "file");
  only_for("code", Kind::exit, "exit");
  only_for("signal", Kind::exit, "exit");
  w.subject = m.string("subject").value_or("");
  if (w.kind == Kind::exit) {
    w.subject = w.target.text;  // the subject whose exit is awaited
    if (m.has("code") && m.has("signal")) fail_input(m.where("signal"), label + ": give 'code' or 'signal', not both");
    w.exit.code = m.int_field("code", 0, 255);
    if (m.has("signal")) w.exit.signal = parse_signal(m, "signal", 0);
  }
  if (auto size = m.string("min_size")) {
    auto n = util::parse_size(*size);
    if (!n) fail_input(m.where("min_size"), label + ".min_size: invalid size '" + *size + "' (use 512B, 64KiB, 16MiB, 1GiB)");
    w.min_size = *n;
  }
  if (auto c = m.integer("count", 1, 1000000)) w.count = *c;
  if (auto s = m.int_field("status", 100, 599)) w.status = *s;
  if (auto t = m.duration("timeout")) w.timeout = *t;
  return w;
}

}  // namespace

void StepSyntax<model::WaitStep>::parse(const StepInput& in, model::Step& step) {
  auto w = parse_wait(in.step, in.what);
  static const char* kinds[] = {"file", "http", "output", "exit of"};
  step.label = std::string("wait for ") + kinds[static_cast<int>(w.kind)] + " " + w.target.text;
  step.action = std::move(w);
}

}  // namespace bbx::scenario
