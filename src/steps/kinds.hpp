// The step kinds: one function per alternative of model::Step::action, each defined in its
// own <kind>_step.cpp. run_step() dispatches with std::visit over these overloads, so a new
// alternative of the variant fails to compile until it has its overload here.
//
// Each runs on the run's loop without blocking it, journals what it observed, and returns
// the step's checks: none when it did what it was asked, one failed check saying why when
// it could not. Journal events of each kind are listed in its file.
#pragma once

#include <vector>

#include "bbx/model/steps.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::steps {

// What every kind may use: the run, its subjects, and the step being run (its label and
// location name the checks).
struct StepEnv {
  runtime::RunContext& ctx;
  process::Supervisor& supervisor;
  const model::Step& step;
};

std::vector<CheckResult> run_kind(StepEnv& env, const model::HttpStep& http);
std::vector<CheckResult> run_kind(StepEnv& env, const model::SignalStep& signal);
std::vector<CheckResult> run_kind(StepEnv& env, const model::SleepStep& sleep);
std::vector<CheckResult> run_kind(StepEnv& env, const model::CommandStep& command);
std::vector<CheckResult> run_kind(StepEnv& env, const model::SubjectStep& lifecycle);
std::vector<CheckResult> run_kind(StepEnv& env, const model::WaitStep& wait);
std::vector<CheckResult> run_kind(StepEnv& env, const model::MarkStep& mark);
std::vector<CheckResult> run_kind(StepEnv& env, const model::FileStep& file);

// A check of the step: what = "step '<label>'" followed by " <detail>" when detail is not
// empty; located at the step.
CheckResult step_check(const model::Step& step, const std::string& detail, std::string expected, std::string actual,
                       bool passed);

}  // namespace bbx::steps
