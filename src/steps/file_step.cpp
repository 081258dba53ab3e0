// `file:` steps: write or edit a sandbox file (sandbox/sandbox_files.hpp journals
// file.write).
#include "sandbox/sandbox_files.hpp"
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::FileStep& f) {
  try {
    sandbox::write_sandbox_file(env.ctx, f.file);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::scenario) throw;
    return {step_check(env.step, "", "the file is written", e.what(), false)};
  }
  return {};
}

}  // namespace bbx::steps
