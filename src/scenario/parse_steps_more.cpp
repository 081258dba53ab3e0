#include "scenario/parse_steps_more.hpp"

#include "scenario/parse_files.hpp"
#include "scenario/patterns.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

std::vector<model::Template> template_list(const MapReader& m, std::string_view key) {
  std::vector<model::Template> out;
  if (!m.has(key)) return out;
  YAML::Node n = m.node(key);
  std::string label = m.what() + "." + std::string(key);
  if (n.IsScalar()) return {scalar_template(n, m.path(), label)};
  if (!n.IsSequence()) fail_input(m.where(key), label + ": expected a string or a list of strings");
  for (const auto& item : n) out.push_back(scalar_template(item, m.path(), label));
  return out;
}

std::optional<util::Regex> regex(const MapReader& m, std::string_view key) {
  auto text = m.string(key);
  if (!text) return std::nullopt;
  return compile_pattern(*text, m.where(key), m.what() + "." + std::string(key));
}

model::CommandStep parse_command(const MapReader& step, const std::string& what) {
  model::CommandStep c;
  YAML::Node n = step.node("command");
  std::string label = what + ".command";
  if (n.IsSequence()) {
    for (const auto& a : n) c.argv.push_back(scalar_template(a, step.path(), label));
  } else {
    MapReader m(n, step.path(), label, {"run", "env", "timeout"});
    if (!m.has("run")) fail_input(m.where(), label + ": missing 'run'");
    c.argv = template_list(m, "run");
    if (m.has("env")) {
      YAML::Node env = m.node("env");
      if (!env.IsMap()) fail_input(m.where("env"), label + ".env: expected a mapping of NAME: value");
      for (const auto& kv : env) c.env[kv.first.as<std::string>()] = scalar_template(kv.second, step.path(), label + ".env");
    }
    if (auto t = m.duration("timeout")) c.timeout = *t;
  }
  if (c.argv.empty()) fail_input(step.where("command"), label + ": expected a non-empty argv list");
  if (step.has("expect")) {
    MapReader e(step.node("expect"), step.path(), what + ".expect",
                {"exit", "stdout", "stderr", "stdout_contains", "stderr_contains", "stdout_matches", "stderr_matches"});
    if (auto x = e.integer("exit", 0, 255)) c.expect_exit = static_cast<int>(*x);
    c.expect_stdout = e.text_template("stdout");
    c.expect_stderr = e.text_template("stderr");
    c.stdout_contains = template_list(e, "stdout_contains");
    c.stderr_contains = template_list(e, "stderr_contains");
    c.stdout_matches = regex(e, "stdout_matches");
    c.stderr_matches = regex(e, "stderr_matches");
  }
  return c;
}

model::WaitStep parse_wait(const MapReader& step, const std::string& what) {
  std::string label = what + ".wait";
  MapReader m(step.node("wait"), step.path(), label, {"file", "http", "output", "subject", "status", "min_size", "timeout"});
  model::WaitStep w;
  int kinds = int(m.has("file")) + int(m.has("http")) + int(m.has("output"));
  if (kinds != 1) fail_input(m.where(), label + ": needs exactly one of 'file', 'http' or 'output'");
  std::string key = m.has("file") ? "file" : m.has("http") ? "http" : "output";
  w.kind = key == "file" ? model::WaitStep::Kind::file : key == "http" ? model::WaitStep::Kind::http : model::WaitStep::Kind::output;
  w.target = *m.text_template(key);
  if (m.has("subject") && w.kind != model::WaitStep::Kind::output)
    fail_input(m.where("subject"), label + ": 'subject' is only for 'output'");
  if (m.has("status") && w.kind != model::WaitStep::Kind::http)
    fail_input(m.where("status"), label + ": 'status' is only for 'http'");
  w.subject = m.string("subject").value_or("");
  if (auto size = m.string("min_size")) {
    if (w.kind != model::WaitStep::Kind::file) fail_input(m.where("min_size"), label + ": 'min_size' is only for 'file'");
    auto n = util::parse_size(*size);
    if (!n) fail_input(m.where("min_size"), label + ".min_size: invalid size '" + *size + "' (use 512B, 64KiB, 16MiB, 1GiB)");
    w.min_size = *n;
  }
  if (auto s = m.integer("status", 100, 599)) w.status = static_cast<int>(*s);
  if (auto t = m.duration("timeout")) w.timeout = *t;
  return w;
}

}  // namespace

const std::vector<std::string>& more_step_keys() {
  static const std::vector<std::string> keys = {"command", "start", "stop", "restart", "wait", "mark", "file"};
  return keys;
}

void parse_more_step(const MapReader& m, const std::string& key, model::Step& step) {
  std::string what = m.what();
  if (m.has("expect") && key != "command")
    fail_input(m.where("expect"), what + ": 'expect' is only for http and command steps");
  if (key == "command") {
    auto c = parse_command(m, what);
    step.label = "command " + c.argv.front().text;
    step.action = std::move(c);
  } else if (key == "start" || key == "stop" || key == "restart") {
    model::SubjectStep s;
    s.op = key == "start" ? model::SubjectStep::Op::start
         : key == "stop"  ? model::SubjectStep::Op::stop : model::SubjectStep::Op::restart;
    s.subject = *m.string(key);
    step.label = key + " " + s.subject;
    step.action = s;
  } else if (key == "wait") {
    auto w = parse_wait(m, what);
    static const char* kinds[] = {"file", "http", "output"};
    step.label = std::string("wait for ") + kinds[static_cast<int>(w.kind)] + " " + w.target.text;
    step.action = std::move(w);
  } else if (key == "mark") {
    auto name = *m.string("mark");
    if (name.empty()) fail_input(m.where("mark"), what + ".mark: must not be empty");
    step.label = "mark " + name;
    step.action = model::MarkStep{name};
  } else {
    auto f = parse_sandbox_file(m.node("file"), m.path(), what + ".file");
    step.label = "file " + f.path.text;
    step.action = model::FileStep{std::move(f)};
  }
}

}  // namespace bbx::scenario
