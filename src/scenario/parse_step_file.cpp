// `file: {path, content|copy|template, edits, mode}` steps (the same as a `files:` entry).
#include "scenario/parse_files.hpp"
#include "scenario/step_kinds.hpp"

namespace bbx::scenario {

void StepSyntax<model::FileStep>::parse(const StepInput& in, model::Step& step) {
  auto f = parse_sandbox_file(in.step.node("file"), in.step.path(), in.what + ".file");
  step.label = "file " + f.path.text;
  step.action = model::FileStep{std::move(f)};
}

}  // namespace bbx::scenario
