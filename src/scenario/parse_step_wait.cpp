// `wait: {file|http|output, subject, status, min_size, count, timeout}` steps.
#include "scenario/step_kinds.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

model::WaitStep parse_wait(const MapReader& step, const std::string& what) {
  std::string label = what + ".wait";
  MapReader m(step.node("wait"), step.path(), label, {"file", "http", "output", "subject", "status", "min_size", "count", "timeout"});
  model::WaitStep w;
  int kinds = int(m.has("file")) + int(m.has("http")) + int(m.has("output"));
  if (kinds != 1) fail_input(m.where(), label + ": needs exactly one of 'file', 'http' or 'output'");
  std::string key = m.has("file") ? "file" : m.has("http") ? "http" : "output";
  w.kind = key == "file" ? model::WaitStep::Kind::file : key == "http" ? model::WaitStep::Kind::http : model::WaitStep::Kind::output;
  w.target = *m.text_template(key);
  if (m.has("subject") && w.kind != model::WaitStep::Kind::output)
    fail_input(m.where("subject"), label + ": 'subject' is only for 'output'");
  if (m.has("count") && w.kind != model::WaitStep::Kind::output)
    fail_input(m.where("count"), label + ": 'count' is only for 'output'");
  if (m.has("status") && w.kind != model::WaitStep::Kind::http)
    fail_input(m.where("status"), label + ": 'status' is only for 'http'");
  w.subject = m.string("subject").value_or("");
  if (auto size = m.string("min_size")) {
    if (w.kind != model::WaitStep::Kind::file) fail_input(m.where("min_size"), label + ": 'min_size' is only for 'file'");
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
  static const char* kinds[] = {"file", "http", "output"};
  step.label = std::string("wait for ") + kinds[static_cast<int>(w.kind)] + " " + w.target.text;
  step.action = std::move(w);
}

}  // namespace bbx::scenario
