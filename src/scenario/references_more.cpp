// Variable checks for the parts of the language added after the foundation: sandbox
// files, command, wait and file steps.
#include "scenario/parse_parts.hpp"

namespace bbx::scenario {

namespace {

void check_file(const model::SandboxFile& f, const KnownNames& known) {
  check_variables(f.path, known);
  check_variables(f.content, known);
  for (const auto& e : f.edits) check_variables(e.value, known);
}

// `files:` are written before any subject starts: no pid exists yet.
void check_no_pids(const model::Template& t) {
  for (const auto& name : referenced_variables(t))
    if (name.rfind("subjects.", 0) == 0)
      fail_input(t.where, "'${" + name + "}' has no value in files: (they are written before subjects start); "
                          "write the file with a 'file' step instead");
}

void check_step(const model::Step& step, const KnownNames& known) {
  if (const auto* c = std::get_if<model::CommandStep>(&step.action)) {
    for (const auto& a : c->argv) check_variables(a, known);
    for (const auto& [k, v] : c->env) check_variables(v, known);
    for (const auto* t : {&c->expect_stdout, &c->expect_stderr})
      if (*t) check_variables(**t, known);
    for (const auto& t : c->stdout_contains) check_variables(t, known);
    for (const auto& t : c->stderr_contains) check_variables(t, known);
  } else if (const auto* w = std::get_if<model::WaitStep>(&step.action)) {
    check_variables(w->target, known);
  } else if (const auto* f = std::get_if<model::FileStep>(&step.action)) {
    check_file(f->file, known);
  }
}

}  // namespace

void check_more_references(const Scenario& s, const KnownNames& known) {
  for (const auto& f : s.files) {
    check_file(f, known);
    check_no_pids(f.path);
    check_no_pids(f.content);
    for (const auto& e : f.edits) check_no_pids(e.value);
  }
  for (const auto& step : s.steps) check_step(step, known);
}

}  // namespace bbx::scenario
