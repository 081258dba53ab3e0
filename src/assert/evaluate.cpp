#include "assert/evaluate.hpp"

#include "assert/request_check.hpp"
#include "util/signals.hpp"

namespace bbx::assertions {

namespace {

CheckResult evaluate_request(runner::RunContext& ctx, const model::RequestExpectation& spec,
                             const model::Expectation& e) {
  RequestCheck check(spec);
  auto& journal = ctx.journal();
  if (e.within) {
    ctx.run_until([&] { return check.update(journal); }, std::chrono::steady_clock::now() + *e.within);
  }
  check.update(journal);
  return check.result(e.where);
}

CheckResult evaluate_exit(runner::RunContext& ctx, const process::Supervisor& supervisor,
                          const model::ExitExpectation& spec, const model::Expectation& e) {
  CheckResult r;
  r.where = e.where;
  r.what = "exit of subject '" + spec.subject + "'";
  r.expected = spec.signal ? "killed by " + util::signal_name(*spec.signal) : "exited with code " + std::to_string(*spec.code);
  const auto* state = supervisor.state(spec.subject);
  if (state && e.within)
    ctx.run_until([&] { return state->exit.has_value(); }, std::chrono::steady_clock::now() + *e.within);
  if (!state) {
    r.actual = "never started";
  } else if (!state->exit) {
    r.actual = "still running";
  } else {
    r.actual = state->exit->describe();
    r.evidence = {state->exit_seq};
    r.passed = r.actual == r.expected;
  }
  return r;
}

}  // namespace

bool needs_stopped_subjects(const model::Expectation& e) {
  return std::holds_alternative<model::ExitExpectation>(e.check) && !e.within;
}

CheckResult evaluate(runner::RunContext& ctx, const process::Supervisor& supervisor, const model::Expectation& e) {
  CheckResult r;
  if (const auto* req = std::get_if<model::RequestExpectation>(&e.check)) r = evaluate_request(ctx, *req, e);
  else if (const auto* ex = std::get_if<model::ExitExpectation>(&e.check)) r = evaluate_exit(ctx, supervisor, *ex, e);
  journal_result(ctx, r);
  return r;
}

void journal_result(runner::RunContext& ctx, const CheckResult& r) {
  ctx.journal().append({"assert", r.what, 0}, r.passed ? "assert.pass" : "assert.fail",
                       {{"what", r.what}, {"expected", r.expected}, {"actual", r.actual},
                        {"where", r.where.to_string()}, {"evidence", r.evidence}});
}

}  // namespace bbx::assertions
