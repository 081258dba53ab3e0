// `start:` / `stop:` / `restart:` steps: a subject's lifecycle through the supervisor; a
// start waits for the subject's readiness.
#include "process/readiness.hpp"
#include "process/subject_evidence.hpp"
#include "steps/kinds.hpp"

namespace bbx::steps {

std::vector<CheckResult> run_kind(StepEnv& env, const model::SubjectStep& s) {
  auto& supervisor = env.supervisor;
  const auto* subject = env.ctx.scenario().find_subject(s.subject);
  using Op = model::SubjectStep::Op;
  if (s.op == Op::start && supervisor.running(s.subject))
    return {step_check(env.step, "", "subject '" + s.subject + "' stopped", "it is running", false)};
  if (s.op != Op::start) {
    if (!supervisor.running(s.subject))
      return {step_check(env.step, "", "subject '" + s.subject + "' running", "it is not running", false)};
    supervisor.stop(*subject);
  }
  if (s.op == Op::stop) return {};
  try {
    supervisor.start(*subject);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::scenario) throw;
    return {step_check(env.step, "", "it starts", e.what(), false)};
  }
  auto outcome = process::wait_until_ready(env.ctx, supervisor, *subject);
  if (!outcome.ready) {
    std::string evidence;
    if (!outcome.cut_short)
      if (const auto* st = supervisor.state(s.subject))
        evidence = process::output_evidence(*st, outcome.awaited_output) + process::log_evidence(env.ctx, supervisor, *st);
    return {step_check(env.step, "", "subject '" + s.subject + "' ready", outcome.reason + evidence, false)};
  }
  supervisor.note_written_files(s.subject);
  return {};
}

}  // namespace bbx::steps
